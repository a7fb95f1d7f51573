import type { OperatorActor } from '../actors.ts';
import { getAppBySlugOrThrow } from '../apps/service.ts';
import { recordAudit } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import { addMonths, monthOf, monthStartOf } from '../metrics/periods.ts';
import { getMrrMovements } from '../metrics/service.ts';
import { parseInput } from '../validation.ts';
import { ExportMovementsInput, type CsvExport } from './schemas.ts';
import { exportFilename } from './service.ts';

const MOVEMENT_COLUMNS = ['month', 'currency', 'starting', 'new', 'expansion', 'contraction', 'churned', 'reactivation', 'ending'] as const;
const MONTHS = 12;

/**
 * The MRR movements of the 12 months ending with the selected one (oldest first), a row per month and
 * currency, amounts in minor units: each month read from the rollups by the Dashboard's own figure. One audit entry.
 */
export async function exportMrrMovements(deps: Pick<Deps, 'db' | 'clock'>, actor: OperatorActor, raw: ExportMovementsInput): Promise<CsvExport> {
  const input = parseInput(ExportMovementsInput, raw);
  const appId = input.appSlug === undefined ? undefined : (await getAppBySlugOrThrow(deps, input.appSlug)).id;
  const last = input.month ?? monthOf(deps.clock.now());
  await recordAudit(deps.db.kysely, actor, { action: 'mrr_movements.exported', details: { filter: input } });
  async function* rows() {
    for (let i = MONTHS - 1; i >= 0; i--) {
      const month = monthOf(addMonths(monthStartOf(last), -i));
      const { movements } = await getMrrMovements(deps, { month, ...(appId === undefined ? {} : { appId }) });
      for (const m of movements) yield [month, m.currency, m.starting, m.new, m.expansion, m.contraction, m.churned, m.reactivation, m.ending];
    }
  }
  const first = monthOf(addMonths(monthStartOf(last), 1 - MONTHS));
  return { filename: exportFilename(['mrr-movements', input.appSlug, first, 'to', last]), columns: MOVEMENT_COLUMNS, rows: rows() };
}
