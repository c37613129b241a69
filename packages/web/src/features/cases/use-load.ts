import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbort } from '../../lib/api.ts';

/**
 * Loads something when `key` changes (the loader itself is re-created each render: the key says when it
 * really changes); `reload()` loads it again, e.g. after adding to a list. An answer that arrives after a
 * newer request was made is dropped.
 */
export function useLoad<T>(load: () => Promise<T>, key: string): { data: T | null; error: unknown; reload: () => Promise<void> } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const loader = useRef(load);
  loader.current = load;
  const seq = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setError(null);
    try {
      const value = await loader.current();
      if (mine === seq.current) setData(value);
    } catch (err) {
      if (mine === seq.current && !isAbort(err)) setError(err);
    }
  }, []);
  useEffect(() => {
    setData(null);
    void reload();
  }, [key, reload]);
  return { data, error, reload };
}

/** Changes one item of a loaded list (a status, say), then reads again what it affects; the error is kept to show. */
export function useItemChange(...reloads: (() => Promise<void>)[]): { error: unknown; run: (change: () => Promise<unknown>) => Promise<void> } {
  const [error, setError] = useState<unknown>(null);
  const run = async (change: () => Promise<unknown>) => {
    setError(null);
    try {
      await change();
    } catch (err) {
      setError(err);
    }
    await Promise.all(reloads.map((r) => r()));
  };
  return { error, run };
}
