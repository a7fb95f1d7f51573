import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeEmulator, type StripeEmulator } from '../emulator.ts';
import { WebhookReceiver } from '../testing/harness.ts';
import type { AccountKeys } from './accounts.ts';

let emulator: StripeEmulator;
const clientFor = (key: string) => {
  const url = new URL(emulator.url);
  return new Stripe(key, { host: url.hostname, port: Number(url.port), protocol: 'http', maxNetworkRetries: 0 });
};
const createAccount = async (body: unknown = {}): Promise<AccountKeys> => {
  const res = await fetch(`${emulator.url}/__emulator/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as AccountKeys;
};

beforeAll(async () => {
  emulator = await startStripeEmulator({ port: 0, webhookRetryBaseMs: 10 });
});
afterAll(async () => emulator.close());

describe('accounts made through the control API', () => {
  it('gives each account and mode its own keys, and GET /v1/account names the account', async () => {
    const a = await createAccount();
    expect(a.id).toMatch(/^acct_/);
    expect(a.test.secretKey).toMatch(/^sk_test_/);
    expect(a.live.secretKey).toMatch(/^sk_live_/);
    expect(a.live.publishableKey).toMatch(/^pk_live_/);
    expect((await clientFor(a.test.secretKey).accounts.retrieveCurrent()).id).toBe(a.id);
    expect((await clientFor(a.live.secretKey).accounts.retrieveCurrent()).id).toBe(a.id);
    expect((await clientFor('sk_test_anything').accounts.retrieveCurrent()).id).toBe('acct_emulator_default');
  });

  it("keeps objects apart: another account's or mode's key gets Stripe's 404, and live objects say livemode", async () => {
    const a = await createAccount();
    const b = await createAccount();
    const live = await clientFor(a.live.secretKey).customers.create({ email: 'a@example.com' });
    expect(live.livemode).toBe(true);
    for (const key of [a.test.secretKey, b.live.secretKey, 'sk_test_default']) {
      await expect(clientFor(key).customers.retrieve(live.id)).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
    }
    expect((await clientFor(a.live.secretKey).customers.retrieve(live.id)).id).toBe(live.id);
    const test = await clientFor(a.test.secretKey).customers.create({});
    expect(test.livemode).toBe(false);
  });

  it('still refuses live keys it did not issue, and a revoked key', async () => {
    await expect(clientFor('sk_live_notissuedbyemulator').customers.list()).rejects.toMatchObject({ statusCode: 401, code: 'api_key_invalid' });
    const a = await createAccount();
    const revoked = await fetch(`${emulator.url}/__emulator/accounts/${a.id}/test/revoke_key`, { method: 'POST' });
    const { secretKey } = (await revoked.json()) as { secretKey: string };
    await expect(clientFor(a.test.secretKey).accounts.retrieveCurrent()).rejects.toMatchObject({ statusCode: 401, code: 'api_key_expired' });
    expect((await clientFor(secretKey).accounts.retrieveCurrent()).id).toBe(a.id);
  });

  it("signs each account's events with its own endpoint's secret and sends them to its own URL only", async () => {
    // The account's secret is known only once it exists: the receivers learn it after creation.
    const receivers = { a: new WebhookReceiver(''), b: new WebhookReceiver('') };
    await Promise.all([receivers.a.start(), receivers.b.start()]);
    const a = await createAccount({ webhookUrls: { test: receivers.a.url } });
    const b = await createAccount({ webhookUrls: { live: receivers.b.url } });
    expect(a.live.webhookSecret).toBeNull();
    Object.assign(receivers.a, { secret: a.test.webhookSecret });
    Object.assign(receivers.b, { secret: b.live.webhookSecret });
    const ca = await clientFor(a.test.secretKey).customers.create({});
    const cb = await clientFor(b.live.secretKey).customers.create({});
    await clientFor(b.test.secretKey).customers.create({});
    await emulator.accounts.core(a.id, 'test').webhooks.flush(5_000);
    await emulator.accounts.core(b.id, 'live').webhooks.flush(5_000);
    expect(receivers.a.accepted().map((e) => [e.type, e.livemode, (e.data.object as { id: string }).id])).toEqual([['customer.created', false, ca.id]]);
    expect(receivers.b.accepted().map((e) => [e.type, e.livemode, (e.data.object as { id: string }).id])).toEqual([['customer.created', true, cb.id]]);
    await Promise.all([receivers.a.close(), receivers.b.close()]);
  });
});
