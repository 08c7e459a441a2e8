/** A conversion that makes a conversion-priced call billable tells subscribers so (call.billable), not only call.converted. */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_CONFIG, KEYS, connectedCall, json, startHarness, type Harness } from './support.js';

let h: Harness;
let receiver: Server;
const received: string[] = [];
let onEvent: (() => void) | undefined;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push((JSON.parse(body) as { event: string }).event);
      res.writeHead(200).end();
      onEvent?.();
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const hook = `    webhooks:\n      - { id: ops_hook, events: [call.billable, call.converted], url: "${url}", secret: "0123456789abcdef0123" }\n`;
  const yaml = ADMIN_CONFIG.replace('    name: First Buyer\n', '    name: First Buyer\n    pricing: conversion\n').replace(
    '    no_buyer_prompt: no_agents\n',
    `    no_buyer_prompt: no_agents\n${hook}`,
  );
  h = await startHarness(yaml);
});
afterAll(async () => {
  await h.close();
  receiver.close();
});

const waitFor = (n: number) =>
  new Promise<void>((resolve) => {
    const check = () => (received.length >= n ? resolve() : undefined);
    onEvent = check;
    check();
  });

describe('conversion webhooks', () => {
  it('sends call.converted and call.billable when the conversion makes the call billable', async () => {
    const row = await connectedCall(h);
    expect(row).toMatchObject({ buyer_id: 'buyer_first', billable: 0, billable_reason: 'awaiting_conversion' });
    const r = await h.req(KEYS.buyerFirst, { method: 'POST', url: `/calls/${row.id}/conversions`, payload: { eventId: 'sale-1' } });
    expect(json(r)).toMatchObject({ status: 'applied', billable: true });
    await waitFor(2);
    expect([...received].sort()).toEqual(['call.billable', 'call.converted']);
  });
});
