import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useFetchCheckoutStatus, useVerifyCheckout } from '../api.ts';
import { startCheckoutWait, type WaitState } from './checkout-wait.ts';
import { isCheckoutNotFound, isSessionError } from './errors.ts';

/** The React side of startCheckoutWait: the current state, and "check again". */
export function useCheckoutWait(sessionId: string | null) {
  const verify = useVerifyCheckout();
  const fetchStatus = useFetchCheckoutStatus();
  const calls = useRef({ verify: verify.mutateAsync, fetchStatus });
  useLayoutEffect(() => {
    calls.current = { verify: verify.mutateAsync, fetchStatus };
  });
  const [state, setState] = useState<WaitState>({ phase: 'verifying' });
  const [round, setRound] = useState(0);

  useEffect(() => {
    if (!sessionId) return;
    return startCheckoutWait({
      verify: () => calls.current.verify({ sessionId }),
      fetchStatus: () => calls.current.fetchStatus(sessionId),
      onState: setState,
      isFatal: isSessionError,
      isNotFound: isCheckoutNotFound,
    });
  }, [sessionId, round]);

  return { state, checkAgain: () => setRound((r) => r + 1) };
}
