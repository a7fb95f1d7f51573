import { signSessionToken } from '@aquoris/core';
import { describe, expect, it } from 'vitest';
import { type Catalog, settle, subscribe, useStripeCatalog } from '../testing/catalog.ts';
import type { StripeTestStack } from '../testing/stripe.ts';

let stack: StripeTestStack;
let catalog: Catalog;
useStripeCatalog((s, c) => ((stack = s), (catalog = c)));

/** The billing-session token a client app gets from POST /sessions: the last path segment of its url. */
async function sessionToken(app: { apiKey: string; slug: string }, externalUserId: string): Promise<string> {
  const res = await stack.api.request('/api/v1/sessions', { method: 'POST', apiKey: app.apiKey, json: { externalUserId, appSlug: app.slug } });
  const { url } = (await res.json()) as { url: string };
  return url.split('/session/')[1]!;
}

async function me(path: string, token: string | undefined, json?: unknown, headers: Record<string, string> = {}) {
  const res = await stack.api.request(`/api/v1/me/${path}`, {
    method: json === undefined && !path.includes('-') ? 'GET' : 'POST',
    ...(token ? { apiKey: token } : {}),
    ...(json !== undefined ? { json } : {}),
    headers,
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

describe('/api/v1/me with the billing-session token', () => {
  it('shows the subscription and payments, previews then confirms a plan change, cancels at period end, opens the portal', async () => {
    const owner = await stack.subscriber(catalog.app, 'me-owner');
    await subscribe(stack, owner, 'pro');
    await settle(stack);
    const token = await sessionToken(catalog.app, 'me-owner');

    expect((await me('subscription', token)).body).toMatchObject({ subscription: { status: 'ACTIVE', plan: { slug: 'pro' } } });
    expect((await me('payments', token)).body.invoices).toHaveLength(1);

    const preview = await me('update-subscription', token, { planSlug: 'team' });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ kind: 'preview', preview: { fromPlan: { slug: 'pro' }, toPlan: { slug: 'team' }, direction: 'upgrade' } });
    expect((await me('subscription', token)).body.subscription.plan.slug).toBe('pro');
    const stale = await me('update-subscription', token, { planSlug: 'team', prorationDate: preview.body.preview.prorationDate - 3 * 3600 });
    expect(stale.body.error.code).toBe('VALIDATION_ERROR');
    expect((await me('update-subscription', token, { planSlug: 'free' })).body.error.code).toBe('PLAN_CHANGE_NOT_ALLOWED');
    expect((await me('update-subscription', token, { planSlug: 'team', extra: 1 })).status).toBe(422);
    const changed = await me('update-subscription', token, { planSlug: 'team', prorationDate: preview.body.preview.prorationDate });
    expect(changed.body).toMatchObject({ kind: 'changed', subscription: { plan: { slug: 'team' } } });

    expect((await me('cancel-subscription', token, {})).body).toMatchObject({ cancelAtPeriodEnd: true, plan: { slug: 'team' } });
    expect((await me('customer-portal', token, {})).body.url).toMatch(/^http/);
  });

  it('BOLA: another user, the same user id in another app, expired, tampered, forged-app, cookie, API-key and missing tokens reach nothing', async () => {
    const owner = await stack.subscriber(catalog.app, 'bola-owner');
    await subscribe(stack, owner, 'pro');
    await settle(stack);
    const otherApp = await stack.api.createApp({ slug: 'me-other' });
    const secret = stack.api.server.deps.config.sessionSecret;

    // Valid tokens of someone else: they see only their own (empty) account.
    for (const token of [await sessionToken(catalog.app, 'bola-intruder'), await sessionToken(otherApp, 'bola-owner')]) {
      expect((await me('subscription', token)).body.subscription).toBeNull();
      expect((await me('payments', token)).body.invoices).toEqual([]);
      expect((await me('cancel-subscription', token, {})).status).toBe(404);
      expect((await me('update-subscription', token, { planSlug: 'team' })).status).toBe(404);
      expect((await me('customer-portal', token, {})).status).toBe(409);
    }

    const good = await sessionToken(catalog.app, 'bola-owner');
    const [head, payload, signature] = good.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const late = { now: () => new Date(Date.now() - 16 * 60_000) };
    const invalid: Record<string, string | undefined> = {
      missing: undefined,
      expired: await signSessionToken({ customerId: owner.customerId, appId: catalog.app.id, intent: 'manage' }, secret, 'billing-session-url', late),
      'tampered signature': `${head}.${payload}.${signature.slice(0, -2)}AA`,
      'tampered payload': `${head}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${signature}`,
      'signed with another secret': await signSessionToken(
        { customerId: owner.customerId, appId: catalog.app.id, intent: 'manage' },
        'x'.repeat(64),
        'billing-session-url',
        stack.clock,
      ),
      "the customer under another app's id": await signSessionToken(
        { customerId: owner.customerId, appId: otherApp.id, intent: 'manage' },
        secret,
        'billing-session-url',
        stack.clock,
      ),
      'the subscriber cookie': await signSessionToken(
        { customerId: owner.customerId, appId: catalog.app.id, intent: 'manage' },
        secret,
        'billing-subscriber',
        stack.clock,
      ),
      "the app's API key": catalog.app.apiKey,
    };
    for (const [what, token] of Object.entries(invalid)) {
      for (const [path, json] of [
        ['subscription'],
        ['payments'],
        ['cancel-subscription', {}],
        ['update-subscription', { planSlug: 'team' }],
        ['customer-portal', {}],
      ] as const) {
        const res = await me(path, token, json);
        expect([what, path, res.status, res.body.error?.code]).toEqual([what, path, 401, 'UNAUTHORIZED']);
      }
    }
    expect((await me('subscription', good)).body.subscription).toMatchObject({ plan: { slug: 'pro' }, cancelAtPeriodEnd: false });
  });

  it("CORS: the app's own origin may call, another site may not", async () => {
    const token = await sessionToken(catalog.app, 'cors-user');
    const origin = `https://${catalog.app.slug}.example.com`;
    const preflight = (from: string) =>
      fetch(`${stack.api.baseUrl}/api/v1/me/subscription`, {
        method: 'OPTIONS',
        headers: { origin: from, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
    const allowed = await preflight(origin);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(origin);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    expect((await me('subscription', token, undefined, { origin })).headers.get('access-control-allow-origin')).toBe(origin);
    const otherOrigin = (await me('subscription', token, undefined, { origin: 'https://me-other.example.com' })).headers;
    expect(otherOrigin.get('access-control-allow-origin')).toBeNull();
  });
});
