import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/index.ts';
import { expectError, rawRequest, type RawResponse } from '../testing/raw-http.ts';

/**
 * Input that used to reach PostgreSQL or escape the error envelope as a 500
 * (or a bare status line): control characters, broken percent-encoding,
 * corrupt compressed bodies, wrong methods, oversized request heads.
 */

let api: TestApi;
let key: string;

beforeAll(async () => {
  api = await startTestApi();
  ({ apiKey: key } = await api.createApp({ slug: 'vega', returnUrl: 'https://vega.aquoris.ai/settings' }));
});
afterAll(() => api.close());

/** The API with this file's key (unless `auth: false`). */
function raw(method: string, path: string, options: { headers?: Record<string, string>; body?: string | Buffer; auth?: boolean } = {}): Promise<RawResponse> {
  return rawRequest(api.baseUrl, method, path, { ...options, ...(options.auth === false ? {} : { apiKey: key }) });
}

describe('control characters are refused with 422, never stored', () => {
  it('GET …/a%00b/subscription (the node:http fast path)', async () => {
    expectError(await raw('GET', '/api/v1/customers/a%00b/subscription'), 422, 'VALIDATION_ERROR', 'control characters');
  });

  it('PUT /customers/a%00b, names the parameter', async () => {
    expectError(
      await raw('PUT', '/api/v1/customers/a%00b', { body: '{"name":"x"}' }),
      422,
      'VALIDATION_ERROR',
      /^externalUserId: must not contain control characters/,
    );
  });

  it.each([
    ['NUL', 'x\\u0000y'],
    ['newline', 'x\\ny'],
    ['DEL', 'x\\u007fy'],
    ['C1', 'x\\u0085y'],
  ])('PUT with a %s in the name', async (_name, escaped) => {
    expectError(
      await raw('PUT', '/api/v1/customers/abc', { body: `{"name":"${escaped}"}` }),
      422,
      'VALIDATION_ERROR',
      /^name: must not contain control characters/,
    );
  });

  it('POST /sessions with NUL in externalUserId or user.name', async () => {
    const sessions = (body: string) => raw('POST', '/api/v1/sessions', { body });
    expectError(
      await sessions('{"externalUserId":"a\\u0000","appSlug":"vega"}'),
      422,
      'VALIDATION_ERROR',
      /^externalUserId: must not contain control characters/,
    );
    expectError(
      await sessions('{"externalUserId":"a","appSlug":"vega","user":{"name":"a\\u0000"}}'),
      422,
      'VALIDATION_ERROR',
      /^user\.name: must not contain control characters/,
    );
    expectError(
      await sessions('{"externalUserId":"a","appSlug":"vega","intent":"upgrade","planSlug":"pro\\u0000"}'),
      422,
      'VALIDATION_ERROR',
      /^planSlug: must not contain control characters/,
    );
  });

  it('nothing reached the database', async () => {
    expect(await api.prisma.customer.count()).toBe(0);
  });
});

describe('empty names are refused', () => {
  it.each([
    ['PUT name ""', 'PUT', '/api/v1/customers/abc', '{"name":""}', /^name: must not be empty/],
    ['PUT name "   "', 'PUT', '/api/v1/customers/abc', '{"name":"   "}', /^name: must not be blank/],
    ['POST user.name ""', 'POST', '/api/v1/sessions', '{"externalUserId":"u","appSlug":"vega","user":{"name":""}}', /^user\.name: must not be empty/],
  ])('%s → 422', async (_name, method, path, body, message) => {
    expectError(await raw(method, path, { body }), 422, 'VALIDATION_ERROR', message);
  });
});

