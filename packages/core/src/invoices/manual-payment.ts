import { invoices, isUniqueViolation, locks, subscriptions, type InvoiceRow } from '@aquoris/db';
import { recordInvoiceRevenue } from '../metrics/record.ts';
import type { OperatorActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import { getCustomerOrThrow } from '../customers/admin.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { parseMajorUnits } from '../money.ts';
import { getPlanBySlugOrThrow } from '../plans/service.ts';
import { endFreeSubscriptions } from '../subscriptions/free.ts';
import { startOrExtendManualGrant } from '../subscriptions/service.ts';
import { invalidField, parseInput } from '../validation.ts';
import { PAYMENT_METHOD_LABELS, RecordPaymentInput, type RecordPaymentResult } from './schemas.ts';

async function replayOf(
  deps: Pick<Deps, 'db'>,
  existing: InvoiceRow,
  input: { customerId: string; amount: number; currency: string },
): Promise<RecordPaymentResult> {
  if (existing.customerId !== input.customerId || existing.amount !== input.amount || existing.currency !== input.currency || !existing.subscriptionId) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This form was already submitted with other values; reload it to record another payment');
  }
  const sub = await subscriptions.findById(deps.db.kysely, existing.subscriptionId);
  return {
    invoiceId: existing.id,
    subscriptionId: existing.subscriptionId,
    amount: existing.amount,
    currency: existing.currency,
    currentPeriodEnd: (sub?.currentPeriodEnd ?? existing.periodEnd ?? existing.createdAt).toISOString(),
    replayed: true,
  };
}

/**
 * "Record Payment": money received outside Stripe. In one transaction: an Invoice (source MANUAL,
 * status PAID) and a MANUAL subscription of the plan for the days paid, or the customer's current
 * manual one of that plan extended. The form's idempotency key is a unique key on the invoice, so
 * the same submission twice (a double click, a retry) records one payment and answers the first.
 */
export async function recordManualPayment(deps: Deps, actor: OperatorActor, raw: RecordPaymentInput): Promise<RecordPaymentResult> {
  const input = parseInput(RecordPaymentInput, raw);
  const parsed = parseMajorUnits(input.amount, input.currency);
  if (!parsed.ok) throw invalidField('amount', parsed.message);
  const amount = parsed.minor;
  const customer = await getCustomerOrThrow(deps, input.customerId);
  const plan = await getPlanBySlugOrThrow(deps, input.planSlug);
  const known = await invoices.findByIdempotencyKey(deps.db.kysely, input.idempotencyKey);
  if (known) return replayOf(deps, known, { customerId: customer.id, amount, currency: input.currency });
  const now = deps.clock.now();
  try {
    return await deps.db.transaction(async (tx) => {
      await locks.lockKey(tx, `manual:cust:${customer.id}`);
      const { subscription, extended, periodStart, periodEnd } = await startOrExtendManualGrant(tx, {
        appId: customer.appId,
        customerId: customer.id,
        planId: plan.id,
        now,
        days: input.days,
        resume: true,
      });
      const invoice = await invoices.insert(tx, {
        appId: customer.appId,
        customerId: customer.id,
        subscriptionId: subscription.id,
        source: 'MANUAL',
        status: 'PAID',
        amount,
        amountPaid: amount,
        currency: input.currency,
        description: `${plan.name}, ${input.days} days (${PAYMENT_METHOD_LABELS[input.paymentMethod]})`,
        paymentMethod: input.paymentMethod,
        paymentReference: input.reference,
        idempotencyKey: input.idempotencyKey,
        periodStart,
        periodEnd,
        paidAt: now,
      });
      await recordInvoiceRevenue(tx, invoice);
      if (plan.priceAmount > 0) await endFreeSubscriptions(tx, actor, customer.id, now);
      await recordAudit(tx, actor, {
        action: 'payment.recorded',
        targetType: 'invoice',
        targetId: invoice.id,
        details: {
          customerId: customer.id,
          subscriptionId: subscription.id,
          amount,
          currency: input.currency,
          paymentMethod: input.paymentMethod,
          reference: input.reference,
          plan: plan.slug,
          days: input.days,
          extended,
        },
      });
      return {
        invoiceId: invoice.id,
        subscriptionId: subscription.id,
        amount,
        currency: input.currency,
        currentPeriodEnd: subscription.currentPeriodEnd.toISOString(),
        replayed: false,
      };
    });
  } catch (error) {
    // A concurrent submission of the same form committed first: answer what it recorded.
    if (!isUniqueViolation(error)) throw error;
    const winner = await invoices.findByIdempotencyKey(deps.db.kysely, input.idempotencyKey);
    if (!winner) throw error;
    return replayOf(deps, winner, { customerId: customer.id, amount, currency: input.currency });
  }
}
