import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { logRequest, pathOf, type RequestLine } from './request-context.ts';

function capture(level = 'info') {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger(level, destination as unknown as pino.DestinationStream), lines };
}

const line: RequestLine = { requestId: 'req_x1', method: 'GET', path: '/api/v1/customers/a"b\\c é/subscription', status: 200, ms: 0.42, appId: 'app_1' };

describe('the request log line', () => {
  it('is exactly what pino writes for log.info(line, "request"), whatever the values', () => {
    for (const sample of [line, { ...line, method: undefined, appId: undefined }, { ...line, status: 503 }, { ...line, path: '\u2028\u0001' }]) {
      const ours = capture();
      const theirs = capture();
      logRequest(ours.log, sample);
      if (sample.status >= 500) theirs.log.error(sample, 'request');
      else theirs.log.info(sample, 'request');
      const strip = (s: string) => s.replace(/"time":"[^"]+"/, '"time":"T"');
      expect(ours.lines.map(strip)).toEqual(theirs.lines.map(strip));
      expect(JSON.parse(ours.lines[0]!)).toMatchObject({
        msg: 'request',
        service: 'aquoris-billing',
        requestId: 'req_x1',
        level: sample.status >= 500 ? 50 : 30,
      });
    }
  });

  it('follows the level: nothing at warn for a 200, the 500 as an error', () => {
    const { log, lines } = capture('warn');
    logRequest(log, line);
    expect(lines).toEqual([]);
    logRequest(log, { ...line, status: 500 });
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 50, status: 500 });
  });
});

describe('the logged path', () => {
  it('drops the query string, and only that', () => {
    expect(pathOf('/api/v1/customers/u%201/subscription?x=1&y=2')).toBe('/api/v1/customers/u%201/subscription');
    expect(pathOf('/api/health')).toBe('/api/health');
    expect(pathOf('/a?')).toBe('/a');
  });
});
