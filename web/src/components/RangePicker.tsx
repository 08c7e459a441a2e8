/** A date range: presets (today, 7 and 30 days) or two dates, in the browser's time zone. */
import { daysAgo, localDate } from '../format.js';

export interface Range {
  from: string;
  to: string;
}

export const todayRange = (): Range => ({ from: localDate(new Date()), to: localDate(new Date()) });
export const lastDays = (n: number): Range => ({ from: daysAgo(n - 1), to: localDate(new Date()) });

const PRESETS: [string, () => Range][] = [['Today', todayRange], ['7 days', () => lastDays(7)], ['30 days', () => lastDays(30)]];

export function RangePicker({ value, onChange }: { value: Range; onChange: (r: Range) => void }) {
  return (
    <div class="range" data-testid="range">
      <div class="seg">
        {PRESETS.map(([label, make]) => {
          const r = make();
          const on = r.from === value.from && r.to === value.to;
          return <button type="button" key={label} class={on ? 'on' : ''} onClick={() => onChange(r)}>{label}</button>;
        })}
      </div>
      <label class="inline">From <input type="date" value={value.from} max={value.to} onChange={(e) => onChange({ ...value, from: e.currentTarget.value })} /></label>
      <label class="inline">To <input type="date" value={value.to} min={value.from} onChange={(e) => onChange({ ...value, to: e.currentTarget.value })} /></label>
    </div>
  );
}
