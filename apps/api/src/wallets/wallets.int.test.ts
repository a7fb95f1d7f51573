import { adjustWallet, refundDeposit } from '@aquoris/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_ACTOR } from '../testing/index.ts';
import { payCheckout, sessionIdOf, settle, useStripeCatalog } from '../testing/catalog.ts';
import type { StripeTestStack } from '../testing/stripe.ts';

let stack: StripeTestStack;
/** The app under test (its limit allows the 50 concurrent debits among this file's other calls), and another one. */
let app: { id: string; slug: string; apiKey: string };
let other: { id: string; slug: string; apiKey: string };
useStripeCatalog((s) => (stack = s));
beforeAll(async () => {
  app = await stack.api.createApp({ rateLimitPerMinute: 1000 });
  other = await stack.api.createApp();
});

const db = () => stack.api.prisma;
const deps = () => stack.api.server.deps;
let counter = 0;

async function call(method: string, path: string, json?: unknown, apiKey = app.apiKey) {
  const res = await stack.api.request(`/api/v1${path}`, { method, apiKey, ...(json !== undefined ? { json } : {}) });
  return { status: res.status, body: (await res.json()) as any };
}

async function newCustomer(): Promise<{ externalUserId: string; id: string }> {
  const externalUserId = `wallet-user-${++counter}`;
  const res = await call('PUT', `/customers/${externalUserId}`, { email: `${externalUserId}@example.com` });
  expect(res.status).toBe(200);
  return { externalUserId, id: res.body.id };
}

const urls = () => ({
  successUrl: `https://${app.slug}.example.com/wallet?session_id={CHECKOUT_SESSION_ID}`,
  cancelUrl: `https://${app.slug}.example.com/wallet`,
});
const verify = (sessionId: string, apiKey?: string) => call('GET', `/wallet/deposits/verify?session_id=${sessionId}`, undefined, apiKey);

async function startDeposit(externalUserId: string, amountCents = 2500) {
  const res = await call('POST', `/customers/${externalUserId}/wallet/deposits`, { amountCents, currency: 'usd', ...urls() });
  expect(res.status).toBe(200);
  return sessionIdOf(res.body.url);
}

/** The ledger is the truth: the cached balance must equal the sum of the entries. */
async function expectLedgerAgrees(customerId: string) {
  for (const wallet of await db().wallet.findMany({ where: { customerId } })) {
    const sum = await db().walletEntry.aggregate({ where: { walletId: wallet.id }, _sum: { amount: true } });
    expect(sum._sum.amount ?? 0).toBe(wallet.balance);
  }
}

