/**
 * The public contract types. They come from src/generated/openapi.ts, which
 * openapi-typescript writes from the API's OpenAPI document (generated from
 * the route table), so the SDK and the API cannot drift apart silently.
 */
import type { components, operations } from './generated/openapi.ts';

type Schemas = components['schemas'];
type JsonBody<Operation extends keyof operations> = operations[Operation] extends { requestBody: { content: { 'application/json': infer Body } } }
  ? Body
  : never;

/** Optional fields also take `undefined`, as zod's input types do (callers may use exactOptionalPropertyTypes). */
type AllowUndefined<T> = T extends object ? { [K in keyof T]: object extends Pick<T, K> ? AllowUndefined<T[K]> | undefined : AllowUndefined<T[K]> } : T;

/** An active plan, as listed by `GET /api/v1/plans`. */
export type Plan = Schemas['Plan'];
/** Response of `GET /api/v1/plans`. */
export type PlanList = Schemas['PlanList'];
/** A subscription as the eligibility endpoint reports it. */
export type EligibilitySubscription = Schemas['EligibilitySubscription'];
/** Response of `GET /api/v1/customers/:externalUserId/subscription` (always 200). */
export type Eligibility = Schemas['Eligibility'];
/** Response of `PUT /api/v1/customers/:externalUserId`. */
export type Customer = Schemas['Customer'];
/** Response of `POST /api/v1/sessions`: redirect the user to `url`. */
export type Session = Schemas['Session'];
/** Response of `POST /api/v1/customers/:externalUserId/portal-session`: redirect the user to `url`. */
export type PortalSession = Schemas['PortalSession'];
/** Body of `POST /api/v1/customers/:externalUserId/portal-session`. */
export type PortalSessionCreateParams = AllowUndefined<JsonBody<'createPortalSession'>>;
/** Response of `GET /api/v1/checkout/verify`: the subscription a completed Checkout created. */
export type VerifiedCheckout = Schemas['VerifiedCheckout'];
/** Response of `POST /api/v1/invoices/:invoiceId/payment-intent`: confirm it with Stripe.js using `clientSecret`. */
export type InvoicePaymentIntent = Schemas['InvoicePaymentIntent'];
/** Response of `GET /api/health` (200 when ok, 503 when degraded). */
export type Health = Schemas['Health'];
/** The app's Stripe configuration (`GET /api/v1/stripe/config`): secrets only as their last 4 characters. */
export type StripeConfig = Schemas['StripeConfigView'];
/** Body of `PUT /api/v1/stripe/config`. */
export type StripeConfigSetParams = AllowUndefined<JsonBody<'putStripeConfig'>>;
/** Body of `POST /api/v1/stripe/config/validate`. */
export type StripeConfigValidateParams = AllowUndefined<JsonBody<'validateStripeConfig'>>;
/** Response of `POST /api/v1/stripe/config/validate`. */
export type StripeConfigValidation = Schemas['ValidateStripeConfigView'];
/** Response of `GET /api/v1/stripe/webhook-urls`. */
export type StripeWebhookUrls = Schemas['StripeWebhookUrlsView'];
/** A plan's price in the app's own Stripe account. */
export type StripePlanPrice = Schemas['PlanStripePriceView'];
/** Body of `PUT /api/v1/stripe/plan-prices`. */
export type StripePlanPriceSetParams = AllowUndefined<JsonBody<'putStripePlanPrice'>>;

/** The body of every error response. */
export type ErrorBody = Schemas['Error'];

/** ISO 4217 code, lowercase. */
export type Currency = Plan['currency'];
/** Billing interval of a plan. */
export type Interval = Plan['interval'];
/** Status of a subscription. */
export type SubscriptionStatus = EligibilitySubscription['status'];
/** CHECKOUT (Stripe), MANUAL (admin-granted) or TRIAL. */
export type SubscriptionSource = EligibilitySubscription['source'];

/** Body of `POST /api/v1/sessions`. */
type CreateSessionBody = AllowUndefined<JsonBody<'createSession'>>;
/** Body of `PUT /api/v1/customers/:externalUserId`; at least one field is required. */
type UpsertCustomerBody = AllowUndefined<JsonBody<'upsertCustomer'>>;
/** "manage" lands on /billing, "upgrade" on /billing/plans. */
export type SessionIntent = NonNullable<CreateSessionBody['intent']>;

/** `sessions.create` parameters: the `POST /api/v1/sessions` body without `appSlug`, which comes from the client. */
export type SessionCreateParams = Omit<CreateSessionBody, 'appSlug'>;

/** `customers.upsert` fields: `email`, `name` or both (an empty body is a 422). */
export type CustomerUpsertParams = UpsertCustomerBody & ({ email: string } | { name: string });

/** Body of `POST /api/v1/customers/:externalUserId/wallet/deposits`: 500 to 50,000 minor units. */
export type WalletDepositParams = AllowUndefined<JsonBody<'createWalletDeposit'>>;
/** Response of a deposit: send the customer to `url` (Stripe Checkout, payment mode). */
export type WalletDepositSession = Schemas['WalletDepositSession'];
/** Response of `GET /api/v1/wallet/deposits/verify`. */
export type WalletDepositVerification = Schemas['WalletDepositVerification'];
/** Body of `POST /api/v1/customers/:externalUserId/wallet/debits`. */
export type WalletDebitParams = AllowUndefined<JsonBody<'createWalletDebit'>>;
/** Response of a debit: the entry and the balance after it (the first answer again for a replayed key). */
export type WalletDebit = Schemas['WalletDebit'];
/** One ledger entry (deposit, debit, refund or adjustment); `amountCents` is signed. */
export type WalletEntry = Schemas['WalletEntry'];
/** Response of `GET /api/v1/customers/:externalUserId/wallet`: balances and one page of history. */
export type Wallet = Schemas['Wallet'];
