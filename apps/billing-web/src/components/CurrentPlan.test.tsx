import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../App.tsx';
import { P, renderWithApi } from '../test/api.tsx';
import { overview, freeSubscription, subscription } from '../test/fixtures.ts';
import type { BillingSubscription } from '../lib/types.ts';

const FREE = freeSubscription({ currentPeriodStart: '2026-02-01T12:00:00Z', currentPeriodEnd: '2126-02-01T12:00:00Z' });

function renderDashboard(sub: BillingSubscription) {
  renderWithApi(<App />, { [P.overview]: () => overview(), [P.subscription]: () => ({ subscription: sub }), [P.invoices]: () => ({ invoices: [] }) });
  return screen.findByRole('region', { name: 'Current plan' }).then(async (region) => {
    await within(region).findByText(sub.plan.name, { selector: '.plan-name' });
    return region;
  });
}

beforeEach(() => {
  window.history.replaceState(null, '', '/billing');
});

describe('the current plan card', () => {
  it('a free plan reads as a free plan, with no end date, and offers the plans', async () => {
    const card = await renderDashboard(FREE);
    expect(card.textContent).toContain("You're on the free plan.");
    expect(card.textContent).not.toMatch(/arranged|contact|2126|Ends on|Runs until/);
    expect(card.querySelector('.plan-price')?.textContent).toBe('Free · nothing to pay');
    expect(within(card).getByRole('link', { name: 'Choose a plan' }).getAttribute('href')).toBe('/billing/plans');
    for (const name of ['Cancel plan', 'Update payment method', 'Resume plan']) expect(within(card).queryByRole('button', { name })).toBeNull();
  });

  it('a free plan granted for some days shows when it ends, and offers the plans', async () => {
    const card = await renderDashboard({ ...FREE, openEnded: false, currentPeriodEnd: '2026-03-31T12:00:00Z' });
    expect(card.textContent).toContain("You're on the free plan until March 31, 2026");
    expect(card.textContent).toContain('Runs untilMarch 31, 2026');
    expect(card.querySelector('.plan-price')?.textContent).toBe('Free · nothing to pay');
    expect(within(card).getByRole('link', { name: 'Choose a plan' }).getAttribute('href')).toBe('/billing/plans');
  });

  it('a manual plan shows its price and interval, and how long it runs', async () => {
    const card = await renderDashboard(subscription({ source: 'MANUAL', manageable: false, currentPeriodEnd: '2026-12-31T12:00:00Z' }));
    expect(card.querySelector('.plan-price')?.textContent).toBe('฿299.00 / month');
    expect(card.textContent).toContain('Runs untilDecember 31, 2026');
    expect(within(card).queryByRole('link', { name: /plan/ })).toBeNull();
  });

  it('a Stripe plan shows its price and interval', async () => {
    const card = await renderDashboard(subscription({ plan: { slug: 'team', name: 'Team', priceAmount: 1999, currency: 'usd', interval: 'year' } }));
    expect(card.querySelector('.plan-price')?.textContent).toBe('$19.99 / year');
  });

  it('past due and set to cancel: "Your plan ends on …", with resume and update payment', async () => {
    const card = await renderDashboard(subscription({ status: 'PAST_DUE', cancelAtPeriodEnd: true }));
    expect(within(card).getByText(/^Your plan ends on March 20, 2026\./)).toBeTruthy();
    expect(within(card).getByRole('button', { name: 'Resume plan' })).toBeTruthy();
    expect(within(card).getByRole('button', { name: 'Update payment method' })).toBeTruthy();
    expect(within(card).queryByRole('button', { name: 'Cancel plan' })).toBeNull();
  });

  it('the card on file: brand, last 4 and expiry from Stripe, for a plan paid through Stripe', async () => {
    renderWithApi(<App />, {
      [P.overview]: () => overview(),
      [P.subscription]: () => ({ subscription: subscription(), lastEnded: null }),
      [P.invoices]: () => ({ invoices: [] }),
      [P.paymentMethod]: () => ({ card: { brand: 'visa', last4: '4242', expMonth: 4, expYear: 2034 } }),
    });
    const card = await screen.findByRole('region', { name: 'Current plan' });
    expect(await within(card).findByText('Visa •••• 4242 · expires 04/2034')).toBeTruthy();
    expect(card.textContent).toContain('Card on file');
  });

  it('a refunded and canceled subscriber reads what happened, not "no plan yet"', async () => {
    const ended = { planName: 'Pro', endedAt: '2026-03-05T12:00:00Z', status: 'CANCELED', refundedAmount: 29900, currency: 'thb' };
    renderWithApi(<App />, {
      [P.overview]: () => overview(),
      [P.subscription]: () => ({ subscription: null, lastEnded: ended }),
      [P.invoices]: () => ({ invoices: [] }),
    });
    const card = await screen.findByRole('region', { name: 'Current plan' });
    await within(card).findByText('Ended');
    expect(card.textContent).toContain('Your Pro plan was canceled on March 5, 2026 and ฿299.00 was refunded to your payment method');
    expect(card.textContent).not.toContain("don't have");
    expect(within(card).getByRole('link', { name: 'Choose a plan' })).toBeTruthy();
  });
});