describe('wallet deposits', () => {
  it('refuses amounts outside 500..50,000 with the limits, and redirects off the app domain', async () => {
    const { externalUserId } = await newCustomer();
    for (const amountCents of [499, 50_001, 0]) {
      const res = await call('POST', `/customers/${externalUserId}/wallet/deposits`, { amountCents, currency: 'usd', ...urls() });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'BAD_REQUEST' });
      expect(res.body.error.message).toContain('500 to 50000 ($5.00 to $500.00)');
    }
    for (const successUrl of ['https://evil.com/x', `https://${app.slug}.example.com.evil.com/`, 'javascript:alert(1)']) {
      const res = await call('POST', `/customers/${externalUserId}/wallet/deposits`, { amountCents: 500, currency: 'usd', ...urls(), successUrl });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'REDIRECT_NOT_ALLOWED' });
      expect(res.body.error.message).toMatch(/^successUrl: /);
    }
    expect((await call('POST', `/customers/${externalUserId}/wallet/deposits`, { amountCents: 50_000, currency: 'usd', ...urls() })).status).toBe(200);
  });

  it('credits once under verify calls racing duplicated webhook deliveries', async () => {
    const customer = await newCustomer();
    const sessionId = await startDeposit(customer.externalUserId);
    const session = await stack.stripe.checkout.sessions.retrieve(sessionId);
    expect(session).toMatchObject({
      mode: 'payment',
      amount_total: 2500,
      currency: 'usd',
      metadata: { kind: 'wallet_deposit', appId: app.id, customerId: customer.id },
    });
    expect(session.success_url).toBe(urls().successUrl);
    expect((await verify(sessionId)).body).toEqual({ deposited: false, amountCents: 2500, currency: 'usd' });

    await stack.control('POST', '/webhooks/faults', { mode: 'duplicate', count: 3, concurrent: true });
    try {
      await payCheckout(stack, `/${sessionId}`);
      const verified = await Promise.all(Array.from({ length: 5 }, () => verify(sessionId)));
      for (const v of verified) expect(v.body).toEqual({ deposited: true, amountCents: 2500, currency: 'usd' });
      await settle(stack);
    } finally {
      await stack.control('DELETE', '/webhooks/faults');
    }
    expect(await db().walletEntry.count({ where: { stripeCheckoutSessionId: sessionId } })).toBe(1);
    expect(await db().auditLog.count({ where: { action: 'wallet.deposit_credited', details: { path: ['stripeCheckoutSessionId'], equals: sessionId } } })).toBe(
      1,
    );
    // Payment mode is never a subscription checkout.
    expect(await db().subscription.count({ where: { customerId: customer.id } })).toBe(0);
    const wallet = await call('GET', `/customers/${customer.externalUserId}/wallet`);
    expect(wallet.body.balances).toEqual([{ currency: 'usd', balanceCents: 2500 }]);
    expect(wallet.body.history).toMatchObject([{ kind: 'DEPOSIT', amountCents: 2500, balanceAfterCents: 2500, refunded: false }]);
    await expectLedgerAgrees(customer.id);
  });

  it('credits once when the webhook arrives after verify (the reversed order)', async () => {
    const customer = await newCustomer();
    const sessionId = await startDeposit(customer.externalUserId, 1200);
    await stack.control('POST', '/webhooks/faults', { mode: 'drop_then_replay' });
    try {
      await payCheckout(stack, `/${sessionId}`);
      expect((await verify(sessionId)).body.deposited).toBe(true);
    } finally {
      await stack.control('POST', '/webhooks/replay');
      await stack.control('DELETE', '/webhooks/faults');
    }
    await settle(stack);
    expect((await verify(sessionId)).body).toEqual({ deposited: true, amountCents: 1200, currency: 'usd' });
    expect(await db().walletEntry.count({ where: { stripeCheckoutSessionId: sessionId } })).toBe(1);
    expect((await db().wallet.findFirstOrThrow({ where: { customerId: customer.id } })).balance).toBe(1200);
  });
});

