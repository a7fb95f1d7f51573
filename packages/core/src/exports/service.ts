import { invoices, subscriptions, type Keyset } from '@aquoris/db';
import type { OperatorActor } from '../actors.ts';
import { getAppBySlugOrThrow } from '../apps/service.ts';
import { recordAudit } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import { resolveSubscriptionFilter, toAdminSubscriptionView } from '../subscriptions/admin.ts';
import { parseInput } from '../validation.ts';
import { ExportInvoicesInput, ExportSubscriptionsInput, type CsvExport } from './schemas.ts';

/** Rows per database round trip: memory stays at one batch whatever the export's size. */
export const EXPORT_BATCH_SIZE = 10_000;

/** Every row `fetchPage` gives, page after page on the (createdAt, id) keyset: one batch in memory at a time, no connection held between batches. */
export async function* keysetRows<R extends Keyset>(fetchPage: (after: Keyset | null, limit: number) => Promise<R[]>): AsyncGenerator<R> {
  let after: Keyset | null = null;
  for (;;) {
    const rows = await fetchPage(after, EXPORT_BATCH_SIZE);
    yield* rows;
    const last = rows.at(-1);
    if (!last || rows.length < EXPORT_BATCH_SIZE) return;
    after = { createdAt: last.createdAt, id: last.id };
  }
}

/** "subscriptions-app-3-2026-12-04.csv" from its parts (absent filters left out): letters, digits, dots, dashes and underscores only. */
export const exportFilename = (parts: ReadonlyArray<string | undefined>) =>
  `${parts
    .filter((part) => part !== undefined)
    .map((part) => part.replace(/[^A-Za-z0-9._-]+/g, '_'))
    .join('-')}.csv`;
const iso = (d: Date | null) => d?.toISOString() ?? null;

const SUBSCRIPTION_COLUMNS = [
  'id',
  'app',
  'customerId',
  'externalUserId',
  'customerEmail',
  'plan',
  'status',
  'source',
  'kind',
  'currentPeriodStart',
  'currentPeriodEnd',
  'trialEnd',
  'cancelAtPeriodEnd',
  'canceledAt',
  'endedAt',
  'stripeSubscriptionId',
  'createdAt',
] as const;

/** The Subscriptions list's filter as a CSV, newest first; writes one audit entry (the filter) before the first row. */
export async function exportSubscriptions(deps: Pick<Deps, 'db' | 'clock'>, actor: OperatorActor, raw: ExportSubscriptionsInput): Promise<CsvExport> {
  const input = parseInput(ExportSubscriptionsInput, raw);
  const filter = await resolveSubscriptionFilter(deps, input);
  await recordAudit(deps.db.kysely, actor, { action: 'subscriptions.exported', details: { filter: input } });
  async function* rows() {
    for await (const row of keysetRows((after, limit) => subscriptions.listFilteredPage(deps.db.kysely, filter, after, limit))) {
      const view = toAdminSubscriptionView(row);
      yield [
        view.id,
        view.app,
        view.customer.id,
        view.customer.externalUserId,
        view.customer.email,
        view.plan.slug,
        view.status,
        view.source,
        view.kind,
        view.currentPeriodStart,
        view.currentPeriodEnd,
        view.trialEnd,
        view.cancelAtPeriodEnd,
        view.canceledAt,
        view.endedAt,
        view.stripeSubscriptionId,
        view.createdAt,
      ];
    }
  }
  return {
    filename: exportFilename(['subscriptions', input.appSlug, input.planSlug, input.status, deps.clock.now().toISOString().slice(0, 10)]),
    columns: SUBSCRIPTION_COLUMNS,
    rows: rows(),
  };
}

const INVOICE_COLUMNS = [
  'id',
  'app',
  'customerId',
  'externalUserId',
  'customerEmail',
  'subscriptionId',
  'source',
  'status',
  'currency',
  'amount',
  'amountPaid',
  'amountRefunded',
  'description',
  'paymentMethod',
  'paymentReference',
  'stripeInvoiceId',
  'periodStart',
  'periodEnd',
  'paidAt',
  'createdAt',
] as const;

/** Invoices created in the date range (UTC days, both included), oldest first; amounts in minor units. One audit entry. */
export async function exportInvoices(deps: Pick<Deps, 'db' | 'clock'>, actor: OperatorActor, raw: ExportInvoicesInput): Promise<CsvExport> {
  const input = parseInput(ExportInvoicesInput, raw);
  const app = input.appSlug === undefined ? undefined : await getAppBySlugOrThrow(deps, input.appSlug);
  const range = { from: new Date(`${input.from}T00:00:00Z`), to: new Date(Date.parse(`${input.to}T00:00:00Z`) + 86_400_000), appId: app?.id };
  await recordAudit(deps.db.kysely, actor, { action: 'invoices.exported', details: { filter: input } });
  async function* rows() {
    for await (const row of keysetRows((after, limit) => invoices.listCreatedBetweenPage(deps.db.kysely, range, after, limit))) {
      yield [
        row.id,
        row.appSlug,
        row.customerId,
        row.externalUserId,
        row.customerEmail,
        row.subscriptionId,
        row.source,
        row.status,
        row.currency,
        row.amount,
        row.amountPaid,
        row.amountRefunded,
        row.description,
        row.paymentMethod,
        row.paymentReference,
        row.stripeInvoiceId,
        iso(row.periodStart),
        iso(row.periodEnd),
        iso(row.paidAt),
        row.createdAt.toISOString(),
      ];
    }
  }
  return { filename: exportFilename(['invoices', input.appSlug, input.from, 'to', input.to]), columns: INVOICE_COLUMNS, rows: rows() };
}
