/**
 * CSV export of the call records: rows are pulled from the store in chunks and written as the client reads,
 * so a month of calls streams in bounded memory (scripts/bench-csv.ts measures it).
 */
import { Readable } from 'node:stream';
import type { FastifyPluginCallback } from 'fastify';
import type { LoadedConfig } from '../../config/model.js';
import type { CallRow } from '../../store/index.js';
import { principalOf, type Principal } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { csvLines } from '../csv.js';
import { errorResponses } from '../errors.js';
import { scopedFilter } from '../scope.js';
import { callView } from '../views.js';
import type { ZodTypeProvider } from '../zod.js';
import { callFilterQuery } from './calls.schema.js';

const OPERATOR_COLUMNS = [
  'id', 'inviteAt', 'campaignId', 'publisherId', 'buyerId', 'targetId', 'did', 'caller', 'status', 'outcome', 'qualified',
  'duplicate', 'talkMs', 'billable', 'billableReason', 'payable', 'payoutReason', 'revenueCents', 'payoutCents', 'costCents',
  'marginCents', 'bidCents', 'answerAt', 'buyerAnswerAt', 'endAt', 'hangupSide', 'hangupCause',
];
const BUYER_HIDDEN = new Set(['publisherId', 'payable', 'payoutReason', 'payoutCents', 'costCents', 'marginCents']);
const PUBLISHER_HIDDEN = new Set(['buyerId', 'targetId', 'revenueCents', 'costCents', 'marginCents', 'bidCents']);

export function exportColumns(p: Principal): string[] {
  const hidden = p.role === 'buyer' ? BUYER_HIDDEN : p.role === 'publisher' ? PUBLISHER_HIDDEN : new Set<string>();
  return OPERATOR_COLUMNS.filter((c) => !hidden.has(c));
}

/** Joins small lines into ~64 KiB writes: far fewer stream chunks, same bounded memory. */
async function* batched(lines: AsyncIterable<string>, size = 64 * 1024): AsyncGenerator<string> {
  let buf = '';
  for await (const line of lines) {
    buf += line;
    if (buf.length >= size) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

export function callsCsv(p: Principal, rows: AsyncIterable<CallRow>, config: LoadedConfig): Readable {
  const columns = exportColumns(p);
  const lines = csvLines(columns, rows, (row) => {
    const v = callView(p, row, config);
    return columns.map((c) => v[c]);
  });
  return Readable.from(batched(lines), { objectMode: false });
}

export const exportRoutes: FastifyPluginCallback<RouteDeps> = (instance, deps, done) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  app.get('/calls/export.csv', {
    config: { roles: ['operator', 'buyer', 'publisher'] },
    schema: {
      tags: ['calls'],
      summary: 'Export calls as CSV (streamed, oldest first)',
      description: 'Same filters as GET /calls. Columns depend on the key\'s role.',
      querystring: callFilterQuery,
      response: errorResponses,
    },
  }, (request, reply) => {
    const p = principalOf(request);
    const filter = scopedFilter(p, request.query);
    const stream = callsCsv(p, deps.repos.callQuery.iterate(filter), deps.engine.config());
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="calls.csv"')
      .send(stream);
  });
  done();
};
