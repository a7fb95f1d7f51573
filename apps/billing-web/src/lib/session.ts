import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { isSessionError } from './errors.ts';

/** The longest delay setTimeout accepts (about 24.8 days). */
const MAX_TIMEOUT = 2 ** 31 - 1;

/**
 * True once the subscriber session is gone: any query or mutation answered
 * UNAUTHORIZED. When the session's expiry time comes while the page is open,
 * `recheck` asks the server (the device's clock may be off, so it only
 * decides when to ask, never the answer).
 */
export function useSessionExpired(expiresAt: string | undefined, recheck: () => void): boolean {
  const client = useQueryClient();
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    const unsubQueries = client.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error' && isSessionError(event.action.error)) setExpired(true);
    });
    const unsubMutations = client.getMutationCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error' && isSessionError(event.action.error)) setExpired(true);
    });
    return () => {
      unsubQueries();
      unsubMutations();
    };
  }, [client]);

  const latestRecheck = useRef(recheck);
  useLayoutEffect(() => {
    latestRecheck.current = recheck;
  });
  useEffect(() => {
    if (!expiresAt) return;
    const ms = new Date(expiresAt).getTime() - Date.now() + 1_000;
    if (ms <= 0) return;
    const id = setTimeout(() => latestRecheck.current(), Math.min(ms, MAX_TIMEOUT));
    return () => clearTimeout(id);
  }, [expiresAt]);

  return expired;
}
