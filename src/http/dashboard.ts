/**
 * The web dashboard, served by the engine itself: the built SPA (web/dist, made by `npm run build:web`) at
 * /dashboard/, and the few read endpoints it needs beyond the admin API at /dashboard/api/ behind the same API keys.
 * The page itself needs no key: it holds no data until the user signs in with one.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import type { authenticator } from './auth.js';
import type { RouteDeps } from './context.js';
import { dashboardApiRoutes } from './routes/dashboard-api.js';

export interface DashboardOptions {
  deps: RouteDeps;
  /** The admin API's key check (the same keys and roles). */
  auth: ReturnType<typeof authenticator>;
  /** Where the engine writes call recordings (settings.recordingsDir); recordings are not offered when unset. */
  recordingsDir?: string | undefined;
  /** Defaults to web/dist in the repository (src/http and dist/http both sit two levels below it). */
  distDir?: string;
}

export const DEFAULT_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const NOT_BUILT = 'The dashboard is not built. Run `npm run build:web` (npm start and npm test do it when it is missing).\n';

export const dashboard: FastifyPluginAsync<DashboardOptions> = async (app, opts) => {
  const root = opts.distDir ?? DEFAULT_DIST;
  if (existsSync(join(root, 'index.html'))) {
    await app.register(fastifyStatic, {
      root,
      prefix: '/dashboard/',
      wildcard: true,
      // Hashed assets never change; index.html must be re-read so a new build is picked up.
      cacheControl: false,
      setHeaders: (reply, path) => {
        void reply.header('cache-control', path.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
        void reply.header('x-content-type-options', 'nosniff');
        void reply.header('referrer-policy', 'no-referrer');
      },
    });
    app.get('/dashboard', { schema: { hide: true } }, (_req, reply) => reply.redirect('/dashboard/', 301));
  } else {
    app.get('/dashboard', { schema: { hide: true } }, (_req, reply) => reply.code(503).type('text/plain; charset=utf-8').send(NOT_BUILT));
    app.get('/dashboard/*', { schema: { hide: true } }, (_req, reply) => reply.code(503).type('text/plain; charset=utf-8').send(NOT_BUILT));
  }
  await app.register(async (api) => {
    api.addHook('onRequest', opts.auth);
    await api.register(dashboardApiRoutes, { deps: opts.deps, recordingsDir: opts.recordingsDir });
  }, { prefix: '/dashboard/api' });
};
