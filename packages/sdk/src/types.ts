/**
 * The public contract types. They come from src/generated/contract.ts, which
 * is generated from the zod schemas in @aquoris/core/schemas, so the SDK and
 * the API cannot drift apart silently.
 */
import type { CreateSessionBody, UpsertCustomerBody } from './generated/contract.ts';

export type {
  Currency,
  Customer,
  Eligibility,
  EligibilitySubscription,
  ErrorBody,
  Health,
  Interval,
  Plan,
  PlanList,
  Session,
  SessionIntent,
  SubscriptionSource,
  SubscriptionStatus,
} from './generated/contract.ts';

/** `sessions.create` parameters: the `POST /api/v1/sessions` body without `appSlug`, which comes from the client. */
export type SessionCreateParams = Omit<CreateSessionBody, 'appSlug'>;

/** `customers.upsert` fields: `email`, `name` or both (an empty body is a 422). */
export type CustomerUpsertParams = UpsertCustomerBody & ({ email: string } | { name: string });
