/** Turns request filters into store filters, pinned to the caller's own party for buyer and publisher keys. */
import type { CallCursor, CallFilter } from '../store/call-query.js';
import type { Principal } from './auth.js';
import { ApiError, forbidden } from './errors.js';

export interface FilterQuery {
  from?: string | undefined;
  to?: string | undefined;
  campaign?: string | undefined;
  publisher?: string | undefined;
  buyer?: string | undefined;
  outcome?: string | undefined;
  billable?: boolean | undefined;
}

function pin(p: Principal, asked: string | undefined, role: 'buyer' | 'publisher'): string | undefined {
  if (p.role !== role) return asked;
  if (asked !== undefined && asked !== p.party) throw forbidden(`a ${role} key sees only its own calls (${role}=${p.party ?? ''})`);
  return p.party ?? undefined;
}

export function scopedFilter(p: Principal, q: FilterQuery): CallFilter {
  const from = q.from === undefined ? undefined : Date.parse(q.from);
  const to = q.to === undefined ? undefined : Date.parse(q.to);
  if (from !== undefined && to !== undefined && from >= to) throw new ApiError(400, 'invalid_request', '"from" must be before "to"');
  const f: CallFilter = {};
  const set = <K extends keyof CallFilter>(k: K, v: CallFilter[K] | undefined) => {
    if (v !== undefined) f[k] = v;
  };
  set('from', from);
  set('to', to);
  set('campaignId', q.campaign);
  set('publisherId', pin(p, q.publisher, 'publisher'));
  set('buyerId', pin(p, q.buyer, 'buyer'));
  set('outcome', q.outcome);
  set('billable', q.billable);
  return f;
}

export function encodeCursor(c: CallCursor): string {
  return Buffer.from(JSON.stringify([c.inviteAt, c.id])).toString('base64url');
}

export function decodeCursor(s: string): CallCursor {
  try {
    const v: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'string') return { inviteAt: v[0], id: v[1] };
  } catch {
    // fall through to the 400 below
  }
  throw new ApiError(400, 'invalid_request', 'cursor is not one this API returned; start again without it');
}
