import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../App.tsx';
import { leaveTo } from '../lib/leave.ts';
import { apiError, P, renderWithApi, type Handlers } from '../test/api.tsx';
import { overview, plan, preview, freeSubscription, subscription } from '../test/fixtures.ts';

vi.mock('../lib/leave.ts', () => ({ leaveTo: vi.fn() }));

const PLANS = [
  plan({ slug: 'basic', name: 'Basic', priceAmount: 9900, description: null }),
  plan({ slug: 'pro', name: 'Pro', priceAmount: 29900, trialDays: 14 }),
  plan({ slug: 'team', name: 'Team', priceAmount: 1999, currency: 'usd' }),
];

/** Pro at ฿299.00 a month or ฿2,990.00 a year: 17% less than twelve months. */
const PRO_BOTH = plan({
  slug: 'pro',
  name: 'Pro',
  priceAmount: 29900,
  trialDays: 14,
  prices: [
    { interval: 'month', priceAmount: 29900, currency: 'thb' },
    { interval: 'year', priceAmount: 299000, currency: 'thb' },
  ],
});

function handlers(overrides: Handlers = {}): Handlers {
  return {
    [P.overview]: () => overview(),
    [P.plans]: () => ({ plans: PLANS }),
    [P.subscription]: () => ({ subscription: null }),
    ...overrides,
  };
}

const card = (name: string) => screen.getByRole('listitem', { name });

beforeEach(() => {
  window.history.replaceState(null, '', '/billing/plans');
  vi.mocked(leaveTo).mockClear();
});

