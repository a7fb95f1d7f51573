import { audit, customers, invoices, refunds, subscriptions, type CustomerRow, type Executor } from '@aquoris/db';
import { getAppBySlugOrThrow } from '../apps/service.ts';
import { toAuditViews } from '../audit/list.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { toRefundView } from '../refunds/service.ts';
import { toAdminSubscriptionView } from '../subscriptions/admin.ts';
import { parseInput } from '../validation.ts';
import {
  GetCustomerInput,
  SearchCustomersInput,
  type AdminCustomerView,
  type AdminInvoiceView,
  type CustomerDetail,
  type CustomerPage,
} from './admin-schemas.ts';

/** How many of a customer's subscriptions and audit entries the detail page shows. */
const DETAIL_LIMIT = 200;
const CURRENT: readonly string[] = subscriptions.CURRENT_STATUSES;

function toAdminCustomerView(c: CustomerRow & { appSlug: string }): AdminCustomerView {
  return {
    id: c.id,
    app: c.appSlug,
    externalUserId: c.externalUserId,
    email: c.email,
    name: c.name,
    stripeCustomerId: c.stripeCustomerId,
    createdAt: c.createdAt.toISOString(),
  };
}

/** "Search customers": prefix match on external user id, email or name, any case; newest first, a page at a time. */
export async function searchCustomers(deps: Pick<Deps, 'db'>, raw: SearchCustomersInput): Promise<CustomerPage> {
  const input = parseInput(SearchCustomersInput, raw);
  const appId = input.appSlug === undefined ? undefined : (await getAppBySlugOrThrow(deps, input.appSlug)).id;
  const rows = await customers.search(deps.db.kysely, { term: input.query, appId }, decodeCursor(input.cursor), input.limit + 1);
  const page = toPage(rows, input.limit);
  return { customers: page.rows.map(toAdminCustomerView), nextCursor: page.nextCursor };
}

export async function getCustomerOrThrow(deps: Pick<Deps, 'db'>, customerId: string) {
  const customer = await customers.findByIdWithApp(deps.db.kysely, customerId);
  if (!customer) throw new AppError('CUSTOMER_NOT_FOUND', 'Customer not found');
  return customer;
}

/** Every invoice of the customer, newest first, each with its refunds and what is left to refund. */
async function invoiceViewsOf(db: Executor, customerId: string): Promise<AdminInvoiceView[]> {
  const invoiceRows = await invoices.listAllForCustomer(db, customerId);
  const refundRows = await refunds.listForInvoices(
    db,
    invoiceRows.map((i) => i.id),
  );
  return invoiceRows.map((i) => {
    const own = refundRows.filter((r) => r.invoiceId === i.id);
    const taken = own.filter((r) => r.status === 'PENDING' || r.status === 'SUCCEEDED').reduce((sum, r) => sum + r.amount, 0);
    return {
      id: i.id,
      source: i.source,
      status: i.status,
      amount: i.amount,
      amountPaid: i.amountPaid,
      amountRefunded: i.amountRefunded,
      refundable: i.status === 'PAID' && i.source !== 'ISSUED' ? Math.max(0, i.amountPaid - taken) : 0,
      currency: i.currency,
      description: i.description,
      plan: i.planSlug,
      subscriptionId: i.subscriptionId,
      paymentMethod: i.paymentMethod,
      paymentReference: i.paymentReference,
      stripeInvoiceId: i.stripeInvoiceId,
      paidAt: i.paidAt?.toISOString() ?? null,
      dueAt: i.dueAt?.toISOString() ?? null,
      paymentFailureReason: i.paymentFailureReason,
      createdAt: i.createdAt.toISOString(),
      refunds: own.map(toRefundView),
    };
  });
}

/** The customer's invoices with their refunds (`invoices:list --customer`). */
export async function listCustomerInvoices(deps: Pick<Deps, 'db'>, raw: { customerId: string }): Promise<{ invoices: AdminInvoiceView[] }> {
  const { customerId } = parseInput(GetCustomerInput, raw);
  await getCustomerOrThrow(deps, customerId);
  return { invoices: await invoiceViewsOf(deps.db.kysely, customerId) };
}

/** A customer named by our id, or by its app's slug and the app's user id (what an operator has at hand on the CLI). */
export async function resolveCustomerId(
  deps: Pick<Deps, 'db'>,
  ref: { customerId?: string | undefined; appSlug?: string | undefined; externalUserId?: string | undefined },
): Promise<string> {
  if (ref.customerId !== undefined) return (await getCustomerOrThrow(deps, ref.customerId)).id;
  if (ref.appSlug === undefined || ref.externalUserId === undefined) {
    throw new AppError('VALIDATION_ERROR', 'Name the customer by its id, or by its app slug and external user id');
  }
  const app = await getAppBySlugOrThrow(deps, ref.appSlug);
  const customer = await customers.findByExternalUserId(deps.db.kysely, app.id, ref.externalUserId);
  if (!customer) throw new AppError('CUSTOMER_NOT_FOUND', `No customer "${ref.externalUserId}" in app ${app.slug}`);
  return customer.id;
}

/** A customer's page: profile and app, every subscription (current first), invoices with their refunds, and its audit entries. */
export async function getCustomerDetail(deps: Pick<Deps, 'db'>, raw: { customerId: string }): Promise<CustomerDetail> {
  const { customerId } = parseInput(GetCustomerInput, raw);
  const db = deps.db.kysely;
  const customer = await getCustomerOrThrow(deps, customerId);
  const [subs, invoiceViews] = await Promise.all([subscriptions.listFilteredPage(db, { customerId }, null, DETAIL_LIMIT), invoiceViewsOf(db, customerId)]);
  const targets = [
    { type: 'customer', id: customerId },
    ...subs.map((s) => ({ type: 'subscription', id: s.id })),
    ...invoiceViews.map((i) => ({ type: 'invoice', id: i.id })),
  ];
  const auditRows = await audit.listPage(db, { targets }, null, DETAIL_LIMIT);
  const ordered = [...subs.filter((s) => CURRENT.includes(s.status)), ...subs.filter((s) => !CURRENT.includes(s.status))];
  return {
    customer: { ...toAdminCustomerView(customer), appName: customer.appName },
    subscriptions: ordered.map(toAdminSubscriptionView),
    invoices: invoiceViews,
    audit: await toAuditViews(db, auditRows),
  };
}
