/** How the engine serves the dashboard's files: a clear 503 when it was never built, cache headers when it was. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboard } from '../../../src/http/dashboard.js';
import { serializerCompiler, validatorCompiler } from '../../../src/http/zod.js';
import { adminRepos } from '../../../src/store/admin.js';
import { startTestEngine, type TestEngine } from '../../support/engine.js';

let t: TestEngine;
let dir: string;

beforeAll(async () => {
  t = await startTestEngine();
  dir = mkdtempSync(join(tmpdir(), 'callroute-dist-'));
});

afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

function appFor(distDir: string) {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const deps = { engine: t.engine, repos: adminRepos(t.engine.store.db), now: () => new Date() };
  void app.register(dashboard, { deps, auth: () => Promise.resolve(), distDir });
  return app;
}

describe('dashboard files', () => {
  it('answers 503 with the build command when web/dist is missing', async () => {
    const app = appFor(join(dir, 'missing'));
    const res = await app.inject('/dashboard/');
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build:web');
    await app.close();
  });

  it('serves index.html uncached and hashed assets as immutable', async () => {
    const built = join(dir, 'built');
    mkdirSync(join(built, 'assets'), { recursive: true });
    writeFileSync(join(built, 'index.html'), '<!doctype html><div id="app"></div>');
    writeFileSync(join(built, 'assets', 'index-abc123.js'), 'console.log(1)');
    const app = appFor(built);
    const page = await app.inject('/dashboard/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    const asset = await app.inject('/dashboard/assets/index-abc123.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await app.inject('/dashboard')).statusCode).toBe(301);
    await app.close();
  });
});
