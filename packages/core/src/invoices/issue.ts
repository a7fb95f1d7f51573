import { invoices } from '@aquoris/db';
import type { OperatorActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import { getCustomerOrThrow } from '../customers/admin.ts';
import type { Deps } from '../deps.ts';
import { parseMajorUnits } from '../money.ts';
import { invalidField, parseInput } from '../validation.ts';
import { IssueInvoiceInput, type IssueInvoiceResult } from './schemas.ts';

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
  if (dueAt.getTime() < deps.clock.now().getTime()) throw invalidField('dueDate', 'the due date has passed; choose today or a later day');
  const customer = await getCustomerOrThrow(deps, input.customerId);
  return deps.db.transaction(async (tx) => {
    const invoice = await invoices.insert(tx, {
      appId: customer.appId,
      customerId: customer.id,
      source: 'ISSUED',
      status: 'OPEN',
      amount: parsed.minor,
      currency: input.currency,
      description: input.description,
      dueAt,
      createdAt: deps.clock.now(),
    });
    await recordAudit(tx, actor, {
      action: 'invoice.issued',
      targetType: 'invoice',
      targetId: invoice.id,
      details: { customerId: customer.id, amount: parsed.minor, currency: input.currency, description: input.description, dueAt: dueAt.toISOString() },
    });
    return { invoiceId: invoice.id, status: 'OPEN', amount: parsed.minor, currency: input.currency, description: input.description, dueAt: dueAt.toISOString() };
  });
}
