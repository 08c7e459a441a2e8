/**
 * Conversion-priced buyer, campaign duplicate window: two calls from one caller both end "awaiting conversion"
 * (neither is billed at hangup, so neither is the other's duplicate). The buyer then reports a conversion on both
 * through the conversion endpoint (real engine on the in-memory driver, real SQLite file): the first conversion bills
 * its call, the second is recorded but leaves its call unbilled with reason `duplicate` and announces no
 * `call.billable` / `payout.earned`. A call outside the window is billed as usual.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookRepository } from '../../../src/store/webhooks.js';
import { ADMIN_CONFIG, KEYS, json, startHarness, type Harness } from '../../http/support.js';

const CALLER = '+14155550123';
const DAY = 86_400_000;
const HOOK = `    webhooks:
      - { id: tracker, url: "http://127.0.0.1:9/hook", secret: webhook-secret-0123456789, events: [call.billable, call.converted, payout.earned] }
`;
const YAML = ADMIN_CONFIG.replace('    name: First Buyer\n', '    name: First Buyer\n    pricing: conversion\n').replace(
  '    ivr: medicare_screen\n',
  `    ivr: medicare_screen\n    duplicate: { window: 30d, scope: campaign }\n${HOOK}`,
);

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function start(hh: Harness, caller = CALLER) {
  hh.driver.buyers.set('sip:intake@127.0.0.1:5071', { kind: 'answer' });
  return hh.driver.placeCall({ did: '+18005550100', caller, dtmf: ['1', '94110'] });
}

const convert = (hh: Harness, callId: string, eventId: string) =>
  hh.req(KEYS.buyerFirst, { method: 'POST', url: `/calls/${callId}/conversions`, payload: { eventId } });

/** Webhook event kinds queued for a call, sorted. */
const events = (hh: Harness, callId: string) => new WebhookRepository(hh.engine.store.db).list({ callId }).map((d) => d.kind).sort();

describe('conversions and the duplicate window', () => {
  it('bills the first of two overlapping converted calls and records the second as a duplicate', async () => {
    h = await startHarness(YAML);
    const early = start(h);
    await early.bridged;
    h.clock.advance(5_000);
    const late = start(h);
    await late.bridged;
    h.clock.advance(90_000);
    late.callerHangup();
    const lateRow = await h.ended(late);
    h.clock.advance(30_000);
    early.callerHangup();
    const earlyRow = await h.ended(early);
    for (const row of [lateRow, earlyRow]) expect(row).toMatchObject({ billable: 0, billable_reason: 'awaiting_conversion', duplicate: 0 });

    h.clock.advance(DAY);
    expect(json(await convert(h, earlyRow.id, 'sale-early'))).toMatchObject({ status: 'applied', billable: true, revenueCents: 4000 });
    const second = await convert(h, lateRow.id, 'sale-late');
    expect(second.statusCode).toBe(200);
    expect(json(second)).toMatchObject({ status: 'applied', first: true, billable: false, revenueCents: 0, billableReason: 'duplicate' });

    const calls = h.engine.store.calls;
    expect(calls.get(earlyRow.id)).toMatchObject({ billable: 1, billable_reason: 'billable', revenue_cents: 4000 });
    expect(calls.get(lateRow.id)).toMatchObject({ billable: 0, billable_reason: 'duplicate', duplicate: 1, revenue_cents: 0 });
    // The later conversion is recorded all the same (a retry stays idempotent), and announced only as converted.
    expect(json(await h.req(KEYS.buyerFirst, { method: 'GET', url: `/calls/${lateRow.id}/conversions` })).conversions).toHaveLength(1);
    expect(json(await convert(h, lateRow.id, 'sale-late'))).toEqual({ status: 'already_applied' });
    // The late call ended first, so its publisher was paid at hangup; the early one was the publisher duplicate.
    expect(events(h, lateRow.id)).toEqual(['call.converted', 'payout.earned']);
    expect(events(h, earlyRow.id)).toEqual(['call.billable', 'call.converted']);
  });

  it('decides by conversion order within the window, not call order; a call outside the window is billed', async () => {
    h = await startHarness(YAML);
    const ids: string[] = [];
    for (const gap of [0, 2 * DAY, 40 * DAY]) {
      h.clock.advance(gap);
      const call = start(h);
      await call.bridged;
      h.clock.advance(90_000);
      call.callerHangup();
      ids.push((await h.ended(call)).id);
    }
    const [first, second, third] = ids as [string, string, string];
    h.clock.advance(DAY);
    // The later call converts first and is the sale; the earlier one's conversion comes second: the duplicate.
    expect(json(await convert(h, second, 'sale-2'))).toMatchObject({ billable: true });
    expect(json(await convert(h, first, 'sale-1'))).toMatchObject({ billable: false, billableReason: 'duplicate' });
    // 40 days after the second call: outside its 30-day window.
    expect(json(await convert(h, third, 'sale-3'))).toMatchObject({ billable: true, revenueCents: 4000 });
    expect(ids.map((id) => h!.engine.store.calls.get(id)?.billable)).toEqual([0, 1, 1]);
  });
});
