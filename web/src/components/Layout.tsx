/** Header with the role's navigation and the signed-in party; the nav scrolls sideways at phone width. */
import type { ComponentChildren } from 'preact';
import type { Me } from '../api.js';

const NAV: Record<Me['role'], [string, string][]> = {
  operator: [['/', 'Live'], ['/pnl', 'P&L'], ['/calls', 'Calls'], ['/buyers', 'Buyers']],
  buyer: [['/', 'Overview'], ['/calls', 'Calls']],
  publisher: [['/', 'Overview'], ['/calls', 'Calls']],
};

const ROLE_TITLE: Record<Me['role'], string> = { operator: 'Operator', buyer: 'Buyer portal', publisher: 'Publisher portal' };

function active(path: string, href: string): boolean {
  if (href === '/') return path === '/';
  return path === href || path.startsWith(`${href}/`);
}

export function Layout({ me, path, onLogout, children }: { me: Me; path: string; onLogout: () => void; children: ComponentChildren }) {
  return (
    <div class="shell">
      <header class="top">
        <div class="brand">
          <span class="logo" aria-hidden="true">◆</span> callroute
          <span class="role" data-testid="role">{ROLE_TITLE[me.role]}</span>
        </div>
        <nav class="nav" aria-label="Main">
          {NAV[me.role].map(([href, label]) => (
            <a key={href} href={`#${href}`} class={active(path, href) ? 'on' : ''}>{label}</a>
          ))}
        </nav>
        <div class="who">
          <span data-testid="party">{me.partyName ?? me.party ?? 'all parties'}</span>
          <button type="button" class="link" onClick={onLogout}>Sign out</button>
        </div>
      </header>
      <main class="content">{children}</main>
    </div>
  );
}
