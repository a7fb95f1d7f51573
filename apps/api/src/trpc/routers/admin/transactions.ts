import { listAllAppTransactions, OperatorTransactionsQuery, TransactionPage } from '@aquoris/core';
import { router } from '../../init.ts';
import { adminProcedure } from './procedures.ts';

/** The console's all-apps Transactions view: the same list as GET /api/v1/admin/transactions. */
export const adminTransactionsRouter = router({
  list: adminProcedure
    .input(OperatorTransactionsQuery)
    .output(TransactionPage)
    .query(({ ctx, input }) => listAllAppTransactions(ctx.deps, input)),
});