describe('bad percent-encoding in the path is a 4xx, never a 500', () => {
  it.each([
    ['PUT', '/api/v1/customers/%E0%A4%A'],
    ['PUT', '/api/v1/customers/%'],
    ['PUT', '/api/v1/customers/%ED%A0%80'], // an encoded lone surrogate: not UTF-8
    ['HEAD', '/api/v1/customers/%E0%A4%A/subscription'],
    ['GET', '/api/v1/customers/%E0%A4%A/subscription'],
  ])('%s %s → 422 VALIDATION_ERROR, like the fast path', async (method, path) => {
    const res = await raw(method, path, method === 'PUT' ? { body: '{"name":"x"}' } : {});
    expect(res.status).toBe(422);
    if (method !== 'HEAD') expectError(res, 422, 'VALIDATION_ERROR', 'URL encoding');
  });

  it('GET /session/%E0%A4%A shows the bad-link page', async () => {
    const res = await raw('GET', '/session/%E0%A4%A', { auth: false });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('This billing link is not valid');
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('request bodies', () => {
  const put = (body: string | Buffer, headers: Record<string, string> = {}) => raw('PUT', '/api/v1/customers/enc', { body, headers });

  it.each(['gzip', 'deflate', 'br'])('a corrupt %s body → 422 envelope', async (encoding) => {
    expectError(await put(Buffer.from('definitely not compressed'), { 'content-encoding': encoding }), 422, 'VALIDATION_ERROR', `not valid ${encoding} data`);
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('a valid %s body is accepted', async (encoding, compress) => {
    const res = await put(compress(`{"name":"${encoding}"}`), { 'content-encoding': encoding });
    expect(res.status).toBe(200);
    expect(res.json().name).toBe(encoding);
  });

  it('the 16 KB limit applies after decompression', async () => {
    const bomb = gzipSync(`{"name":"${'x'.repeat(100_000)}"}`);
    expect(bomb.length).toBeLessThan(1024);
    expectError(await put(bomb, { 'content-encoding': 'gzip' }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it.each(['zstd', 'compress', 'x-custom', 'gzip, br'])('Content-Encoding %s → 415', async (encoding) => {
    expectError(await put(Buffer.from('{}'), { 'content-encoding': encoding }), 415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Encoding');
  });

  it('an unsupported charset → 415', async () => {
    expectError(await put('{"name":"x"}', { 'content-type': 'application/json; charset=koi8-r' }), 415, 'UNSUPPORTED_MEDIA_TYPE', 'charset');
  });

  it.each([
    ['null', 'null'],
    ['1', 'number'],
    ['"x"', 'string'],
    ['true', 'boolean'],
  ])('a JSON %s body says it must be an object', async (body, kind) => {
    expectError(await put(body), 422, 'VALIDATION_ERROR', `Request body must be a JSON object, not ${kind}`);
    expectError(await raw('POST', '/api/v1/sessions', { body }), 422, 'VALIDATION_ERROR', `not ${kind}`);
  });

  it('invalid JSON still says so', async () => {
    expectError(await put('{"name": '), 422, 'VALIDATION_ERROR', 'Request body is not valid JSON');
  });
});

describe('wrong methods on known paths → 405 with Allow', () => {
  it.each([
    ['DELETE', '/api/v1/plans', 'GET, HEAD'],
    ['POST', '/api/v1/plans', 'GET, HEAD'],
    ['OPTIONS', '/api/v1/plans', 'GET, HEAD'],
    ['GET', '/api/v1/sessions', 'POST'],
    ['OPTIONS', '/api/v1/sessions', 'POST'],
    ['DELETE', '/api/v1/customers/abc', 'PUT'],
    ['GET', '/api/v1/customers/abc', 'PUT'],
    ['POST', '/api/v1/customers/abc/subscription', 'GET, HEAD'],
    ['PATCH', '/api/health', 'GET, HEAD'],
  ])('%s %s', async (method, path, allow) => {
    const res = await raw(method, path);
    expectError(res, 405, 'METHOD_NOT_ALLOWED', `use ${allow}`);
    expect(res.headers.allow).toBe(allow);
  });

  it('HEAD is still answered where GET is', async () => {
    expect((await raw('HEAD', '/api/v1/plans')).status).toBe(200);
    expect((await raw('HEAD', '/api/v1/customers/abc/subscription')).status).toBe(200);
  });

  it('unknown paths stay 404', async () => {
    expectError(await raw('DELETE', '/api/v1/nope'), 404, 'NOT_FOUND');
  });
});

describe('requests Node refuses before Express', () => {
  it('a URL over the header limit → 431 envelope', async () => {
    const res = await raw('GET', `/api/v1/customers/${'x'.repeat(20_000)}/subscription`);
    expectError(res, 431, 'REQUEST_HEADERS_TOO_LARGE', 'too large');
    expect(res.headers['x-request-id']).toMatch(/^req_/);
  });

  it('headers over the limit → 431 envelope', async () => {
    expectError(await raw('GET', '/api/v1/plans', { headers: { 'x-big': 'y'.repeat(20_000) } }), 431, 'REQUEST_HEADERS_TOO_LARGE');
  });
});
