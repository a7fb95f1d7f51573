import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App.tsx';
import { leaveTo } from './lib/leave.ts';
import { apiError, P, renderWithApi, type Handlers } from './test/api.tsx';
import { overview, subscription } from './test/fixtures.ts';

vi.mock('./lib/leave.ts', () => ({ leaveTo: vi.fn() }));

const invoice = {
  id: 'in_1',
  createdAt: '2026-02-20T12:00:00Z',
  amount: 29900,
  amountRefunded: 0,
  currency: 'thb' as const,
  status: 'PAID' as const,
  source: 'STRIPE' as const,
  description: 'Pro',
  periodStart: '2026-02-20T12:00:00Z',
  periodEnd: '2026-03-20T12:00:00Z',
  hostedInvoiceUrl: 'https://stripe.test/i/in_1',
  invoicePdfUrl: 'https://stripe.test/i/in_1/pdf',
};
const manualInvoice = {
  ...invoice,
  id: 'in_2',
  source: 'MANUAL' as const,
  description: 'Bank transfer',
  periodStart: null,
  periodEnd: null,
  hostedInvoiceUrl: null,
  invoicePdfUrl: null,
  status: 'OPEN' as const,
};

function handlers(overrides: Handlers = {}): Handlers {
  return {
    [P.overview]: () => overview(),
    [P.subscription]: () => ({ subscription: subscription() }),
    [P.invoices]: () => ({ invoices: [invoice, manualInvoice] }),
    ...overrides,
  };
}

beforeEach(() => {
  window.history.replaceState(null, '', '/billing');
  vi.mocked(leaveTo).mockClear();
});

describe('dashboard', () => {
  it('shows the app name, the way back, the plan in plain words and the invoices', async () => {
    renderWithApi(<App />, handlers());
    expect(await screen.findByRole('heading', { level: 1, name: 'Billing' })).toBeTruthy();
    expect(screen.getByRole('banner').textContent).toContain('Vega');
    expect(screen.getByRole('link', { name: /Back to Vega/ }).getAttribute('href')).toBe('https://vega.example.com/settings');
    await screen.findByText('Renews on');
    expect(screen.getByText('March 20, 2026')).toBeTruthy();
    expect(screen.getByText(/renews automatically at ฿299\.00 \/ month/)).toBeTruthy();
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]!.textContent).toContain('฿299.00');
    expect(
      within(rows[1]!)
        .getByRole('link', { name: /View invoice/ })
        .getAttribute('href'),
    ).toBe('https://stripe.test/i/in_1');
    expect(rows[2]!.textContent).toContain('Manual');
    expect(rows[2]!.textContent).toContain('Due');
    expect(document.title).toBe('Billing · Vega');
    // A first load does not move focus (only in-app navigation does), even with StrictMode's double effects.
    expect(document.activeElement).toBe(document.body);
  });

  it('cancel: the confirmation says when access ends; a double click cancels once', async () => {
    const cancel = vi.fn(() => subscription({ cancelAtPeriodEnd: true }));
    const api = renderWithApi(<App />, handlers({ [P.cancel]: cancel }));
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel plan' }));
    const dialog = await screen.findByRole('dialog', { name: 'Cancel your Pro plan?' });
    expect(dialog.textContent).toContain('You keep full access until March 20, 2026');
    expect(document.activeElement?.textContent).toBe('Keep my plan');
    const confirm = within(dialog).getByRole('button', { name: 'Cancel plan' });
    fireEvent.click(confirm);
    fireEvent.click(confirm);
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('You keep access until March 20, 2026'));
    expect(cancel).toHaveBeenCalledTimes(1);
    expect(api.callsTo(P.cancel)).toHaveLength(1);
  });

  it('a notice stays on its page: it is gone on the next page, and does not come back', async () => {
    renderWithApi(<App />, handlers({ [P.cancel]: () => subscription({ cancelAtPeriodEnd: true }), [P.plans]: () => ({ plans: [] }) }));
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel plan' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Cancel plan' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('Your plan has been canceled.'));
    const nav = () => within(screen.getByRole('navigation', { name: 'Billing' }));
    fireEvent.click(nav().getByRole('link', { name: 'Plans' }));
    await screen.findByRole('heading', { level: 1, name: /plan/i });
    expect(screen.getByRole('status').textContent).toBe('');
    fireEvent.click(nav().getByRole('link', { name: 'Subscription' }));
    await screen.findByRole('heading', { level: 1, name: 'Billing' });
    expect(screen.getByRole('status').textContent).toBe('');
  });

  it('Escape closes the cancel dialog without cancelling', async () => {
    const cancel = vi.fn();
    renderWithApi(<App />, handlers({ [P.cancel]: cancel }));
    const opener = await screen.findByRole('button', { name: 'Cancel plan' });
    opener.focus();
    fireEvent.click(opener);
    const dialog = await screen.findByRole('dialog');
    act(() => {
      dialog.dispatchEvent(new Event('cancel', { cancelable: true }));
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(cancel).not.toHaveBeenCalled();
  });

  it('cancelAtPeriodEnd: "Your plan ends on …" with a resume button', async () => {
    const resume = vi.fn(() => subscription());
    renderWithApi(<App />, handlers({ [P.subscription]: () => ({ subscription: subscription({ cancelAtPeriodEnd: true }) }), [P.resume]: resume }));
    expect(await screen.findByText(/^Your plan ends on March 20, 2026\./)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Cancel plan' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Resume plan' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('Your plan is back on'));
    expect(resume).toHaveBeenCalledTimes(1);
  });

  it('update payment method opens a portal session', async () => {
    renderWithApi(<App />, handlers({ [P.portal]: () => ({ url: 'https://stripe.test/p/session/bps_1' }) }));
    fireEvent.click(await screen.findByRole('button', { name: 'Update payment method' }));
    await waitFor(() => expect(leaveTo).toHaveBeenCalledWith('https://stripe.test/p/session/bps_1'));
  });

  it('a manual plan shows its end date and no Stripe actions', async () => {
    renderWithApi(
      <App />,
      handlers({ [P.subscription]: () => ({ subscription: subscription({ source: 'MANUAL', manageable: false, currentPeriodEnd: '2026-12-31T12:00:00Z' }) }) }),
    );
    expect(await screen.findByText('Runs until')).toBeTruthy();
    expect(screen.getByText('December 31, 2026')).toBeTruthy();
    for (const name of ['Cancel plan', 'Update payment method', 'Resume plan']) expect(screen.queryByRole('button', { name })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Change plan' })).toBeNull();
  });

  it('no subscription: says so and offers the plans', async () => {
    renderWithApi(<App />, handlers({ [P.subscription]: () => ({ subscription: null }), [P.invoices]: () => ({ invoices: [] }) }));
    expect(await screen.findByText("You don't have a Vega plan yet. Choose one to get started.")).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Choose a plan' }).getAttribute('href')).toBe('/billing/plans');
    expect(await screen.findByText(/No invoices yet/)).toBeTruthy();
  });

  it('a failed section shows an error with a retry, not a blank page', async () => {
    let fail = true;
    renderWithApi(<App />, handlers({ [P.invoices]: () => (fail ? Promise.reject(apiError('INTERNAL_ERROR')) : { invoices: [] }) }));
    expect((await screen.findByRole('alert')).textContent).toContain("We couldn't load your invoices");
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText(/No invoices yet/)).toBeTruthy();
  });
});

