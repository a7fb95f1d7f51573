import { z } from 'zod';
import { SlugReference } from '../common/schemas.ts';
import { Month } from '../metrics/schemas.ts';
import { ListSubscriptionsInput } from '../subscriptions/admin-schemas.ts';

// The CSV exports (GET /admin/exports/<name>.csv): each input is the query string, each answer a stream of rows.

/** The Subscriptions list's filter: status, app and plan, each optional. */
export const ExportSubscriptionsInput = ListSubscriptionsInput.pick({ status: true, appSlug: true, planSlug: true });
export type ExportSubscriptionsInput = z.input<typeof ExportSubscriptionsInput>;

/** Invoices created from `from` to `to` (UTC days, both included), of one app or all. */
export const ExportInvoicesInput = z
  .strictObject({ from: z.iso.date(), to: z.iso.date(), appSlug: SlugReference.optional() })
  .refine((range) => range.from <= range.to, { message: 'must not be before from', path: ['to'] });
export type ExportInvoicesInput = z.input<typeof ExportInvoicesInput>;

/** One CSV: its file name, its header and its rows, read from the database a batch at a time as they are consumed. */
export interface CsvExport {
  filename: string;
  columns: readonly string[];
  rows: AsyncIterable<ReadonlyArray<string | number | boolean | null>>;
}

/** The MRR movements of the 12 months ending with `month` (the clock's month when absent), of one app or all. */
export const ExportMovementsInput = z.strictObject({ month: Month.optional(), appSlug: SlugReference.optional() });
export type ExportMovementsInput = z.input<typeof ExportMovementsInput>;
