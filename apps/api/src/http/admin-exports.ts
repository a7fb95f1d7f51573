import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AppError,
  authenticateAdmin,
  exportInvoices,
  exportMrrMovements,
  exportSubscriptions,
  type CsvExport,
  type Deps,
  type ExportInvoicesInput,
  type ExportMovementsInput,
  type ExportSubscriptionsInput,
  type OperatorActor,
} from '@aquoris/core';
import { stringify } from 'csv-stringify';
import { parse as parseCookies } from 'cookie';
import { Router } from 'express';
import type { ApiDeps } from '../context.ts';
import { ADMIN_COOKIE } from '../trpc/routers/admin/procedures.ts';

type Exporter = (deps: Deps, actor: OperatorActor, query: unknown) => Promise<CsvExport>;

/** The exports by file name; each is one core service, which parses the query string with its schema. */
const EXPORTS: Record<string, Exporter> = {
  'subscriptions.csv': (deps, actor, query) => exportSubscriptions(deps, actor, query as ExportSubscriptionsInput),
  'invoices.csv': (deps, actor, query) => exportInvoices(deps, actor, query as ExportInvoicesInput),
  'mrr-movements.csv': (deps, actor, query) => exportMrrMovements(deps, actor, query as ExportMovementsInput),
};

/**
 * GET /admin/exports/<name>.csv: the admin console's CSV downloads. The admin session cookie authorises
 * it (UNAUTHORIZED otherwise), a cross-site request is refused, the query string is the export's input,
 * and the rows are streamed through csv-stringify with the socket's backpressure, a batch in memory at a time.
 */
export function createAdminExportsRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/admin/exports/:file', async (req, res) => {
    const exporter = Object.hasOwn(EXPORTS, req.params.file) ? EXPORTS[req.params.file] : undefined;
    if (!exporter) throw new AppError('NOT_FOUND', `No export named ${req.params.file}`);
    if (req.get('sec-fetch-site') === 'cross-site') throw new AppError('FORBIDDEN', 'Cross-site admin requests are refused');
    const admin = await authenticateAdmin(deps, parseCookies(req.headers.cookie ?? '')[ADMIN_COOKIE]);
    const csv = await exporter(deps, admin.actor, req.query);
    res
      .status(200)
      .set({
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${csv.filename}"`,
        'Cache-Control': 'no-store',
      })
      .flushHeaders();
    try {
      await pipeline(Readable.from(csv.rows), stringify({ header: true, columns: [...csv.columns], cast: { boolean: (b) => String(b) } }), res);
    } catch (error) {
      // Headers are sent: all that is left is to cut the download short (the client sees it incomplete) and log why.
      if (!res.destroyed) res.destroy();
      if ((error as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') req.ctx.log.error({ err: error, file: req.params.file }, 'export failed');
    }
  });
  return router;
}
