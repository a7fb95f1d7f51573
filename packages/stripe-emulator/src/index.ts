export { startStripeEmulator, DEFAULT_WEBHOOK_SECRET, DEFAULT_ENDPOINT_ID } from './emulator.ts';
export type { StripeEmulator, StripeEmulatorOptions } from './emulator.ts';
export type { DunningSettings } from './core/context.ts';
export type { DeliveryRecord } from './webhooks/delivery.ts';
export type { WebhookFaults } from './webhooks/faults.ts';
export type { ApiFault } from './http/api-faults.ts';
export { TEST_CARDS } from './billing/cards.ts';
export { Accounts, type AccountKeys } from './control/accounts.ts';
