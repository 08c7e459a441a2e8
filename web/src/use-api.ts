/** Loads an API resource for a view, optionally polling it; stale answers from an older path are dropped. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { getJson } from './api.js';

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => void;
}

export function useApi<T>(path: string | null, pollMs?: number): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(path !== null);
  const latest = useRef(path);
  latest.current = path;

  const load = useCallback(() => {
    if (path === null) return;
    setLoading(true);
    getJson<T>(path)
      .then((d) => {
        if (latest.current !== path) return;
        setData(d);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (latest.current === path) setError(e instanceof Error ? e.message : String(e));
      })
      .finally(() => {
        if (latest.current === path) setLoading(false);
      });
  }, [path]);

  useEffect(() => {
    load();
    if (!pollMs) return;
    // Poll only while the tab is visible; a hidden tab costs the engine nothing.
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') load();
    }, pollMs);
    return () => clearInterval(timer);
  }, [load, pollMs]);

  return { data, error, loading, reload: load };
}
