import { createApp, ensureCustomer } from '@aquoris/core';
import { TEST_ACTOR } from '@aquoris/api/testing';
import { describe, expect, it } from 'vitest';
import { shot, useConsoleE2E } from './harness.ts';

const e2e = useConsoleE2E();

describe('Issue invoice on the customer page', () => {
  it('a past due date is named beside its field with what was typed kept; then issued OPEN, listed, and audited once', async () => {
    const deps = e2e.api.server.deps;
    const { app } = await createApp(deps, TEST_ACTOR, { slug: 'vega', name: 'Vega', returnUrl: 'https://vega.example.com/' });
    const customer = await ensureCustomer(deps, app.id, 'ivy', { email: 'ivy@example.com', name: 'Ivy' });
    const page = await e2e.newPage();
    await e2e.openSignedIn(page, `customers/${customer.id}`);
    await page.getByRole('button', { name: 'Issue invoice' }).click();
    const dialog = page.getByRole('dialog', { name: 'Issue invoice' });
    await dialog.getByLabel('Amount').fill('1,500.00');
    await dialog.getByLabel('Currency').selectOption('thb');
    await dialog.getByLabel('Description').fill('Onboarding workshop');
    await dialog.getByLabel('Due date').fill('2020-01-31');
    await dialog.getByRole('button', { name: 'Issue invoice' }).click();
    await expect.poll(() => page.locator('#issue-due-error').textContent()).toBe('Due date has passed; choose today or a later day');
    expect(await dialog.getByLabel('Description').inputValue()).toBe('Onboarding workshop');
    await shot(page, 'customer-issue-invoice-error');

    await dialog.getByLabel('Due date').fill('2031-01-31');
    await dialog.getByRole('button', { name: 'Issue invoice' }).dblclick();
    const invoices = page.getByRole('region', { name: 'Invoices' });
    await expect.poll(() => invoices.textContent()).toContain('Open (issued) · due 2031-01-31 23:59 UTC');
    expect(await invoices.textContent()).toContain('Onboarding workshop');
    await shot(page, 'customer-issued-invoice');
    const rows = await e2e.api.prisma.invoice.findMany({ where: { customerId: customer.id } });
    expect(rows).toEqual([expect.objectContaining({ source: 'ISSUED', status: 'OPEN', amount: 150_000, currency: 'thb', description: 'Onboarding workshop' })]);
    expect(await e2e.api.prisma.auditLog.count({ where: { action: 'invoice.issued', targetId: rows[0]!.id } })).toBe(1);
  }, 120_000);
});
