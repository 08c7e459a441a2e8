/** The replay's own totals per campaign, publisher and buyer, and the comparison with the store's P&L recount. */
import { formatCents } from '../../src/core/money.js';
import type { PnlGroup } from '../../src/store/pnl.js';
import type { CallBook } from './events.js';

export type Dimension = 'campaign' | 'publisher' | 'buyer';

export interface Line {
  key: string;
  calls: number;
  billable: number;
  revenue: number;
  payout: number;
  cost: number;
}

const NONE = '(no buyer)';

function keyOf(book: CallBook, dim: Dimension): string {
  if (dim === 'campaign') return book.call.campaign.id;
  if (dim === 'publisher') return book.call.publisher.id;
  return book.call.buyer?.id ?? NONE;
}

export function tally(books: readonly CallBook[], dim: Dimension): Line[] {
  const lines = new Map<string, Line>();
  for (const b of books) {
    const key = keyOf(b, dim);
    const line = lines.get(key) ?? { key, calls: 0, billable: 0, revenue: 0, payout: 0, cost: 0 };
    line.calls++;
    line.billable += b.billable ? 1 : 0;
    line.revenue += b.revenue;
    line.payout += b.payout;
    line.cost += b.cost;
    lines.set(key, line);
  }
  return [...lines.values()].sort((a, b) => a.key.localeCompare(b.key));
}

export function fromPnl(groups: readonly PnlGroup[]): Line[] {
  return groups
    .map((g) => ({ key: g.key === null ? NONE : String(g.key), calls: g.calls, billable: g.billable, revenue: g.revenue_cents, payout: g.payout_cents, cost: g.cost_cents }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

/** Lines that differ in any figure (an empty list: the books agree to the cent). */
export function differences(mine: readonly Line[], stored: readonly Line[]): string[] {
  const out: string[] = [];
  const byKey = new Map(stored.map((l) => [l.key, l]));
  for (const l of mine) {
    const s = byKey.get(l.key);
    byKey.delete(l.key);
    if (!s) out.push(`${l.key}: missing from the store`);
    else if (JSON.stringify(l) !== JSON.stringify(s)) out.push(`${l.key}: replay ${JSON.stringify(l)} store ${JSON.stringify(s)}`);
  }
  for (const k of byKey.keys()) out.push(`${k}: only in the store`);
  return out;
}

export function sum(lines: readonly Line[]): Line {
  return lines.reduce((t, l) => ({ key: 'TOTAL', calls: t.calls + l.calls, billable: t.billable + l.billable, revenue: t.revenue + l.revenue, payout: t.payout + l.payout, cost: t.cost + l.cost }),
    { key: 'TOTAL', calls: 0, billable: 0, revenue: 0, payout: 0, cost: 0 });
}

export function table(title: string, lines: readonly Line[]): string {
  const rows = [...lines, sum(lines)].map((l) => [l.key, String(l.calls), String(l.billable), formatCents(l.revenue), formatCents(l.payout), formatCents(l.cost), formatCents(l.revenue - l.payout - l.cost)]);
  const head = [title, 'calls', 'billable', 'revenue', 'payout', 'cost', 'margin'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [fmt(head), ...rows.map(fmt)].join('\n');
}
