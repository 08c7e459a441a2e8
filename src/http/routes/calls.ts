/** Call records: filtered list with cursor pagination, and one call with its attempts, IVR answers, skips and auction. */
import type { FastifyPluginCallback } from 'fastify';
import type { LoadedConfig } from '../../config/model.js';
import type { AttemptRow, CallRow } from '../../store/index.js';
import type { AdminRepos } from '../../store/admin.js';
import { principalOf, type Principal } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { errorResponses, notFound } from '../errors.js';
import { decodeCursor, encodeCursor, scopedFilter } from '../scope.js';
import { canSeeCall, callView } from '../views.js';
import type { ZodTypeProvider } from '../zod.js';
import { callDetail, callIdParams, callList, callListQuery } from './calls.schema.js';

const ALL_ROLES = ['operator', 'buyer', 'publisher'] as const;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

const attemptView = (a: AttemptRow) => ({
  seq: a.seq,
  buyerId: a.buyer_id,
  targetId: a.target_id,
  inviteAt: new Date(a.invite_at).toISOString(),
  ringAt: iso(a.ring_at),
  answerAt: iso(a.answer_at),
  endAt: iso(a.end_at),
  result: a.result,
  sipCode: a.sip_code,
  reason: a.reason,
});

/** Auctions for the call; a buyer sees only its own bid, a publisher none of it. */
function auctionsFor(p: Principal, repos: AdminRepos, callId: string) {
  if (p.role === 'publisher') return [];
  return repos.auctions.forCall(callId).map((a) => {
    const bids = repos.auctions.get(a.id)?.bids ?? [];
    return {
      id: a.id,
      startedAt: new Date(a.started_at).toISOString(),
      durationMs: a.duration_ms,
      bidders: a.bidders,
      validBids: a.valid_bids,
      winnerBuyerId: p.role === 'operator' || a.winner_buyer_id === p.party ? a.winner_buyer_id : null,
      winnerCents: p.role === 'operator' || a.winner_buyer_id === p.party ? a.winner_cents : null,
      bids: bids
        .filter((b) => p.role === 'operator' || b.buyer_id === p.party)
        .map((b) => ({ buyerId: b.buyer_id, amountCents: b.amount_cents, valid: b.valid === 1, reason: b.reason, latencyMs: b.latency_ms, rank: b.rank })),
    };
  });
}

function detail(p: Principal, deps: RouteDeps, row: CallRow, config: LoadedConfig) {
  const calls = deps.engine.store.calls;
  const answers = parseJson<{ step: string; digits: string; at: number }[]>(row.ivr_answers, []);
  const attempts = calls.attempts(row.id).filter((a) => p.role === 'operator' || (p.role === 'buyer' && a.buyer_id === p.party));
  return {
    call: callView(p, row, config),
    ivrAnswers: answers.map((a) => ({ step: a.step, digits: a.digits, at: new Date(a.at).toISOString() })),
    tags: parseJson<Record<string, string>>(row.tags, {}),
    attempts: attempts.map(attemptView),
    skips: p.role === 'operator' ? calls.skips(row.id).map((s) => ({ buyerId: s.buyer_id, targetId: s.target_id, reason: s.reason })) : [],
    auctions: auctionsFor(p, deps.repos, row.id),
  };
}

export const callsRoutes: FastifyPluginCallback<RouteDeps> = (instance, deps, done) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();

  app.get('/calls', {
    config: { roles: ALL_ROLES },
    schema: {
      tags: ['calls'],
      summary: 'List calls, newest first',
      querystring: callListQuery,
      response: { 200: callList, ...errorResponses },
    },
  }, (request) => {
    const p = principalOf(request);
    const q = request.query;
    const filter = scopedFilter(p, q);
    const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    const rows = deps.repos.callQuery.page(filter, q.limit + 1, cursor);
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    const config = deps.engine.config();
    return {
      calls: page.map((r) => callView(p, r, config)),
      nextCursor: rows.length > q.limit && last ? encodeCursor({ inviteAt: last.invite_at, id: last.id }) : null,
    };
  });

  app.get('/calls/:callId', {
    config: { roles: ALL_ROLES },
    schema: {
      tags: ['calls'],
      summary: 'One call with its bridge attempts, IVR answers, routing skips and auctions',
      params: callIdParams,
      response: { 200: callDetail, ...errorResponses },
    },
  }, (request) => {
    const p = principalOf(request);
    const row = deps.engine.store.calls.get(request.params.callId);
    // Another party's call answers exactly like a missing one: its existence is not theirs to learn.
    if (!row || !canSeeCall(p, row)) throw notFound(`call ${request.params.callId}`);
    return detail(p, deps, row, deps.engine.config());
  });
  done();
};
