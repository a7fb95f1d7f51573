export {
  createDatabase,
  statementName,
  type Database,
  type CreateDbOptions,
  type Executor,
  type Tx,
} from './client.ts';
export * from './kysely/types.ts';
export { isUniqueViolation, isWriteConflict } from './errors.ts';
export { newId } from './ids.ts';
export * as admins from './queries/admins.ts';
export * as apps from './queries/apps.ts';
export * as audit from './queries/audit.ts';
export * as checkoutSessions from './queries/checkout-sessions.ts';
export * as customers from './queries/customers.ts';
export * as health from './queries/health.ts';
export * as invoices from './queries/invoices.ts';
export * as locks from './queries/locks.ts';
export * as plans from './queries/plans.ts';
export * as refunds from './queries/refunds.ts';
export * as stripeEvents from './queries/stripe-events.ts';
export * as subscriptions from './queries/subscriptions.ts';
export type { AdminRow } from './queries/admins.ts';
export type { AppRow } from './queries/apps.ts';
export type { CheckoutSessionRow } from './queries/checkout-sessions.ts';
export type { CustomerRow } from './queries/customers.ts';
export type { InvoiceRow } from './queries/invoices.ts';
export type { PlanRow } from './queries/plans.ts';
export type { RefundRow } from './queries/refunds.ts';
export type { SubscriptionRow, SubscriptionWithPlan } from './queries/subscriptions.ts';
