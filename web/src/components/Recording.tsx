/**
 * The call's recording, when the engine recorded it. The audio is fetched with the API key (an <audio src> could
 * not send it) and played from a blob URL that is released when the view goes away.
 */
import { useEffect, useState } from 'preact/hooks';
import { request } from '../api.js';
import { Card, Empty } from './ui.js';

type State = { kind: 'checking' } | { kind: 'none' } | { kind: 'ready'; url: string } | { kind: 'error'; message: string };

export function Recording({ callId }: { callId: string }) {
  const [state, setState] = useState<State>({ kind: 'checking' });
  useEffect(() => {
    let url: string | undefined;
    let gone = false;
    request(`/dashboard/api/calls/${encodeURIComponent(callId)}/recording`)
      .then((res) => res.blob())
      .then((blob) => {
        if (gone) return;
        url = URL.createObjectURL(blob);
        setState({ kind: 'ready', url });
      })
      .catch((e: unknown) => {
        const status = (e as { status?: number }).status;
        if (!gone) setState(status === 404 ? { kind: 'none' } : { kind: 'error', message: e instanceof Error ? e.message : String(e) });
      });
    return () => {
      gone = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [callId]);

  return (
    <Card title="Recording" testId="recording">
      {state.kind === 'ready' ? <audio controls preload="metadata" src={state.url} data-testid="recording-player" /> : null}
      {state.kind === 'none' ? <Empty>Not recorded.</Empty> : null}
      {state.kind === 'checking' ? <Empty>Looking for a recording…</Empty> : null}
      {state.kind === 'error' ? <Empty>Recording unavailable: {state.message}</Empty> : null}
    </Card>
  );
}