describe('plans', () => {
  it('lists every plan with its price in its currency, interval and trial', async () => {
    renderWithApi(<App />, handlers());
    await screen.findByRole('list', { name: 'Plans' });
    expect(card('Basic').textContent).toContain('฿99.00');
    expect(card('Pro').textContent).toContain('฿299.00');
    expect(card('Pro').textContent).toContain('/ month');
    expect(card('Pro').textContent).toContain('14-day free trial, then billed monthly');
    expect(card('Team').textContent).toContain('$19.99');
    expect(card('Team').textContent).toContain('/ month');
    // Every plan is sold monthly only: there is no billing period to choose.
    expect(screen.queryByRole('group', { name: 'Billing period' })).toBeNull();
  });

  it("an upgrade session's plan is pre-selected and highlighted", async () => {
    window.history.replaceState(null, '', '/billing/plans?plan=pro');
    renderWithApi(<App />, handlers({ [P.overview]: () => overview({ intent: 'upgrade', planSlug: 'pro' }) }));
    await screen.findByRole('list', { name: 'Plans' });
    expect(card('Pro').className).toContain('plan-card-selected');
    expect(card('Pro').textContent).toContain('Selected for you');
    expect(card('Basic').className).not.toContain('plan-card-selected');
    expect(within(card('Pro')).getByRole('button').className).toContain('btn-primary');
    expect(within(card('Basic')).getByRole('button').className).toContain('btn-secondary');
  });

  it('the current plan is marked and cannot be bought again', async () => {
    const plans = PLANS.map((p) => (p.slug === 'basic' ? { ...p, current: true } : p));
    renderWithApi(
      <App />,
      handlers({
        [P.plans]: () => ({ plans }),
        [P.subscription]: () => ({ subscription: subscription({ plan: { ...subscription().plan, slug: 'basic', name: 'Basic' } }) }),
      }),
    );
    await screen.findByRole('list', { name: 'Plans' });
    expect(card('Basic').textContent).toContain('Current plan');
    expect((within(card('Basic')).getByRole('button', { name: 'Your current plan' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Change your plan');
  });

  it('Subscribe goes to checkout once, even on a double click, and keeps every button disabled', async () => {
    const create = vi.fn(() => ({ kind: 'redirect', url: 'https://checkout.test/c/pay/cs_1' }));
    const api = renderWithApi(<App />, handlers({ [P.checkout]: create }));
    await screen.findByRole('list', { name: 'Plans' });
    const button = within(card('Pro')).getByRole('button', { name: 'Subscribe to Pro' });
    fireEvent.click(button);
    fireEvent.click(button);
    await waitFor(() => expect(leaveTo).toHaveBeenCalledWith('https://checkout.test/c/pay/cs_1'));
    expect(api.callsTo(P.checkout)).toEqual([{ path: P.checkout, input: { planSlug: 'pro', billingInterval: 'month' } }]);
    expect(within(card('Pro')).getByRole('button').textContent).toContain('Redirecting to checkout…');
    for (const name of ['Basic', 'Team']) expect((within(card(name)).getByRole('button') as HTMLButtonElement).disabled).toBe(true);
  });

  it('a checkout error is explained and the buttons work again', async () => {
    renderWithApi(<App />, handlers({ [P.checkout]: () => Promise.reject(apiError('PROVIDER_ERROR', 'Internal server error')) }));
    await screen.findByRole('list', { name: 'Plans' });
    fireEvent.click(within(card('Pro')).getByRole('button', { name: 'Subscribe to Pro' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Our payment provider is not responding right now');
    expect((within(card('Pro')).getByRole('button') as HTMLButtonElement).disabled).toBe(false);
    expect(leaveTo).not.toHaveBeenCalled();
  });

  it("a refused checkout shows the API's sentence for people, never its message for developers", async () => {
    const refusal = apiError('ALREADY_SUBSCRIBED', 'The customer has a current basic subscription; a free plan needs none', 'You already have the Basic plan.');
    renderWithApi(<App />, handlers({ [P.checkout]: () => Promise.reject(refusal) }));
    await screen.findByRole('list', { name: 'Plans' });
    fireEvent.click(within(card('Pro')).getByRole('button', { name: 'Subscribe to Pro' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('You already have the Basic plan.');
    expect(alert.textContent).not.toContain('customer has');
  });

  it('an existing subscriber sees the proration preview and the amount due now before confirming', async () => {
    const plans = PLANS.map((p) => (p.slug === 'basic' ? { ...p, current: true } : p));
    const confirm = vi.fn(() => subscription());
    const api = renderWithApi(
      <App />,
      handlers({
        [P.plans]: () => ({ plans }),
        [P.subscription]: () => ({ subscription: subscription({ plan: { ...subscription().plan, slug: 'basic', name: 'Basic', priceAmount: 9900 } }) }),
        [P.preview]: () => preview(),
        [P.confirm]: confirm,
        [P.invoices]: () => ({ invoices: [] }),
      }),
    );
    await screen.findByRole('list', { name: 'Plans' });
    fireEvent.click(within(card('Pro')).getByRole('button', { name: 'Switch to Pro' }));
    const dialog = await screen.findByRole('dialog', { name: 'Switch to Pro' });
    await within(dialog).findByText('Due today');
    expect(dialog.textContent).toContain('Unused time on Basic');
    expect(dialog.textContent).toContain('-฿66.67');
    expect(dialog.textContent).toContain("You'll be charged ฿133.33 today");
    expect(api.callsTo(P.checkout)).toHaveLength(0);
    const pay = within(dialog).getByRole('button', { name: 'Pay ฿133.33 and switch' });
    fireEvent.click(pay);
    fireEvent.click(pay);
    await screen.findByRole('heading', { level: 1, name: 'Billing' });
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(api.callsTo(P.confirm)[0]!.input).toEqual({ planSlug: 'pro', billingInterval: 'month', prorationDate: 1772366400 });
    expect(screen.getByRole('status').textContent).toContain("You're now on Pro.");
  });

  it('a downgrade says nothing is due today', async () => {
    const plans = PLANS.map((p) => (p.slug === 'pro' ? { ...p, current: true } : p));
    renderWithApi(
      <App />,
      handlers({
        [P.plans]: () => ({ plans }),
        [P.subscription]: () => ({ subscription: subscription() }),
        [P.preview]: () =>
          preview({
            direction: 'downgrade',
            amountDueNow: 0,
            fromPlan: { slug: 'pro', name: 'Pro' },
            toPlan: { slug: 'basic', name: 'Basic', priceAmount: 9900, currency: 'thb', interval: 'month' },
          }),
      }),
    );
    await screen.findByRole('list', { name: 'Plans' });
    fireEvent.click(within(card('Basic')).getByRole('button', { name: 'Switch to Basic' }));
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByText(/Nothing is due today: the unused time on Pro is credited to your next invoice/)).toBeTruthy();
    expect(within(dialog).getByRole('button', { name: 'Switch to Basic' })).toBeTruthy();
  });

  it("a monthly subscriber switches the same plan to yearly: the preview in the page's own words, a new yearly period, Keep first", async () => {
    const plans = [PLANS[0]!, { ...PRO_BOTH, current: true, currentInterval: 'month' as const }, PLANS[2]!];
    const confirm = vi.fn(() => subscription());
    const api = renderWithApi(
      <App />,
      handlers({
        [P.plans]: () => ({ plans }),
        [P.subscription]: () => ({ subscription: subscription() }),
        [P.preview]: () =>
          preview({
            fromPlan: { slug: 'pro', name: 'Pro' },
            toPlan: { slug: 'pro', name: 'Pro', priceAmount: 299000, currency: 'thb', interval: 'year' },
            amountDueNow: 279067,
            lines: [
              { kind: 'unused', planName: 'Pro', periodStart: '2026-03-01T12:00:00Z', periodEnd: '2026-03-20T12:00:00Z', amount: -19933 },
              { kind: 'period', planName: 'Pro', periodStart: '2026-03-01T12:00:00Z', periodEnd: '2027-03-01T12:00:00Z', amount: 299000 },
            ],
            nextRenewalAt: '2027-03-01T12:00:00Z',
            startsNewPeriod: true,
          }),
        [P.confirm]: confirm,
        [P.invoices]: () => ({ invoices: [] }),
      }),
    );
    await screen.findByRole('list', { name: 'Plans' });
    // On monthly: the switch starts there, and Pro monthly is the current plan.
    expect((screen.getByRole('radio', { name: 'Monthly' }) as HTMLInputElement).checked).toBe(true);
    expect((within(card('Pro')).getByRole('button', { name: 'Your current plan' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('radio', { name: /Yearly/ }));
    expect(card('Pro').textContent).toContain('Current plan, billed monthly');
    fireEvent.click(within(card('Pro')).getByRole('button', { name: 'Switch to yearly billing for Pro' }));
    const dialog = await screen.findByRole('dialog', { name: 'Switch to Pro, billed yearly' });
    await within(dialog).findByText('Due today');
    expect(api.callsTo(P.preview)[0]!.input).toEqual({ planSlug: 'pro', billingInterval: 'year' });
    expect(dialog.textContent).toContain('Pro, from monthly to yearly billing (฿2,990.00 / year).');
    const rows = [...dialog.querySelectorAll('tbody tr')].map((row) => row.textContent);
    expect(rows).toEqual(['Unused time on Pro (Mar 1 – Mar 20, 2026)-฿199.33', 'Pro (Mar 1, 2026 – Mar 1, 2027)฿2,990.00']);
    expect(dialog.querySelector('.dialog-content')?.textContent).not.toMatch(/×|THB|rest of this billing period/);
    expect(dialog.textContent).toContain("You'll be charged ฿2,790.67 today for Pro until March 1, 2027, less the unused time on Pro.");
    const buttons = [...dialog.querySelectorAll('.dialog-foot button')].map((b) => b.textContent);
    expect(buttons).toEqual(['Keep current plan', 'Pay ฿2,790.67 and switch']);
    expect(dialog.querySelector('.dialog-foot button')?.className).toContain('btn-secondary');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Pay ฿2,790.67 and switch' }));
    await screen.findByRole('heading', { level: 1, name: 'Billing' });
    expect(api.callsTo(P.confirm)[0]!.input).toEqual({ planSlug: 'pro', billingInterval: 'year', prorationDate: 1772366400 });
  });

  it('Monthly / Yearly: a labelled radio group, yearly prices with the saving, a plan not sold yearly said so, checkout at the chosen interval', async () => {
    const create = vi.fn(() => ({ kind: 'redirect', url: 'https://checkout.test/c/pay/cs_3' }));
    const api = renderWithApi(<App />, handlers({ [P.plans]: () => ({ plans: [PLANS[0]!, PRO_BOTH] }), [P.checkout]: create }));
    await screen.findByRole('list', { name: 'Plans' });
    const group = screen.getByRole('group', { name: 'Billing period' });
    const monthly = within(group).getByRole('radio', { name: 'Monthly' }) as HTMLInputElement;
    const yearly = within(group).getByRole('radio', { name: 'Yearly save 17%' }) as HTMLInputElement;
    expect(monthly.checked).toBe(true);
    expect(card('Pro').textContent).toContain('฿299.00 / month');
    fireEvent.click(yearly);
    expect(yearly.checked).toBe(true);
    expect(card('Pro').textContent).toContain('฿2,990.00 / year');
    expect(card('Pro').textContent).toContain('14-day free trial, then billed yearly');
    expect(card('Basic').textContent).toContain('Not available yearly');
    expect(card('Basic').textContent).toContain('Basic is billed monthly only');
    expect(within(card('Basic')).queryByRole('button')).toBeNull();
    fireEvent.click(within(card('Pro')).getByRole('button', { name: 'Subscribe to Pro' }));
    await waitFor(() => expect(leaveTo).toHaveBeenCalledWith('https://checkout.test/c/pay/cs_3'));
    expect(api.callsTo(P.checkout)[0]!.input).toEqual({ planSlug: 'pro', billingInterval: 'year' });
  });

  it("a yearly subscriber's page starts on Yearly, and an upgrade session's interval wins over it", async () => {
    const plans = [PLANS[0]!, { ...PRO_BOTH, current: true, currentInterval: 'year' as const }];
    const sub = subscription({ plan: { ...subscription().plan, priceAmount: 299000, interval: 'year' } });
    const { unmount } = renderWithApi(<App />, handlers({ [P.plans]: () => ({ plans }), [P.subscription]: () => ({ subscription: sub }) }));
    await screen.findByRole('list', { name: 'Plans' });
    expect((screen.getByRole('radio', { name: /Yearly/ }) as HTMLInputElement).checked).toBe(true);
    expect(within(card('Pro')).getByRole('button', { name: 'Your current plan' })).toBeTruthy();
    unmount();
    renderWithApi(
      <App />,
      handlers({
        [P.overview]: () => overview({ intent: 'upgrade', planSlug: 'pro', billingInterval: 'month' }),
        [P.plans]: () => ({ plans }),
        [P.subscription]: () => ({ subscription: sub }),
      }),
    );
    await screen.findByRole('list', { name: 'Plans' });
    expect((screen.getByRole('radio', { name: 'Monthly' }) as HTMLInputElement).checked).toBe(true);
    expect(within(card('Pro')).getByRole('button', { name: 'Switch to monthly billing for Pro' })).toBeTruthy();
  });

  it("the upgrade link's ?interval=year opens on Yearly", async () => {
    window.history.replaceState(null, '', '/billing/plans?plan=pro&interval=year');
    renderWithApi(<App />, handlers({ [P.plans]: () => ({ plans: [PLANS[0]!, PRO_BOTH] }) }));
    await screen.findByRole('list', { name: 'Plans' });
    expect((screen.getByRole('radio', { name: /Yearly/ }) as HTMLInputElement).checked).toBe(true);
    expect(card('Pro').textContent).toContain('฿2,990.00 / year');
  });

  it('on the free plan: every paid plan can be bought through checkout', async () => {
    const free = plan({ slug: 'free', name: 'Free', priceAmount: 0, description: null, current: true });
    const freeSub = freeSubscription({ currentPeriodEnd: '2126-03-01T12:00:00Z' });
    const api = renderWithApi(
      <App />,
      handlers({
        [P.plans]: () => ({ plans: [free, ...PLANS] }),
        [P.subscription]: () => ({ subscription: freeSub }),
        [P.checkout]: () => ({ kind: 'redirect', url: 'https://checkout.test/c/pay/cs_2' }),
      }),
    );
    await screen.findByRole('list', { name: 'Plans' });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Choose a plan');
    expect(screen.getByText(/^You're on the free plan\./)).toBeTruthy();
    expect(screen.queryByRole('note')).toBeNull();
    expect(card('Free').textContent).toContain('Current plan');
    expect(card('Free').querySelector('.plan-card-price')?.textContent).toBe('Free');
    for (const name of ['Basic', 'Pro', 'Team'])
      expect((within(card(name)).getByRole('button', { name: `Subscribe to ${name}` }) as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(within(card('Pro')).getByRole('button', { name: 'Subscribe to Pro' }));
    await waitFor(() => expect(leaveTo).toHaveBeenCalledWith('https://checkout.test/c/pay/cs_2'));
    expect(api.callsTo(P.checkout)).toEqual([{ path: P.checkout, input: { planSlug: 'pro', billingInterval: 'month' } }]);
  });

  it('a free plan is activated at once and the dashboard shows it straight away', async () => {
    const free = plan({ slug: 'free', name: 'Free', priceAmount: 0, description: null });
    const freeSub = freeSubscription();
    let active = false;
    renderWithApi(
      <App />,
      handlers({
        [P.plans]: () => ({ plans: [free, ...PLANS] }),
        [P.subscription]: () => ({ subscription: active ? freeSub : null }),
        [P.invoices]: () => ({ invoices: [] }),
        [P.checkout]: () => {
          active = true;
          return { kind: 'activated', subscription: freeSub };
        },
      }),
      { staleTime: 10_000 },
    );
    await screen.findByRole('list', { name: 'Plans' });
    expect(card('Free').querySelector('.plan-card-price')?.textContent).toBe('Free');
    fireEvent.click(within(card('Free')).getByRole('button', { name: 'Subscribe to Free' }));
    await screen.findByRole('heading', { level: 1, name: 'Billing' });
    expect(await screen.findByText(/^You're on the free plan\./)).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain("You're now on Free.");
  });

  it('a paying subscriber is told on the free card to cancel at the period end, and can cancel from there; no "Switch to Free"', async () => {
    const free = plan({ slug: 'free', name: 'Free', priceAmount: 0, description: null });
    const pro = PLANS.map((p) => (p.slug === 'pro' ? { ...p, current: true } : p));
    let canceled = false;
    const api = renderWithApi(
      <App />,
      handlers({
        [P.plans]: () => ({ plans: [free, ...pro] }),
        [P.subscription]: () => ({ subscription: subscription({ cancelAtPeriodEnd: canceled }) }),
        [P.cancel]: () => {
          canceled = true;
          return subscription({ cancelAtPeriodEnd: true });
        },
      }),
    );
    await screen.findByRole('list', { name: 'Plans' });
    expect(card('Free').textContent).toContain('To move to Free, cancel your Pro plan: you keep it until March 20, 2026. After that, choose Free here.');
    expect(within(card('Free')).queryByRole('button', { name: /Switch to Free|Subscribe/ })).toBeNull();
    expect(within(card('Basic')).getByRole('button', { name: 'Switch to Basic' })).toBeTruthy();
    fireEvent.click(within(card('Free')).getByRole('button', { name: 'Cancel plan' }));
    const dialog = await screen.findByRole('dialog', { name: 'Cancel your Pro plan?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel plan' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('Your plan has been canceled. You keep access until March 20, 2026.'));
    expect(api.callsTo(P.cancel)).toHaveLength(1);
    await waitFor(() => expect(card('Free').textContent).toContain('Your Pro plan ends on March 20, 2026. After that, choose Free here.'));
    expect(within(card('Free')).queryByRole('button')).toBeNull();
  });

  it('a plan arranged with the app team cannot be changed here and says why', async () => {
    renderWithApi(<App />, handlers({ [P.subscription]: () => ({ subscription: subscription({ source: 'MANUAL', manageable: false }) }) }));
    await screen.findByRole('list', { name: 'Plans' });
    expect(screen.getByRole('note').textContent).toContain('Your plan was arranged with the Vega team.');
    expect((within(card('Basic')).getByRole('button') as HTMLButtonElement).disabled).toBe(true);
  });

  it('a plan set to end cannot be changed here and says why', async () => {
    renderWithApi(<App />, handlers({ [P.subscription]: () => ({ subscription: subscription({ cancelAtPeriodEnd: true }) }) }));
    await screen.findByRole('list', { name: 'Plans' });
    expect(screen.getByRole('note').textContent).toContain('Your plan ends on March 20, 2026. Resume it on your billing page to change plans.');
    expect((within(card('Basic')).getByRole('button') as HTMLButtonElement).disabled).toBe(true);
  });
});
