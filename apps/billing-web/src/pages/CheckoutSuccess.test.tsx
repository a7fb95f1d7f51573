import { act, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../App.tsx';
import { leaveTo } from '../lib/leave.ts';
import { apiError, P, renderWithApi, type Handlers } from '../test/api.tsx';
import { overview, freeSubscription, subscription } from '../test/fixtures.ts';

vi.mock('../lib/leave.ts', () => ({ leaveTo: vi.fn() }));

function handlers(overrides: Handlers = {}): Handlers {
  return {
    [P.overview]: () => overview({ intent: 'upgrade', planSlug: 'pro' }),
    [P.verify]: () => ({ status: 'complete', subscription: subscription() }),
    [P.checkoutStatus]: () => ({ status: 'pending', subscription: null }),
    ...overrides,
  };
}

const heading = () => screen.getByRole('heading', { level: 1 }).textContent;

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  window.history.replaceState(null, '', '/billing/checkout/success?session_id=cs_test_1');
  vi.mocked(leaveTo).mockClear();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('checkout confirmation', () => {
  it('verifies the session, confirms, and returns an upgrade session to the app after a countdown', async () => {
    const api = renderWithApi(<App />, handlers());
    await screen.findByText("You're all set");
    expect(api.callsTo(P.verify)[0]!.input).toEqual({ sessionId: 'cs_test_1' });
    expect(screen.getByRole('main').textContent).toContain("You're now subscribed to Pro");
    expect(screen.getByRole('timer').textContent).toBe('Taking you back to Vega in 5 s.');
    await act(() => vi.advanceTimersByTimeAsync(4_000));
    expect(leaveTo).not.toHaveBeenCalled();
    await act(() => vi.advanceTimersByTimeAsync(1_000));
    expect(leaveTo).toHaveBeenCalledWith('https://vega.example.com/settings');
  });

  it('the countdown can be skipped or stopped', async () => {
    renderWithApi(<App />, handlers());
    fireEvent.click(await screen.findByRole('button', { name: 'Stay on this page' }));
    await act(() => vi.advanceTimersByTimeAsync(10_000));
    expect(leaveTo).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Return to Vega now' }));
    expect(leaveTo).toHaveBeenCalledTimes(1);
  });

  it('a manage session shows the way back without leaving on its own', async () => {
    renderWithApi(<App />, handlers({ [P.overview]: () => overview() }));
    await screen.findByText("You're all set");
    expect(screen.queryByRole('timer')).toBeNull();
    expect(within(screen.getByRole('main')).getByRole('link', { name: 'Back to Vega' }).getAttribute('href')).toBe('https://vega.example.com/settings');
    await act(() => vi.advanceTimersByTimeAsync(20_000));
    expect(leaveTo).not.toHaveBeenCalled();
  });

  it('polls when the payment is still pending, then confirms', async () => {
    let live = false;
    const api = renderWithApi(
      <App />,
      handlers({
        [P.verify]: () => ({ status: 'pending', subscription: null }),
        [P.checkoutStatus]: () => ({ status: live ? 'complete' : 'pending', subscription: live ? subscription() : null }),
      }),
    );
    await screen.findByText('Confirming your payment…');
    await act(() => vi.advanceTimersByTimeAsync(2_600));
    expect(api.callsTo(P.checkoutStatus).length).toBeGreaterThanOrEqual(2);
    expect(api.callsTo(P.checkoutStatus)[0]!.input).toEqual({ sessionId: 'cs_test_1' });
    live = true;
    await act(() => vi.advanceTimersByTimeAsync(2_300));
    expect(heading()).toBe("You're all set");
  });

  it('on the free plan, a failed verify does not confirm with the free plan: it waits for the plan the checkout bought', async () => {
    let bought = false;
    const free = freeSubscription({ id: 'sub_free' });
    renderWithApi(
      <App />,
      handlers({
        [P.verify]: () => Promise.reject(apiError('PROVIDER_ERROR', 'Stripe is down')),
        [P.subscription]: () => ({ subscription: free }),
        [P.checkoutStatus]: () => ({
          status: bought ? 'complete' : 'pending',
          subscription: bought ? subscription({ plan: { slug: 'max', name: 'Max', priceAmount: 99900, currency: 'thb', interval: 'month' } }) : null,
        }),
      }),
    );
    await screen.findByText('Confirming your payment…');
    await act(() => vi.advanceTimersByTimeAsync(8_000));
    expect(heading()).toBe('Confirming your payment…');
    bought = true;
    await act(() => vi.advanceTimersByTimeAsync(5_000));
    expect(heading()).toBe("You're all set");
    expect(screen.getByRole('main').textContent).toContain("You're now subscribed to Max (฿999.00 / month)");
  });

  it('never spins forever: after 30 s it explains that the payment is being processed', async () => {
    renderWithApi(<App />, handlers({ [P.verify]: () => ({ status: 'pending', subscription: null }) }));
    await screen.findByText('Confirming your payment…');
    await act(() => vi.advanceTimersByTimeAsync(29_000));
    expect(heading()).toBe('Confirming your payment…');
    await act(() => vi.advanceTimersByTimeAsync(1_000));
    expect(heading()).toBe('Your payment is being processed');
    expect(screen.getByRole('main').textContent).toContain("you don't need to do anything");
    expect(screen.queryByRole('status', { name: /Waiting for confirmation/ })).toBeNull();
    expect(screen.getByRole('button', { name: 'Check again' })).toBeTruthy();
  });

  it('an expired checkout says nothing was charged', async () => {
    renderWithApi(<App />, handlers({ [P.verify]: () => ({ status: 'expired', subscription: null }) }));
    expect(await screen.findByText(/Nothing was charged/)).toBeTruthy();
    expect(heading()).toBe('This checkout has expired');
  });

  it("a session id that is none of this subscriber's checkouts says so at once, with the way back, and polls nothing", async () => {
    const api = renderWithApi(<App />, handlers({ [P.verify]: () => Promise.reject(apiError('NOT_FOUND', 'Checkout session not found')) }));
    await screen.findByText("We couldn't find your checkout");
    expect(screen.getByRole('main').textContent).toContain("doesn't match a checkout of yours");
    expect(screen.getByRole('link', { name: 'Go to billing' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Choose a plan' })).toBeTruthy();
    await act(() => vi.advanceTimersByTimeAsync(40_000));
    expect(heading()).toBe("We couldn't find your checkout");
    expect(api.callsTo(P.checkoutStatus)).toHaveLength(0);
    expect(leaveTo).not.toHaveBeenCalled();
  });

  it('without a session id it does not call verify', async () => {
    window.history.replaceState(null, '', '/billing/checkout/success');
    const api = renderWithApi(<App />, handlers());
    await screen.findByText("We couldn't find your checkout");
    expect(api.callsTo(P.verify)).toHaveLength(0);
  });
});
