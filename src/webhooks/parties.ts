/**
 * Who gets which events, and who may see caller numbers. Pure: config and call row in, subscriptions out.
 *
 * - Campaign webhooks are the operator's own trackers: every event, caller numbers included.
 * - Publisher webhooks: every event for calls on the publisher's numbers; caller numbers only with
 *   `can_see_caller: true`; never the buyer's money (revenue, bid).
 * - Buyer webhooks: only calls connected to that buyer, from `call.connected` on. The buyer received the caller id
 *   on the SIP leg anyway, so it always sees the caller; never the publisher's payout.
 */
import type { LoadedConfig } from '../config/model.js';
import { WEBHOOK_EVENTS, type Webhook, type WebhookEvent } from '../config/schema/index.js';
import type { CallRow } from '../store/index.js';
import type { Party } from './variables.js';

export const BUYER_EVENTS: readonly WebhookEvent[] = ['call.connected', 'call.ended', 'call.billable', 'call.converted', 'call.disputed'];

export function allowedEvents(party: Party): readonly WebhookEvent[] {
  return party === 'buyer' ? BUYER_EVENTS : WEBHOOK_EVENTS;
}

export function callerVisible(party: Party, publisherCanSee: boolean): boolean {
  return party === 'publisher' ? publisherCanSee : true;
}

export interface Subscription {
  party: Party;
  ownerId: string;
  webhook: Webhook;
  callerVisible: boolean;
}

function matching(party: Party, owner: { id: string; webhooks: readonly Webhook[] } | undefined, event: WebhookEvent, sees: boolean): Subscription[] {
  if (!owner || !allowedEvents(party).includes(event)) return [];
  return owner.webhooks
    .filter((w) => w.events.includes(event))
    .map((webhook) => ({ party, ownerId: owner.id, webhook, callerVisible: sees }));
}

/** Every subscription that wants `event` for this call, campaign first, then publisher, then buyer. */
export function subscriptionsFor(config: LoadedConfig, event: WebhookEvent, call: Readonly<CallRow>): Subscription[] {
  const campaign = call.campaign_id === null ? undefined : config.campaigns.get(call.campaign_id);
  const publisher = call.publisher_id === null ? undefined : config.publishers.get(call.publisher_id);
  const buyer = call.buyer_id === null ? undefined : config.buyers.get(call.buyer_id);
  return [
    ...matching('campaign', campaign, event, true),
    ...matching('publisher', publisher, event, publisher?.can_see_caller ?? false),
    ...matching('buyer', buyer, event, true),
  ];
}

/** The subscription a stored delivery belongs to, in the config running now (undefined if it was removed). */
export function findSubscription(config: LoadedConfig, party: Party, ownerId: string, webhookId: string): Subscription | undefined {
  const owner =
    party === 'campaign' ? config.campaigns.get(ownerId) : party === 'buyer' ? config.buyers.get(ownerId) : config.publishers.get(ownerId);
  const webhook = owner?.webhooks.find((w) => w.id === webhookId);
  if (!owner || !webhook) return undefined;
  const sees = party === 'publisher' ? (config.publishers.get(ownerId)?.can_see_caller ?? false) : true;
  return { party, ownerId, webhook, callerVisible: sees };
}
