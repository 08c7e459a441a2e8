/** Webhook deliveries through the admin API: listing, tries, manual re-send, and who may see them. */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_CONFIG, KEYS, connectedCall, json, startHarness, type Harness } from './support.js';

let h: Harness;
let receiver: Server;
let hits = 0;

beforeAll(async () => {
  // A receiver that always fails: with max_attempts 1 the delivery is dead-lettered after one try.
  receiver = createServer((req, res) => {
    hits++;
    req.resume();
    res.writeHead(500).end('nope');
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const hook = `    webhooks:\n      - { id: pub2_hook, events: [call.ended], url: "${url}", secret: "0123456789abcdef0123", max_attempts: 1 }\n`;
  h = await startHarness(ADMIN_CONFIG.replace('    can_see_caller: true\n', `    can_see_caller: true\n${hook}`));
  const tried = new Promise<void>((resolve) => h.engine.webhooks.metrics.onRecord(() => resolve()));
  await connectedCall(h, { did: '+18005550200' });
  await tried;
});
afterAll(async () => {
  await h.close();
  receiver.close();
});

describe('webhook deliveries', () => {
  it('lists the dead-lettered delivery with its try, to the operator and to its publisher only', async () => {
    const list = json(await h.req(KEYS.operator, { method: 'GET', url: '/webhooks/deliveries?status=dead' }));
    expect(list.deliveries).toHaveLength(1);
    const d = list.deliveries[0];
    expect(d).toMatchObject({ event: 'call.ended', party: 'publisher', ownerId: 'pub_two', status: 'dead', attempts: 1, lastStatusCode: 500 });
    expect(list.counts).toMatchObject({ dead: 1 });
    const one = json(await h.req(KEYS.pubTwo, { method: 'GET', url: `/webhooks/deliveries/${d.id as number}` }));
    expect(one.tries).toMatchObject([{ attempt: 1, statusCode: 500, outcome: 'dead' }]);
    expect(json(await h.req(KEYS.pubOne, { method: 'GET', url: '/webhooks/deliveries' })).deliveries).toEqual([]);
    expect((await h.req(KEYS.pubOne, { method: 'GET', url: `/webhooks/deliveries/${d.id as number}` })).statusCode).toBe(404);
    expect((await h.req(KEYS.pubTwo, { method: 'POST', url: `/webhooks/deliveries/${d.id as number}/resend`, payload: {} })).statusCode).toBe(403);
  });

  it('re-sends a delivery on request, once more, and audits it', async () => {
    const id = json(await h.req(KEYS.operator, { method: 'GET', url: '/webhooks/deliveries' })).deliveries[0].id as number;
    const before = hits;
    const tried = new Promise<void>((resolve) => h.engine.webhooks.metrics.onRecord(() => resolve()));
    const r = await h.req(KEYS.operator, { method: 'POST', url: `/webhooks/deliveries/${id}/resend`, payload: {} });
    expect(r.statusCode).toBe(200);
    expect(json(r)).toMatchObject({ id, status: 'pending', maxAttempts: 2 });
    await tried;
    expect(hits).toBe(before + 1);
    const after = json(await h.req(KEYS.operator, { method: 'GET', url: `/webhooks/deliveries/${id}` }));
    expect(after).toMatchObject({ status: 'dead', attempts: 2 });
    const audit = json(await h.req(KEYS.operator, { method: 'GET', url: '/audit?resource=webhook_delivery' }));
    expect(audit.entries[0]).toMatchObject({ action: 'resend', resourceId: String(id), before: { status: 'dead' }, after: { status: 'pending' } });
    expect((await h.req(KEYS.operator, { method: 'POST', url: '/webhooks/deliveries/999999/resend', payload: {} })).statusCode).toBe(404);
  });
});
