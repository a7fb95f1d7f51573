import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { isSessionError } from './errors.ts';

/** The longest delay setTimeout accepts (about 24.8 days). */
const MAX_TIMEOUT = 2 ** 31 - 1;

/**
 * True once the subscriber session is gone: any query or mutation answered
 * UNAUTHORIZED, or the session's expiry time passed while the page was open.
 */
export function useSessionExpired(expiresAt: string | undefined): boolean {
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

  useEffect(() => {
    if (!expiresAt) return;
    const ms = new Date(expiresAt).getTime() - Date.now();
    if (ms <= 0) {
      setExpired(true);
      return;
    }
    const id = setTimeout(() => setExpired(true), Math.min(ms, MAX_TIMEOUT));
    return () => clearTimeout(id);
  }, [expiresAt]);

  return expired;
}
