/** Call records for the signed-in role, newest first, filterable, a page at a time ("Load more"). */
import { useEffect, useState } from 'preact/hooks';
import { getJson, qs, type CallList, type CallView, type Me } from '../api.js';
import { CallsTable } from '../components/CallsTable.js';
import { RangePicker, lastDays, type Range } from '../components/RangePicker.js';
import { Card, Empty, Notice } from '../components/ui.js';

const OUTCOMES = ['connected', 'not_qualified', 'abandoned_ivr', 'abandoned_routing', 'no_buyer', 'closed', 'error', 'interrupted'];

/** Local date range -> ISO instants: from the start of `from` to the end of `to`. */
export function rangeInstants(r: Range): { from: string; to: string } {
  const to = new Date(`${r.to}T00:00:00`);
  to.setDate(to.getDate() + 1);
  return { from: new Date(`${r.from}T00:00:00`).toISOString(), to: to.toISOString() };
}

export function useCalls(query: Record<string, string | undefined>) {
  const [calls, setCalls] = useState<CallView[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const key = JSON.stringify(query);

  const load = (after: string | null) => {
    setLoading(true);
    getJson<CallList>(`/calls${qs({ ...query, limit: 50, cursor: after ?? undefined })}`)
      .then((page) => {
        setCalls((prev) => (after ? [...prev, ...page.calls] : page.calls));
        setCursor(page.nextCursor);
        setError(undefined);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setLoading(false));
  };
  // `key` stands for the query object: a new object with the same filters must not reload.
  useEffect(() => load(null), [key]);
  return { calls, error, loading, more: cursor ? () => load(cursor) : null, reload: () => load(null) };
}

export function CallsView({ me }: { me: Me }) {
  const [range, setRange] = useState<Range>(lastDays(7));
  const [outcome, setOutcome] = useState('');
  const [billable, setBillable] = useState('');
  const list = useCalls({ ...rangeInstants(range), outcome: outcome || undefined, billable: billable || undefined });
  const filters = (
    <div class="filters">
      <RangePicker value={range} onChange={setRange} />
      <select aria-label="Outcome" value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)}>
        <option value="">All outcomes</option>
        {OUTCOMES.map((o) => <option key={o} value={o}>{o.replace(/_/g, ' ')}</option>)}
      </select>
      <select aria-label="Billable" value={billable} onChange={(e) => setBillable(e.currentTarget.value)}>
        <option value="">Billable or not</option>
        <option value="true">Billable</option>
        <option value="false">Not billable</option>
      </select>
    </div>
  );
  return (
    <Card title="Calls" testId="calls">
      {filters}
      {list.error ? <Notice>{list.error}</Notice> : null}
      {list.calls.length ? <CallsTable role={me.role} calls={list.calls} /> : <Empty>{list.loading ? 'Loading…' : 'No calls match.'}</Empty>}
      {list.more ? <button type="button" class="secondary more" disabled={list.loading} onClick={list.more}>Load more</button> : null}
    </Card>
  );
}
