/** A ranked list of reasons with counts and a share bar (why calls were not billed, or not paid). */
import { words } from '../format.js';
import { Empty } from './ui.js';

export function ReasonList({ counts, total, testId }: { counts: Record<string, number>; total: number; testId?: string }) {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  if (rows.length === 0) return <Empty>None.</Empty>;
  return (
    <ul class="reasons" data-testid={testId}>
      {rows.map(([reason, n]) => (
        <li key={reason}>
          <span class="r-label">{words(reason)}</span>
          <span class="r-count">{n}</span>
          <span class="bar"><span style={{ width: `${total ? Math.round((n / total) * 100) : 0}%` }} /></span>
        </li>
      ))}
    </ul>
  );
}