describe('session', () => {
  it('a missing or expired session shows how to get back, never a raw error', async () => {
    renderWithApi(<App />, { [P.overview]: () => Promise.reject(apiError('UNAUTHORIZED', 'Session expired')) });
    expect(await screen.findByRole('heading', { level: 1, name: 'Your billing session has ended' })).toBeTruthy();
    expect(screen.getByRole('main').textContent).toContain('Manage subscription');
    expect(screen.queryByText('Session expired')).toBeNull();
  });

  it('a session that expires mid-use (a mutation answers UNAUTHORIZED) switches to that page with the way back', async () => {
    renderWithApi(<App />, handlers({ [P.portal]: () => Promise.reject(apiError('UNAUTHORIZED')) }));
    fireEvent.click(await screen.findByRole('button', { name: 'Update payment method' }));
    expect(screen.getByRole('contentinfo').textContent).toContain('Signed in as ann@example.com');
    expect(await screen.findByRole('heading', { level: 1, name: 'Your billing session has ended' })).toBeTruthy();
    expect(within(screen.getByRole('main')).getByRole('link', { name: 'Back to Vega' }).getAttribute('href')).toBe('https://vega.example.com/settings');
    expect(screen.getByRole('contentinfo').textContent).not.toContain('Signed in');
  });

  it("when the session's expiry time comes, it asks the server, and believes the server over the device clock", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      let valid = true;
      const overviewCall = vi.fn(() =>
        valid ? overview({ sessionExpiresAt: new Date(Date.now() + 5_000).toISOString() }) : Promise.reject(apiError('UNAUTHORIZED')),
      );
      renderWithApi(<App />, handlers({ [P.overview]: overviewCall }));
      await screen.findByRole('heading', { level: 1, name: 'Billing' });
      expect(overviewCall).toHaveBeenCalledTimes(1);
      await act(() => vi.advanceTimersByTimeAsync(6_500));
      expect(overviewCall).toHaveBeenCalledTimes(2);
      expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Billing');
      valid = false;
      await act(() => vi.advanceTimersByTimeAsync(6_500));
      expect(overviewCall).toHaveBeenCalledTimes(3);
      expect(await screen.findByRole('heading', { level: 1, name: 'Your billing session has ended' })).toBeTruthy();
    } finally {
      vi.useRealTimers();
    }
  });

  it('in-app links navigate without a reload and move focus to the new heading', async () => {
    renderWithApi(<App />, handlers({ [P.plans]: () => ({ plans: [] }) }));
    await screen.findByRole('heading', { level: 1, name: 'Billing' });
    fireEvent.click(within(screen.getByRole('navigation', { name: 'Billing' })).getByRole('link', { name: 'Plans' }));
    const heading = await screen.findByRole('heading', { level: 1, name: /plan/i });
    expect(window.location.pathname).toBe('/billing/plans');
    await waitFor(() => expect(document.activeElement).toBe(heading));
  });
});
