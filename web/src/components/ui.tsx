/** Small shared pieces: stat cards, badges, notices, empty states. */
import type { ComponentChildren } from 'preact';

export function Stat({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId?: string }) {
  return (
    <div class="stat" data-testid={testId}>
      <div class="stat-label">{label}</div>
      <div class="stat-value">{value}</div>
      {hint ? <div class="stat-hint">{hint}</div> : null}
    </div>
  );
}

export type Tone = 'good' | 'bad' | 'warn' | 'info' | 'muted';

export function Badge({ tone, children }: { tone: Tone; children: ComponentChildren }) {
  return <span class={`badge badge-${tone}`}>{children}</span>;
}

export function Notice({ kind = 'error', children }: { kind?: 'error' | 'info'; children: ComponentChildren }) {
  return <div class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>{children}</div>;
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="empty">{children}</div>;
}

export function Card({ title, actions, children, testId }: { title?: string; actions?: ComponentChildren; children: ComponentChildren; testId?: string }) {
  return (
    <section class="card" data-testid={testId}>
      {title || actions ? (
        <header class="card-head">
          {title ? <h2>{title}</h2> : <span />}
          {actions}
        </header>
      ) : null}
      {children}
    </section>
  );
}

/** Tables scroll sideways inside their card at phone width instead of widening the page. */
export function Scroll({ children }: { children: ComponentChildren }) {
  return <div class="scroll">{children}</div>;
}

export function outcomeTone(outcome: string | null): Tone {
  if (outcome === 'connected') return 'good';
  if (outcome === null) return 'info';
  if (outcome === 'error' || outcome === 'interrupted') return 'bad';
  return 'warn';
}
