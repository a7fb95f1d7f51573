import { z } from 'zod';
import { CustomerName, Email, ExternalUserId } from '../common/schemas.ts';

export const CustomerFields = z.strictObject({
  email: Email.optional().meta({ example: 'alice@example.com' }),
  name: CustomerName.optional(),
});

export const UpsertCustomerBody = CustomerFields.refine((v) => v.email !== undefined || v.name !== undefined, {
  message: 'At least one field (email or name) must be provided',
}).meta({
  id: 'UpsertCustomerBody',
  description: 'At least one of email and name',
  // The refine above is code, not JSON Schema: state the same rule for the OpenAPI document (only email and name exist).
  minProperties: 1,
});
export type UpsertCustomerBody = z.infer<typeof UpsertCustomerBody>;

/** The `{externalUserId}` path parameter of the customer routes (errors name the parameter). */
export const CustomerPathParams = z.strictObject({ externalUserId: ExternalUserId });

export const UpsertCustomerInput = z.object({ externalUserId: ExternalUserId, fields: UpsertCustomerBody });
export type UpsertCustomerInput = z.infer<typeof UpsertCustomerInput>;

export const CustomerView = z
  .object({
    id: z.string().meta({ example: 'cm5abc123' }),
    externalUserId: z.string(),
    email: z.string().nullable(),
    name: z.string().nullable(),
  })
  .meta({ id: 'Customer' });
export type CustomerView = z.infer<typeof CustomerView>;
