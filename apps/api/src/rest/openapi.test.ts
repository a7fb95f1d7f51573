import { ExternalUserId, UpsertCustomerBody } from '@aquoris/core/schemas';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './openapi.ts';

const doc = buildOpenApiDocument('https://payment.aquoris.ai') as any;

describe('OpenAPI document', () => {
  it.each([
    ['/api/v1/sessions', 'post'],
    ['/api/v1/customers/{externalUserId}', 'put'],
  ])('documents 413 and 415 for %s, which takes a body', (path, method) => {
    const responses = doc.paths[path][method].responses;
    expect(responses['413'].description).toMatch(/^PAYLOAD_TOO_LARGE: body over 16 KB/);
    expect(responses['415'].description).toMatch(/^UNSUPPORTED_MEDIA_TYPE: .*gzip, deflate, br/);
    expect(responses['413'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
  });

  it('states the "at least one field" rule of the customer upsert as minProperties', () => {
    const schema = doc.components.schemas.UpsertCustomerBody;
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
      expect(param).toMatchObject({ in: 'path', required: true });
      expect(param.schema).toMatchObject({ type: 'string', minLength: 1, maxLength: ExternalUserId.maxLength, pattern: expect.any(String) });
      expect(ExternalUserId.maxLength).toBe(256);
      const pattern = new RegExp(param.schema.pattern, 'u');
      expect(pattern.test('user_123')).toBe(true);
      expect(pattern.test('a\u0000b')).toBe(false);
    }
  });
});
