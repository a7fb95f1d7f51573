import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { logRequest } from './http/request-context.ts';
import { createLogger, prettyDestination } from './logger.ts';

function capture(pretty: boolean) {
  const stream = new PassThrough();
  let out = '';
  stream.on('data', (d: Buffer) => (out += d.toString()));
  const log = pretty ? createLogger('info', prettyDestination(stream)) : createLogger('info', stream);
  return { log, lines: () => out.split('\n').filter(Boolean) };
}

const line = (path: string, status = 200) => ({ requestId: 'req_1', method: 'GET', path, status, ms: 3.2, appId: undefined });

describe('logs in development (pino-pretty)', () => {
  it('one readable line per request, no JSON', () => {
    const { log, lines } = capture(true);
    logRequest(log, line('/api/v1/plans'));
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: GET \/api\/v1\/plans 200 3\.2 ms/);
    expect(lines()[0]).not.toContain('"level"');
  });

  it('keeps other entries readable with their fields on the same line, secrets still redacted', () => {
    const { log, lines } = capture(true);
    log.warn({ plan: 'pro', apiKey: 'aqb_secret' }, 'Stripe price of the plan is missing');
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toContain('WARN: Stripe price of the plan is missing');
    expect(lines()[0]).toContain('"plan":"pro"');
    expect(lines()[0]).not.toContain('aqb_secret');
  });
});

describe('polling endpoints', () => {
  it.each([true, false])('are not logged while they succeed (pretty: %s), and are when they fail', (pretty) => {
    const { log, lines } = capture(pretty);
    logRequest(log, line('/api/health'));
    logRequest(log, line('/trpc/billing.checkout.status'));
    expect(lines()).toEqual([]);
    logRequest(log, line('/api/health', 503));
    expect(lines()).toHaveLength(1);
  });

  it('production stays JSON, one object per line', () => {
    const { log, lines } = capture(false);
    logRequest(log, line('/api/v1/plans'));
    expect(JSON.parse(lines()[0]!)).toMatchObject({ msg: 'request', method: 'GET', path: '/api/v1/plans', status: 200 });
  });
});
