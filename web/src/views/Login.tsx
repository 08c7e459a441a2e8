/** Sign in with an API key; the key is checked against the engine before it is kept for the session. */
import { useState } from 'preact/hooks';
import { getJson, type Me } from '../api.js';
import { saveSession } from '../session.js';
import { Notice } from '../components/ui.js';

export function Login({ onLogin, error }: { onLogin: (me: Me) => void; error?: string | undefined }) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | undefined>(error);

  const submit = (e: Event) => {
    e.preventDefault();
    const k = key.trim();
    if (!k) return;
    setBusy(true);
    getJson<Me>('/dashboard/api/me', k)
      .then((me) => {
        saveSession(k);
        location.hash = '/';
        onLogin(me);
      })
      .catch((err: unknown) => setFailed(err instanceof Error ? err.message : String(err)))
      .finally(() => setBusy(false));
  };

  return (
    <div class="login">
      <form class="card login-card" onSubmit={submit}>
        <h1><span class="logo" aria-hidden="true">◆</span> callroute</h1>
        <p class="muted">Sign in with the API key your operator gave you. It is kept only for this browser tab.</p>
        <label for="api-key">API key</label>
        <input id="api-key" name="api-key" type="password" autocomplete="off" value={key} onInput={(e) => setKey(e.currentTarget.value)} />
        {failed ? <Notice>{failed}</Notice> : null}
        <button type="submit" disabled={busy || !key.trim()}>{busy ? 'Checking…' : 'Sign in'}</button>
      </form>
    </div>
  );
}
