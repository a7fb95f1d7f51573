import { describe, expect, it } from 'vitest';
import { browserErrorTrackingOptions, readBrowserErrorTracking, redactSecrets, scrubErrorEvent } from './error-tracking.ts';

const KEY = 'aqb_3kQ9xZ1bYc7dEf2gHi4jKl5mNo6pQr8sTu0vWx_yZ-a';

describe('scrubErrorEvent', () => {
  it('drops the request body, cookies and credential headers, and keeps the rest', () => {
    const event = {
      message: `failed for ${KEY}`,
      request: {
        url: 'https://pay.example.com/session/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig?x=1',
        method: 'POST',
        data: '{"password":"hunter2"}',
        cookies: { aqb_session: 'abc' },
        headers: { Authorization: `Bearer ${KEY}`, Cookie: 'aqb_admin=s3cret', 'User-Agent': 'curl/8', 'Stripe-Signature': 't=1,v1=x' },
      },
      breadcrumbs: [{ message: 'GET /api/v1/plans', data: { url: '/api/v1/plans', status_code: 200 } }],
      extra: { apiKey: KEY, note: `sk_test_abc123 and whsec_xyz` },
    };
    const scrubbed = scrubErrorEvent(event);
    expect(scrubbed.request.data).toBe('[redacted]');
    expect(scrubbed.request.cookies).toBe('[redacted]');
    expect(scrubbed.request.headers).toEqual({ Authorization: '[redacted]', Cookie: '[redacted]', 'User-Agent': 'curl/8', 'Stripe-Signature': '[redacted]' });
    expect(scrubbed.request.url).toBe('https://pay.example.com/session/[redacted]?x=1');
    expect(scrubbed.request.method).toBe('POST');
    expect(scrubbed.message).toBe('failed for [redacted]');
    expect(scrubbed.breadcrumbs[0]!.data).toEqual({ url: '/api/v1/plans', status_code: 200 });
    expect(scrubbed.extra).toEqual({ apiKey: '[redacted]', note: '[redacted] and [redacted]' });
    expect(JSON.stringify(scrubbed)).not.toMatch(/aqb_3k|hunter2|s3cret|eyJ/);
    expect(event.request.data).toBe('{"password":"hunter2"}'); // a copy: the original is left alone
  });
});

describe('redactSecrets', () => {
  it('redacts bearer and basic credentials but leaves ordinary words', () => {
    expect(redactSecrets('Authorization: Bearer abc.def-123')).toBe('Authorization: Bearer [redacted]');
    expect(redactSecrets('basic dXNlcjpwYXNz')).toBe('basic [redacted]');
    expect(redactSecrets('a bearer of news; aqb_short')).toBe('a bearer of news; aqb_short');
  });
});

describe('readBrowserErrorTracking', () => {
  const doc = (tags: Record<string, string>) => ({
    querySelector: (selector: string) => {
      const name = /name="([^"]+)"/.exec(selector)?.[1] ?? '';
      return name in tags ? { getAttribute: () => tags[name]! } : null;
    },
  });

  it('is off without a DSN, and reads the served page before the build', () => {
    expect(readBrowserErrorTracking(doc({}))).toBeNull();
    expect(readBrowserErrorTracking(doc({}), { dsn: 'https://k@built.example/1' })).toEqual({ dsn: 'https://k@built.example/1', environment: 'production' });
    expect(
      readBrowserErrorTracking(doc({ 'aqb-sentry-dsn': 'https://k@served.example/2', 'aqb-sentry-environment': 'staging' }), {
        dsn: 'https://k@built.example/1',
      }),
    ).toEqual({
      dsn: 'https://k@served.example/2',
      environment: 'staging',
    });
  });

  it('files events under the served release (the image’s git sha), so the uploaded source maps match', () => {
    const served = readBrowserErrorTracking(doc({ 'aqb-sentry-dsn': 'https://k@served.example/2', 'aqb-sentry-release': 'a1b2c3d' }));
    expect(served).toEqual({ dsn: 'https://k@served.example/2', environment: 'production', release: 'a1b2c3d' });
    expect(browserErrorTrackingOptions(served!, 'admin-web')).toMatchObject({ release: 'a1b2c3d' });
    expect(browserErrorTrackingOptions({ dsn: 'https://k@x.example/1', environment: 'production' }, 'admin-web')).not.toHaveProperty('release');
  });
});
