import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

/** Returned by an action whose success leaves the page (a redirect to Stripe): it stays pending. */
export const LEAVING = Symbol('leaving');

/**
 * Runs an async action at most once at a time. The ref guard holds even for
 * two clicks that arrive before React re-renders the disabled button, so a
 * double click can never send a mutation twice.
 */
export function useSingleFlight<A extends unknown[]>(action: (...args: A) => Promise<unknown>) {
  const inFlight = useRef(false);
  const [pending, setPending] = useState(false);
  const latest = useRef(action);
  // Updated once the render commits, not during it (React may throw a render away).
  useLayoutEffect(() => {
    latest.current = action;
  });

  const run = useCallback(async (...args: A) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setPending(true);
    let leaving = false;
    try {
      leaving = (await latest.current(...args)) === LEAVING;
    } catch {
      // The action reports its own error (mutation state); the guard only has to reopen.
    } finally {
      if (!leaving) {
        inFlight.current = false;
        setPending(false);
      }
    }
  }, []);
  return { run, pending };
}

/**
 * Counts down from `seconds` once `active`; calls `onDone` at zero. `stop()`
 * cancels for good (the subscriber chose to stay), `skip()` finishes now.
 */
export function useCountdown(seconds: number, active: boolean, onDone: () => void) {
  const [remaining, setRemaining] = useState(seconds);
  const [stopped, setStopped] = useState(false);
  const done = useRef(onDone);
  useLayoutEffect(() => {
    done.current = onDone;
  });
  // The ref makes two calls in one tick fire once; the state re-renders, so `running` ends.
  const fired = useRef(false);
  const [hasFired, setHasFired] = useState(false);

  const fire = useCallback(() => {
    if (fired.current) return;
    fired.current = true;
    setHasFired(true);
    done.current();
  }, []);

  useEffect(() => {
    if (!active || stopped) return;
    const id = setInterval(() => setRemaining((r) => Math.max(0, r - 1)), 1_000);
    return () => clearInterval(id);
  }, [active, stopped]);

  useEffect(() => {
    if (active && !stopped && remaining === 0) fire();
  }, [active, stopped, remaining, fire]);

  return { remaining, running: active && !stopped && !hasFired, stop: () => setStopped(true), skip: fire };
}
