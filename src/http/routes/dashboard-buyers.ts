/**
 * The buyers board for operators: per buyer, whether routing may use it right now (paused, open hours), its live
 * calls against its concurrency, and every cap bucket of the current period with what is used and what is left.
 * Counters are the ones routing reserves against (store/caps), so the board shows what eligibility sees.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Buyer } from '../../config/schema/index.js';
import { capSlots, type CapOwner } from '../../core/caps.js';
import { hoursState } from '../../core/hours.js';
import { CapRepository } from '../../store/caps.js';
import type { PauseRow } from '../../store/distribution.js';
import type { RouteDeps } from '../context.js';
import { errorResponses } from '../errors.js';
import type { ZodTypeProvider } from '../zod.js';

const capUse = z.object({
  owner: z.enum(['buyer', 'target']),
  ownerId: z.string(),
  metric: z.string(),
  period: z.string(),
  periodKey: z.string(),
  limit: z.number(),
  used: z.number(),
  left: z.number(),
});

const hours = z.object({ open: z.boolean(), reason: z.string().nullable() });

const buyerBoard = z.object({
  id: z.string(),
  name: z.string(),
  timezone: z.string(),
  pricing: z.string(),
  priceCents: z.number().int(),
  paused: z.boolean(),
  pausedInConfig: z.boolean(),
  pause: z.object({ source: z.string(), reason: z.string(), pausedAt: z.string(), until: z.string().nullable() }).nullable(),
  hours,
  live: z.number().int(),
  concurrency: z.number().int().nullable(),
  caps: z.array(capUse),
  targets: z.array(z.object({ id: z.string(), name: z.string().nullable(), paused: z.boolean(), hours, live: z.number().int() })),
});

function pauseView(p: PauseRow | undefined) {
  if (!p) return null;
  return { source: p.source, reason: p.reason, pausedAt: new Date(p.paused_at).toISOString(), until: p.until_at === null ? null : new Date(p.until_at).toISOString() };
}

const hoursView = (h: ReturnType<typeof hoursState>) => ({ open: h.open, reason: h.open ? null : h.reason });

/** Every cap bucket the buyer and its targets count calls in at `now`. */
function capsOf(buyer: Buyer, caps: CapRepository, now: number): z.infer<typeof capUse>[] {
  const owners: CapOwner[] = [
    { kind: 'buyer', id: buyer.id, timezone: buyer.timezone, caps: buyer.caps },
    ...buyer.targets.map((t) => ({ kind: 'target' as const, id: t.id, timezone: buyer.timezone, caps: t.caps })),
  ];
  return owners.flatMap((o) =>
    capSlots(o, now, 0).map((s) => {
      const used = caps.used(s);
      return { owner: o.kind as 'buyer' | 'target', ownerId: o.id, metric: s.metric, period: s.period, periodKey: s.periodKey, limit: s.limit, used, left: Math.max(0, s.limit - used) };
    }),
  );
}

export const dashboardBuyerRoutes: FastifyPluginAsync<RouteDeps> = (instance, deps) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const caps = new CapRepository(deps.engine.store.db);

  app.get('/buyers', {
    schema: { tags: ['dashboard'], summary: 'Buyers with pause state, hours, live calls and cap usage', response: { 200: z.object({ buyers: z.array(buyerBoard) }), ...errorResponses } },
  }, () => {
    const now = deps.now().getTime();
    const pauses = deps.repos.pauses.activeByBuyer(now);
    const buyers = [...deps.engine.config().buyers.values()].map((b) => ({
      id: b.id,
      name: b.name,
      timezone: b.timezone,
      pricing: b.pricing,
      priceCents: b.price_cents,
      paused: b.paused || pauses.has(b.id),
      pausedInConfig: b.paused,
      pause: pauseView(pauses.get(b.id)),
      hours: hoursView(hoursState(b.hours, now)),
      live: caps.live('buyer', b.id),
      concurrency: b.concurrency ?? null,
      caps: capsOf(b, caps, now),
      targets: b.targets.map((t) => ({ id: t.id, name: t.name ?? null, paused: t.paused, hours: hoursView(hoursState(t.hours ?? b.hours, now)), live: caps.live('target', t.id) })),
    }));
    return { buyers };
  });
  return Promise.resolve();
};
