import { act, fireEvent, render, renderHook, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Button } from '../components/ui.tsx';
import { LEAVING, useCountdown, useSingleFlight } from './hooks.ts';

const isDisabled = (el: HTMLElement) => (el as HTMLButtonElement).disabled;

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function PayButton({ action }: { action: () => Promise<unknown> }) {
  const flight = useSingleFlight(action);
  return (
    <Button variant="primary" onClick={() => void flight.run()} pending={flight.pending} pendingLabel="Paying…">
      Pay
    </Button>
  );
}

describe('useSingleFlight: double-click safety', () => {
  it('a double click runs the action once, and the button is disabled and busy while it runs', async () => {
    const d = deferred();
    const action = vi.fn(() => d.promise);
    render(<PayButton action={action} />);
    const button = screen.getByRole('button', { name: 'Pay' });
    fireEvent.click(button);
    fireEvent.click(button);
    fireEvent.doubleClick(button);
    expect(action).toHaveBeenCalledTimes(1);
    const busy = screen.getByRole('button', { name: 'Paying…' });
    expect(isDisabled(busy)).toBe(true);
    expect(busy.getAttribute('aria-busy')).toBe('true');
    await act(async () => d.resolve());
    const again = screen.getByRole('button', { name: 'Pay' });
    expect(isDisabled(again)).toBe(false);
    fireEvent.click(again);
    expect(action).toHaveBeenCalledTimes(2);
  });

  it('two calls in the same tick (before any re-render) still run once', async () => {
    const d = deferred();
    const action = vi.fn(() => d.promise);
    const { result } = renderHook(() => useSingleFlight(action));
    await act(async () => {
      void result.current.run();
      void result.current.run();
    });
    expect(action).toHaveBeenCalledTimes(1);
    await act(async () => d.resolve());
  });

  it('reopens after a failure', async () => {
    const d = deferred();
    const action = vi.fn(() => d.promise);
    render(<PayButton action={action} />);
    fireEvent.click(screen.getByRole('button', { name: 'Pay' }));
    await act(async () => d.reject(new Error('declined')));
    expect(isDisabled(screen.getByRole('button', { name: 'Pay' }))).toBe(false);
  });

  it('stays pending when the action leaves the page', async () => {
    const action = vi.fn(async () => LEAVING);
    render(<PayButton action={action} />);
    fireEvent.click(screen.getByRole('button', { name: 'Pay' }));
    await act(async () => {});
    expect(isDisabled(screen.getByRole('button', { name: 'Paying…' }))).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Paying…' }));
    expect(action).toHaveBeenCalledTimes(1);
  });
});

describe('useCountdown', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts down each second and fires once at zero', () => {
    vi.useFakeTimers();
    const done = vi.fn();
    const { result } = renderHook(() => useCountdown(3, true, done));
    expect(result.current.remaining).toBe(3);
    act(() => vi.advanceTimersByTime(1_000));
    expect(result.current.remaining).toBe(2);
    act(() => vi.advanceTimersByTime(1_999));
    expect(done).not.toHaveBeenCalled();
    act(() => vi.advanceTimersByTime(1));
    expect(done).toHaveBeenCalledTimes(1);
    act(() => vi.advanceTimersByTime(5_000));
    expect(done).toHaveBeenCalledTimes(1);
  });

  it('does nothing until active', () => {
    vi.useFakeTimers();
    const done = vi.fn();
    const { result, rerender } = renderHook(({ active }) => useCountdown(2, active, done), { initialProps: { active: false } });
    act(() => vi.advanceTimersByTime(10_000));
    expect(result.current.remaining).toBe(2);
    expect(result.current.running).toBe(false);
    rerender({ active: true });
    act(() => vi.advanceTimersByTime(2_000));
    expect(done).toHaveBeenCalledTimes(1);
  });

  it('is no longer running once it has fired, at zero or by skip()', () => {
    vi.useFakeTimers();
    const atZero = renderHook(() => useCountdown(1, true, vi.fn()));
    expect(atZero.result.current.running).toBe(true);
    act(() => vi.advanceTimersByTime(1_000));
    expect(atZero.result.current.remaining).toBe(0);
    expect(atZero.result.current.running).toBe(false);

    const skipped = renderHook(() => useCountdown(5, true, vi.fn()));
    act(() => skipped.result.current.skip());
    expect(skipped.result.current.running).toBe(false);
  });

  it('stop() cancels for good; skip() fires at once and only once', () => {
    vi.useFakeTimers();
    const done = vi.fn();
    const { result } = renderHook(() => useCountdown(5, true, done));
    act(() => result.current.stop());
    act(() => vi.advanceTimersByTime(10_000));
    expect(done).not.toHaveBeenCalled();
    expect(result.current.running).toBe(false);
    act(() => result.current.skip());
    act(() => result.current.skip());
    expect(done).toHaveBeenCalledTimes(1);
  });
});
