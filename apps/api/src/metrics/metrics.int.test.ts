import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalog, payCheckout } from '../testing/catalog.ts';
import { freePort } from '../testing/index.ts';
import { startStripeTestStack, waitFor, type StripeTestStack } from '../testing/stripe.ts';

const token = randomBytes(16).toString('hex');
let stack: StripeTestStack;
let metricsUrl: string;

beforeAll(async () => {
  const port = await freePort();
  stack = await startStripeTestStack({ env: { METRICS_PORT: String(port), METRICS_TOKEN: token } });
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
});
afterAll(() => stack?.close());

async function scrape(): Promise<string> {
  const res = await fetch(metricsUrl, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
}

/** The value of one sample line (`name{labels} value`), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('the Prometheus endpoint', () => {
  it('is on its own port, behind the token, and not on the public port', async () => {
    expect((await fetch(metricsUrl)).status).toBe(401);
    expect((await fetch(metricsUrl, { headers: { authorization: 'Bearer wrong-token-of-some-length' } })).status).toBe(401);
    expect((await stack.api.request('/metrics')).status).toBe(404);
  });

  it('times requests by route template and status, never by raw path', async () => {
    const app = await stack.api.createApp();
    for (const user of ['u-one', 'u-two']) expect((await stack.api.request(`/api/v1/customers/${user}/subscription`, { apiKey: app.apiKey })).status).toBe(200);
    expect((await stack.api.request('/api/v1/customers/u-one/subscription', { apiKey: 'aqb_wrong' })).status).toBe(401);
    expect((await stack.api.request('/api/v1/plans', { apiKey: app.apiKey })).status).toBe(200);
    expect((await stack.api.request('/no/such/path')).status).toBe(404);
    const text = await scrape();
    const route = '/api/v1/customers/:externalUserId/subscription';
    expect(sample(text, `aqb_http_request_duration_seconds_count{method="GET",route="${route}",status="200"}`)).toBe(2);
    expect(sample(text, `aqb_http_request_duration_seconds_count{method="GET",route="${route}",status="401"}`)).toBe(1);
    expect(sample(text, 'aqb_http_request_duration_seconds_count{method="GET",route="/api/v1/plans",status="200"}')).toBe(1);
    // This one and the /metrics probe of the test before: a path no route matched is labelled "unmatched".
    expect(sample(text, 'aqb_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}')).toBe(2);
    expect(text).not.toContain('u-one');
    expect(text).not.toContain('/no/such/path');
  });

  it('counts eligibility cache hits and misses', async () => {
    const app = await stack.api.createApp();
    const before = await scrape();
    const hits = sample(before, 'aqb_eligibility_cache_lookups_total{result="hit"}')!;
    const misses = sample(before, 'aqb_eligibility_cache_lookups_total{result="miss"}')!;
    for (let i = 0; i < 3; i++) await stack.api.request('/api/v1/customers/cache-user/subscription', { apiKey: app.apiKey });
    const after = await scrape();
    expect(sample(after, 'aqb_eligibility_cache_lookups_total{result="miss"}')).toBe(misses + 1);
    expect(sample(after, 'aqb_eligibility_cache_lookups_total{result="hit"}')).toBe(hits + 2);
  });

  it('reports queue depth, finished jobs and the webhook lag from receipt to commit', async () => {
    const catalog = await createCatalog(stack);
    const sub = await stack.subscriber(catalog.app, 'metrics');
    const created = await sub.mutate('billing.checkout.create', { planSlug: 'pro' });
    await payCheckout(stack, created.url);
    await waitFor(async () => (await sub.eligibility()).base?.status === 'ACTIVE', { what: 'the checkout to take effect' });
    const text = await waitFor(async () => {
      const t = await scrape();
      return (sample(t, 'aqb_webhook_lag_seconds_count') ?? 0) >= 1 ? t : null;
    });
    expect(sample(text, 'aqb_webhook_lag_seconds_sum')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'aqb_jobs_total{job="stripe.object",outcome="completed"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'aqb_queue_jobs{state="waiting"}')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'aqb_queue_jobs{state="failed"}')).toBe(0);
    expect(text).toContain('aqb_process_resident_memory_bytes');
  });
});
