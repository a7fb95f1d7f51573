import { AuditPage, ListAuditInput, listAuditEntries } from '@aquoris/core';
import { router } from '../../init.ts';
import { adminProcedure } from './procedures.ts';

/** The Audit Log page. */
export const adminAuditRouter = router({
  list: adminProcedure
    .input(ListAuditInput)
    .output(AuditPage)
    .query(({ ctx, input }) => listAuditEntries(ctx.deps, input)),
});
