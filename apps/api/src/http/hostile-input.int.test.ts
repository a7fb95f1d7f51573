import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/index.ts';
import { expectError, rawRequest } from '../testing/raw-http.ts';
import { MAX_JSON_DEPTH } from './json-depth.ts';

// Unauthenticated input that used to end as a 500 (issue 15): a method the Fetch API cannot carry, and JSON
// nested thousands of levels deep. Both are the client's fault: 405 and 400, on REST and tRPC alike.

let api: TestApi;
let key: string;

beforeAll(async () => {
  api = await startTestApi();
  ({ apiKey: key } = await api.createApp({ slug: 'vega' }));
});
afterAll(() => api?.close());

const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const nestedObject = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

describe('bad methods are 405 with an Allow header', () => {
  it.each(['TRACE', 'PATCH', 'DELETE', 'OPTIONS', 'PUT'])('%s /trpc/billing.plans.list', async (method) => {
    const res = await rawRequest(api.baseUrl, method, '/trpc/billing.plans.list');
    expectError(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers.allow).toBe('GET, POST');
  });

  it.each(['TRACE', 'DELETE'])('%s on REST routes, the eligibility path included', async (method) => {
    for (const path of ['/api/v1/plans', '/api/v1/customers/u1/subscription', '/api/health']) {
      const res = await rawRequest(api.baseUrl, method, path, { apiKey: key });
      expectError(res, 405, 'METHOD_NOT_ALLOWED');
      expect(res.headers.allow).toBeTruthy();
    }
  });
});

describe(`JSON nested deeper than ${MAX_JSON_DEPTH} levels is 400 on every JSON body`, () => {
  it('REST: 7,000 levels, an object chain, and the same gzipped', async () => {
    for (const body of [nested(7_000), nestedObject(MAX_JSON_DEPTH + 1), gzipSync(nested(7_000))]) {
      const headers = Buffer.isBuffer(body) ? { 'content-encoding': 'gzip' } : undefined;
      const res = await rawRequest(api.baseUrl, 'POST', '/api/v1/sessions', { apiKey: key, body, ...(headers ? { headers } : {}) });
      expectError(res, 400, 'BAD_REQUEST', `nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
  });

  it('tRPC: a mutation body, a batch body and a query input', async () => {
    const post = await rawRequest(api.baseUrl, 'POST', '/trpc/billing.checkout.create', { body: `{"planSlug":${nested(7_000)}}` });
    expectError(post, 400, 'BAD_REQUEST', 'nested deeper');
    const batch = await rawRequest(api.baseUrl, 'POST', '/trpc/billing.checkout.create?batch=1', { body: `{"0":${nested(7_000)}}` });
    expectError(batch, 400, 'BAD_REQUEST', 'nested deeper');
    const query = await rawRequest(api.baseUrl, 'GET', `/trpc/billing.plans.list?input=${encodeURIComponent(nested(1_000))}`);
    expectError(query, 400, 'BAD_REQUEST', 'nested deeper');
  });

  it('brackets inside strings do not count, and a body at the cap is parsed (then judged by its schema)', async () => {
    const inString = await rawRequest(api.baseUrl, 'POST', '/api/v1/sessions', {
      apiKey: key,
      body: JSON.stringify({ externalUserId: `u-${'['.repeat(500)}\\"{` }),
    });
    expect(inString.status).toBe(422); // an invalid id, said by the schema: the depth check let it through
    const atCap = await rawRequest(api.baseUrl, 'POST', '/api/v1/sessions', { apiKey: key, body: `{"x":${nested(MAX_JSON_DEPTH - 1)}}` });
    expectError(atCap, 422, 'VALIDATION_ERROR');
  });
});
