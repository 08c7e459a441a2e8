/**
 * The app shell: login gate, then the views a role may open. What a role sees is decided by the API (a buyer key
 * only ever gets its own calls); the shell only avoids offering views the role cannot use.
 */
import { useEffect, useState } from 'preact/hooks';
import { getJson, setUnauthorizedHandler, type Me } from './api.js';
import { Layout } from './components/Layout.js';
import { usePath } from './router.js';
import { clearSession, sessionKey } from './session.js';
import { Notice } from './components/ui.js';
import { Login } from './views/Login.js';
import { LiveView } from './views/Live.js';
import { PnlView } from './views/Pnl.js';
import { CallsView } from './views/Calls.js';
import { CallDetailView } from './views/CallDetail.js';
import { BuyersView } from './views/Buyers.js';
import { BuyerHome } from './views/BuyerHome.js';
import { PublisherHome } from './views/PublisherHome.js';

function View({ me, path }: { me: Me; path: string }) {
  const detail = /^\/calls\/([^/]+)$/.exec(path);
  if (detail?.[1]) return <CallDetailView me={me} id={decodeURIComponent(detail[1])} />;
  if (path === '/calls') return <CallsView me={me} />;
  if (me.role === 'operator') {
    if (path === '/pnl') return <PnlView />;
    if (path === '/buyers') return <BuyersView />;
    return <LiveView />;
  }
  return me.role === 'buyer' ? <BuyerHome me={me} /> : <PublisherHome me={me} />;
}

export function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(sessionKey() !== null);
  const [error, setError] = useState<string>();
  const path = usePath();

  useEffect(() => {
    setUnauthorizedHandler(() => setMe(null));
    if (!sessionKey()) return;
    getJson<Me>('/dashboard/api/me')
      .then(setMe)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setChecking(false));
  }, []);

  if (checking) return <div class="boot">Loading…</div>;
  if (!me) return <Login onLogin={setMe} error={error} />;
  const logout = () => {
    clearSession();
    setMe(null);
    location.hash = '/';
  };
  return (
    <Layout me={me} path={path} onLogout={logout}>
      {error ? <Notice>{error}</Notice> : null}
      <View me={me} path={path} />
    </Layout>
  );
}
