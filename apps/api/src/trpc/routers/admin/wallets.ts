import {
  AdjustWalletFormInput,
  AdminWalletInput,
  RefundDepositInput,
  RefundDepositResult,
  WalletChangeResult,
  WalletView,
  adjustWalletFromForm,
  getCustomerWallet,
  refundDeposit,
} from '@aquoris/core';
import { router } from '../../init.ts';
import { adminMutation, adminProcedure } from './procedures.ts';

/** The customer page's wallets: balances and history, "Adjust wallet" and "Refund deposit". */
export const adminWalletsRouter = router({
  get: adminProcedure
    .input(AdminWalletInput)
    .output(WalletView)
    .query(({ ctx, input }) => getCustomerWallet(ctx.deps, ctx.actor, input)),
  adjust: adminMutation
    .input(AdjustWalletFormInput)
    .output(WalletChangeResult)
    .mutation(({ ctx, input }) => adjustWalletFromForm(ctx.deps, ctx.actor, input)),
  refundDeposit: adminMutation
    .input(RefundDepositInput)
    .output(RefundDepositResult)
    .mutation(({ ctx, input }) => refundDeposit(ctx.deps, ctx.actor, input)),
});