describe('wallet debits', () => {
  it('never overdraws under 50 concurrent debits, and the ledger agrees with the balance', async () => {
    const customer = await newCustomer();
    await adjustWallet(deps(), TEST_ACTOR, {
      customerId: customer.id,
      amountCents: 1000,
      currency: 'usd',
      reason: 'Starting credit',
      idempotencyKey: `adj-${customer.id}`,
    });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call('POST', `/customers/${customer.externalUserId}/wallet/debits`, {
          amountCents: 30,
          currency: 'usd',
          description: `call ${i}`,
          idempotencyKey: `${customer.id}-d${i}`,
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    const short = results.filter((r) => r.status === 402);
    expect(ok).toHaveLength(33);
    expect(short).toHaveLength(17);
    for (const r of short) {
      expect(r.body.error.code).toBe('INSUFFICIENT_FUNDS');
      expect(r.body.error.message).toContain('balanceCents 10');
    }
    expect(ok.map((r) => r.body.balanceCents).sort((a, b) => a - b)).toEqual(Array.from({ length: 33 }, (_, i) => 10 + 30 * i));
    expect((await db().wallet.findFirstOrThrow({ where: { customerId: customer.id } })).balance).toBe(10);
    await expectLedgerAgrees(customer.id);
  });

  it('answers a replayed idempotency key with the first result, and refuses the key with other parameters', async () => {
    const customer = await newCustomer();
    await adjustWallet(deps(), TEST_ACTOR, {
      customerId: customer.id,
      amountCents: 500,
      currency: 'usd',
      reason: 'Credit',
      idempotencyKey: `adj-${customer.id}`,
    });
    const body = { amountCents: 200, currency: 'usd', description: 'Tool call', idempotencyKey: `${customer.id}-once` };
    const first = await call('POST', `/customers/${customer.externalUserId}/wallet/debits`, body);
    const again = await Promise.all([1, 2, 3].map(() => call('POST', `/customers/${customer.externalUserId}/wallet/debits`, body)));
    expect(first.status).toBe(200);
    for (const r of again) expect(r.body).toEqual(first.body);
    expect(first.body.balanceCents).toBe(300);
    const changed = await call('POST', `/customers/${customer.externalUserId}/wallet/debits`, { ...body, amountCents: 100 });
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await db().wallet.findFirstOrThrow({ where: { customerId: customer.id } })).balance).toBe(300);
  });

  it('pages the history newest first with a keyset cursor, each entry once', async () => {
    const customer = await newCustomer();
    await adjustWallet(deps(), TEST_ACTOR, {
      customerId: customer.id,
      amountCents: 1000,
      currency: 'usd',
      reason: 'Credit',
      idempotencyKey: `adj-${customer.id}`,
    });
    for (let i = 0; i < 6; i++) {
      await call('POST', `/customers/${customer.externalUserId}/wallet/debits`, {
        amountCents: 10,
        currency: 'usd',
        description: `d${i}`,
        idempotencyKey: `${customer.id}-h${i}`,
      });
    }
    const seen: any[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: any } = await call('GET', `/customers/${customer.externalUserId}/wallet?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.history);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.map((e) => e.description)).toEqual(['d5', 'd4', 'd3', 'd2', 'd1', 'd0', 'Credit']);
    expect(new Set(seen.map((e) => e.id)).size).toBe(7);
    expect((await call('GET', `/customers/${customer.externalUserId}/wallet?cursor=bogus`)).status).toBe(422);
    expect((await call('GET', `/customers/${customer.externalUserId}/wallet?sort=asc`)).status).toBe(422);
  });
});

describe('deposit refunds and adjustments', () => {
  it('refuses a refund of spent funds unless the negative balance is confirmed, refunds through Stripe once', async () => {
    const customer = await newCustomer();
    const sessionId = await startDeposit(customer.externalUserId, 2000);
    await payCheckout(stack, `/${sessionId}`);
    await verify(sessionId);
    await call('POST', `/customers/${customer.externalUserId}/wallet/debits`, {
      amountCents: 500,
      currency: 'usd',
      description: 'spent',
      idempotencyKey: `${customer.id}-spent`,
    });
    const deposit = await db().walletEntry.findFirstOrThrow({ where: { stripeCheckoutSessionId: sessionId } });
    await expect(refundDeposit(deps(), TEST_ACTOR, { entryId: deposit.id })).rejects.toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
      message: expect.stringContaining('confirm the negative balance'),
    });
    const refunded = await refundDeposit(deps(), TEST_ACTOR, { entryId: deposit.id, confirmNegativeBalance: true });
    expect(refunded).toMatchObject({ balanceCents: -500, entry: { kind: 'REFUND', amountCents: -2000 } });
    const stripeRefund = await stack.stripe.refunds.retrieve(refunded.stripeRefundId);
    expect(stripeRefund).toMatchObject({ status: 'succeeded', amount: 2000, payment_intent: deposit.stripePaymentIntentId });
    const retried = await refundDeposit(deps(), TEST_ACTOR, { entryId: deposit.id, confirmNegativeBalance: true });
    expect(retried.stripeRefundId).toBe(refunded.stripeRefundId);
    expect(await db().walletEntry.count({ where: { refundOfEntryId: deposit.id } })).toBe(1);
    expect(await db().auditLog.count({ where: { action: 'wallet.deposit_refunded', targetId: customer.id } })).toBe(1);
    await settle(stack);
    const wallet = await call('GET', `/customers/${customer.externalUserId}/wallet`);
    expect(wallet.body.history.find((e: any) => e.kind === 'DEPOSIT')).toMatchObject({ refunded: true });
    await expectLedgerAgrees(customer.id);
  });

  it('refunds an unspent deposit without confirmation; adjustments are audited once and never take the wallet below zero', async () => {
    const customer = await newCustomer();
    const sessionId = await startDeposit(customer.externalUserId, 700);
    await payCheckout(stack, `/${sessionId}`);
    await verify(sessionId);
    const deposit = await db().walletEntry.findFirstOrThrow({ where: { stripeCheckoutSessionId: sessionId } });
    expect((await refundDeposit(deps(), TEST_ACTOR, { entryId: deposit.id })).balanceCents).toBe(0);

    const input = { customerId: customer.id, amountCents: 300, currency: 'usd', reason: 'Goodwill', idempotencyKey: `adj2-${customer.id}` } as const;
    const [a, b] = await Promise.all([adjustWallet(deps(), TEST_ACTOR, input), adjustWallet(deps(), TEST_ACTOR, input)]);
    expect(a).toEqual(b);
    expect(await db().auditLog.count({ where: { action: 'wallet.adjusted', targetId: customer.id } })).toBe(1);
    await expect(adjustWallet(deps(), TEST_ACTOR, { ...input, amountCents: -301, idempotencyKey: `adj3-${customer.id}` })).rejects.toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
    });
    await expect(adjustWallet(deps(), TEST_ACTOR, { ...input, reason: '  ', idempotencyKey: `adj4-${customer.id}` })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    expect((await adjustWallet(deps(), TEST_ACTOR, { ...input, amountCents: -300, idempotencyKey: `adj5-${customer.id}` })).balanceCents).toBe(0);
  });

  it('keeps the ledger append-only: the database refuses UPDATE and DELETE of an entry', async () => {
    const customer = await newCustomer();
    await adjustWallet(deps(), TEST_ACTOR, {
      customerId: customer.id,
      amountCents: 100,
      currency: 'usd',
      reason: 'Credit',
      idempotencyKey: `adj-${customer.id}`,
    });
    const entry = await db().walletEntry.findFirstOrThrow({ where: { wallet: { customerId: customer.id } } });
    await expect(db().$executeRaw`UPDATE wallet_entries SET amount = 1000000 WHERE id = ${entry.id}`).rejects.toThrow(/append-only/);
    await expect(db().$executeRaw`DELETE FROM wallet_entries WHERE id = ${entry.id}`).rejects.toThrow(/append-only/);
  });
});

describe('app isolation', () => {
  it("another app's key sees no customer, no wallet and no deposit of this app", async () => {
    const customer = await newCustomer();
    const sessionId = await startDeposit(customer.externalUserId, 900);
    await payCheckout(stack, `/${sessionId}`);
    const wallet = await call('GET', `/customers/${customer.externalUserId}/wallet`, undefined, other.apiKey);
    expect(wallet).toMatchObject({ status: 404, body: { error: { code: 'CUSTOMER_NOT_FOUND' } } });
    const debit = await call(
      'POST',
      `/customers/${customer.externalUserId}/wallet/debits`,
      { amountCents: 1, currency: 'usd', description: 'x', idempotencyKey: 'iso' },
      other.apiKey,
    );
    expect(debit.status).toBe(404);
    const deposit = await call('POST', `/customers/${customer.externalUserId}/wallet/deposits`, { amountCents: 500, currency: 'usd', ...urls() }, other.apiKey);
    expect(deposit.status).toBe(404);
    expect(await verify(sessionId, other.apiKey)).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect((await call('GET', `/customers/${customer.externalUserId}/wallet`, undefined, 'aqb_wrong')).status).toBe(401);
    expect((await verify(sessionId)).body.deposited).toBe(true);
  });
});
