import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ERROR_HTTP_STATUS } from '@aquoris/core';
import { ExternalUserId, UpsertCustomerBody } from '@aquoris/core/schemas';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './openapi.ts';
import { ROUTES } from './routes.ts';

const doc = buildOpenApiDocument('https://payment.aquoris.ai') as any;
const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods as object).map(([method, op]) => ({ path, method, op: op as any })),
);

describe('OpenAPI document', () => {
  it('has one operation per route of the table, and nothing else', () => {
    expect(operations.map(({ path, method }) => `${method} ${path}`).sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    expect(doc.paths['/api/v1/openapi.json'].get.security).toEqual([]);
  });

  it('passes @redocly/cli lint (recommended rules) with no error and no warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const { stdout } = await promisify(execFile)('pnpm', ['exec', 'redocly', 'lint', file, '--format', 'json'], { timeout: 60_000 }).catch(
      (error: { stdout: string }) => ({ stdout: error.stdout }),
    );
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { totals: { errors: number; warnings: number }; problems: unknown[] };
    expect(report.problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 90_000);

  it('lists every error code of core as the ErrorCode enum, and uses it in the error body', () => {
    expect(doc.components.schemas.ErrorCode.enum).toEqual(Object.keys(ERROR_HTTP_STATUS));
    expect(doc.components.schemas.Error.properties.error.properties.code).toEqual({ $ref: '#/components/schemas/ErrorCode' });
  });

  it('declares every status with a body schema, the X-Request-Id header, and one example per error code', () => {
    for (const { op } of operations) {
      for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
        expect(response.content['application/json'].schema.$ref, status).toMatch(/^#\/components\/schemas\//);
        expect(response.headers['X-Request-Id']).toEqual({ $ref: '#/components/headers/RequestId' });
        if (response.content['application/json'].schema.$ref === '#/components/schemas/Error') {
          const examples = Object.entries(response.content['application/json'].examples as Record<string, any>);
          expect(examples.length).toBeGreaterThan(0);
          for (const [code, example] of examples) {
            expect(ERROR_HTTP_STATUS[code as keyof typeof ERROR_HTTP_STATUS]).toBe(Number(status));
            expect(example.value.error.code).toBe(code);
          }
        }
      }
      expect(op.parameters).toContainEqual({ $ref: '#/components/parameters/RequestId' });
    }
  });

  it("documents the webhook's 200 body, its 413 and its 400", () => {
    const { responses } = doc.paths['/api/v1/webhooks/stripe'].post;
    expect(responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/StripeWebhookAck' });
    expect(Object.keys(responses['413'].content['application/json'].examples)).toEqual(['PAYLOAD_TOO_LARGE']);
    expect(Object.keys(responses['400'].content['application/json'].examples)).toEqual(['INVALID_SIGNATURE']);
  });

  it.each([
    ['/api/v1/sessions', 'post'],
    ['/api/v1/customers/{externalUserId}', 'put'],
  ])('documents 413 and 415 for %s, which takes a body', (path, method) => {
    const responses = doc.paths[path][method].responses;
    expect(responses['413'].description).toMatch(/^PAYLOAD_TOO_LARGE: Body over 16 KB/);
    expect(responses['415'].description).toMatch(/^UNSUPPORTED_MEDIA_TYPE: .*gzip, deflate, br/);
    expect(responses['413'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
  });

  it('does not require a field with a default in a request body (intent defaults to "manage")', () => {
    const body = doc.paths['/api/v1/sessions'].post.requestBody.content['application/json'];
    expect(body.schema.required).toEqual(['externalUserId', 'appSlug']);
    expect(body.schema.properties.intent.default).toBe('manage');
    expect(body.example).toEqual({ externalUserId: 'user_123', appSlug: 'vega' });
  });

  it('states the "at least one field" rule of the customer upsert as minProperties', () => {
    const schema = doc.paths['/api/v1/customers/{externalUserId}'].put.requestBody.content['application/json'].schema;
    expect(schema.minProperties).toBe(1);
    expect(Object.keys(schema.properties)).toEqual(['email', 'name']);
    expect(schema.additionalProperties).toBe(false);
    // The rule the document states is the one the route applies.
    expect(UpsertCustomerBody.safeParse({}).success).toBe(false);
    expect(UpsertCustomerBody.safeParse({ name: 'A' }).success).toBe(true);
  });

  it('takes the externalUserId path parameter limits from the schema the routes parse with', () => {
    for (const path of ['/api/v1/customers/{externalUserId}', '/api/v1/customers/{externalUserId}/subscription']) {
      const operation = Object.values(doc.paths[path])[0] as any;
      const param = operation.parameters.find((p: any) => p.name === 'externalUserId');
      expect(param).toMatchObject({ in: 'path', required: true, example: 'user_123' });
      expect(param.schema).toMatchObject({ type: 'string', minLength: 1, maxLength: ExternalUserId.maxLength, pattern: expect.any(String) });
      expect(ExternalUserId.maxLength).toBe(256);
      const pattern = new RegExp(param.schema.pattern, 'u');
      expect(pattern.test('user_123')).toBe(true);
      expect(pattern.test('a\u0000b')).toBe(false);
    }
  });

  it('sets info.license', () => {
    expect(doc.info.license).toMatchObject({ name: 'MIT', url: expect.stringMatching(/^https:\/\//) });
  });
});

describe('OpenAPI document: the invoice payment intent', () => {
  it('documents POST /invoices/{invoiceId}/payment-intent with no body, its view and its refusals', () => {
    const op = doc.paths['/api/v1/invoices/{invoiceId}/payment-intent'].post;
    expect(op.operationId).toBe('createInvoicePaymentIntent');
    expect(op.requestBody).toBeUndefined();
    expect(op.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toContain('path:invoiceId');
    expect(doc.components.schemas.InvoicePaymentIntent.required).toEqual(['id', 'invoiceId', 'clientSecret', 'amount', 'currency', 'status']);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '404', '409']));
  });
});
