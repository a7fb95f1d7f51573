// The public contracts of REST v1: one zod schema each, shared by the REST
// routes, the OpenAPI document and the SDK's types.
export * from './common/schemas.ts';
export * from './plans/schemas.ts';
export * from './customers/schemas.ts';
export * from './subscriptions/schemas.ts';
export * from './sessions/schemas.ts';
export * from './health/schemas.ts';
export * from './webhooks/schemas.ts';
export * from './billing/app-schemas.ts';
export * from './wallets/schemas.ts';
export { InvoicePaymentIntentParams, InvoicePaymentIntentView } from './invoices/schemas.ts';
export * from './stripe-accounts/schemas.ts';
