import { invoices, isUniqueViolation, type InvoiceRow } from '@aquoris/db';
import type { OperatorActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import { getCustomerOrThrow } from '../customers/admin.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { parseMajorUnits, type Currency } from '../money.ts';
import { invalidField, parseInput } from '../validation.ts';
import { IssueInvoiceInput, type IssueInvoiceResult } from './schemas.ts';

const resultOf = (invoice: InvoiceRow): IssueInvoiceResult => ({
  invoiceId: invoice.id,
  status: 'OPEN',
  amount: invoice.amount,
  currency: invoice.currency as Currency,
  description: invoice.description ?? '',
  dueAt: invoice.dueAt!.toISOString(),
});

/** The invoice a form's key issued already, when the same submission arrives again. */
function replayOf(existing: InvoiceRow, customerId: string, amount: number): IssueInvoiceResult {
  if (existing.source !== 'ISSUED' || existing.customerId !== customerId || existing.amount !== amount) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This form was already submitted with other values; reload it to issue another invoice');
  }
  return resultOf(existing);
}

/**
 * "Issue invoice": an operator bills a customer an amount (source ISSUED, status OPEN, due at the end of the
 * due date, UTC). The customer pays it through a payment intent ("Pay now"); payment_intent.succeeded marks it
 * PAID. One audit entry.
 */
export async function issueInvoice(deps: Deps, actor: OperatorActor, raw: IssueInvoiceInput): Promise<IssueInvoiceResult> {
  const input = parseInput(IssueInvoiceInput, raw);
  const parsed = parseMajorUnits(input.amount, input.currency);
  if (!parsed.ok) throw invalidField('amount', parsed.message);
  const dueAt = new Date(`${input.dueDate}T23:59:59.999Z`);
  if (dueAt.getTime() < deps.clock.now().getTime()) throw invalidField('dueDate', 'has passed; choose today or a later day');
  const customer = await getCustomerOrThrow(deps, input.customerId);
  const key = input.idempotencyKey;
  const known = key ? await invoices.findByIdempotencyKey(deps.db.kysely, key) : undefined;
  if (known) return replayOf(known, customer.id, parsed.minor);
  try {
    return await issueInTx(deps, actor, { ...input, customerId: customer.id, appId: customer.appId, amount: parsed.minor, dueAt });
  } catch (error) {
    // A concurrent submission of the same form committed first: answer what it issued.
    const winner = key && isUniqueViolation(error) ? await invoices.findByIdempotencyKey(deps.db.kysely, key) : undefined;
    if (!winner) throw error;
    return replayOf(winner, customer.id, parsed.minor);
  }
}

async function issueInTx(
  deps: Deps,
  actor: OperatorActor,
  input: { appId: string; customerId: string; amount: number; currency: Currency; description: string; dueAt: Date; idempotencyKey?: string | undefined },
): Promise<IssueInvoiceResult> {
  return deps.db.transaction(async (tx) => {
    const invoice = await invoices.insert(tx, {
      appId: input.appId,
      customerId: input.customerId,
      source: 'ISSUED',
      status: 'OPEN',
      amount: input.amount,
      currency: input.currency,
      description: input.description,
      dueAt: input.dueAt,
      idempotencyKey: input.idempotencyKey ?? null,
      createdAt: deps.clock.now(),
    });
    await recordAudit(tx, actor, {
      action: 'invoice.issued',
      targetType: 'invoice',
      targetId: invoice.id,
      details: {
        customerId: input.customerId,
        amount: input.amount,
        currency: input.currency,
        description: input.description,
        dueAt: input.dueAt.toISOString(),
      },
    });
    return resultOf(invoice);
  });
}
