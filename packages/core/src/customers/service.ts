import { isUniqueViolation, type Db } from '@aquoris/db';
import type { AppActor } from '../actors.ts';
import type { Deps } from '../deps.ts';
import { parseInput } from '../validation.ts';
import { ExternalUserId } from '../common/schemas.ts';
import { UpsertCustomerBody, type CustomerView } from './schemas.ts';

type CustomerRow = Awaited<ReturnType<Db['customer']['findUniqueOrThrow']>>;

export function toCustomerView(c: CustomerRow): CustomerView {
  return { id: c.id, externalUserId: c.externalUserId, email: c.email, name: c.name };
}

export interface CustomerFieldsUpdate {
  email?: string | undefined;
  name?: string | undefined;
}

/** Keeps only the fields that were given, so a partial update preserves the rest. */
function definedFields(fields: CustomerFieldsUpdate): { email?: string; name?: string } {
  const out: { email?: string; name?: string } = {};
  if (fields.email !== undefined) out.email = fields.email;
  if (fields.name !== undefined) out.name = fields.name;
  return out;
}

/**
 * Creates or updates the customer (appId, externalUserId). Two concurrent
 * first calls race on the unique key; the loser retries as an update.
 */
export async function ensureCustomer(deps: Pick<Deps, 'db'>, appId: string, externalUserId: string, fields: CustomerFieldsUpdate = {}): Promise<CustomerRow> {
  const data = definedFields(fields);
  const where = { appId_externalUserId: { appId, externalUserId } };
  for (let attempt = 0; ; attempt++) {
    try {
      return await deps.db.prisma.customer.upsert({ where, create: { appId, externalUserId, ...data }, update: data });
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 2) throw error;
    }
  }
}

export interface StripeCustomerSync {
  /** Queues the push of the profile to the linked Stripe customer, for the change recorded at `requestedAt`. */
  syncCustomerToStripe(customerId: string, requestedAt: Date): Promise<void>;
}

/**
 * PUT /customers/:externalUserId. A Stripe sync failure never fails the
 * database update, and is never lost: a linked customer is marked
 * (stripeSyncRequestedAt) in the database, the job clears the mark once Stripe
 * has the profile, and the worker's sweeper re-queues marks left behind (Redis
 * down, retries used up while Stripe was away).
 */
export async function upsertCustomer(
  deps: Deps & { stripeSync?: StripeCustomerSync },
  actor: AppActor,
  raw: { externalUserId: unknown; fields: unknown },
): Promise<CustomerView> {
  const externalUserId = parseInput(ExternalUserId, raw.externalUserId);
  const fields = parseInput(UpsertCustomerBody, raw.fields);
  const customer = await ensureCustomer(deps, actor.appId, externalUserId, fields);
  if (customer.stripeCustomerId) {
    const requestedAt = await markStripeSyncRequested(deps, customer.id);
    await deps.stripeSync?.syncCustomerToStripe(customer.id, requestedAt).catch((error: unknown) => {
      deps.log.warn({ err: error, customerId: customer.id }, 'Stripe customer sync could not be queued; the sweeper will queue it');
    });
  }
  return toCustomerView(customer);
}

/**
 * Marks the customer's profile as waiting for Stripe. Each change gets its own
 * mark, later than any mark still pending (even two changes in one
 * millisecond), so the job of an earlier change, which may have read the
 * earlier values, can never clear the mark of a later one.
 */
async function markStripeSyncRequested(deps: Pick<Deps, 'db' | 'clock'>, customerId: string): Promise<Date> {
  const [row] = await deps.db.prisma.$queryRaw<Array<{ requestedAt: Date }>>`
    UPDATE customers SET "stripeSyncRequestedAt" = GREATEST(${deps.clock.now()}::timestamptz, "stripeSyncRequestedAt" + interval '1 millisecond')
    WHERE id = ${customerId} RETURNING "stripeSyncRequestedAt" AS "requestedAt"`;
  if (!row) throw new Error(`customer ${customerId} vanished while marking its Stripe sync`);
  return row.requestedAt;
}

export async function findCustomer(deps: Pick<Deps, 'db'>, actor: AppActor, externalUserId: string): Promise<CustomerRow | null> {
  return deps.db.prisma.customer.findUnique({ where: { appId_externalUserId: { appId: actor.appId, externalUserId } } });
}
