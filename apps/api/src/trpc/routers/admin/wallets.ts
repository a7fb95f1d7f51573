import {
  AdjustWalletInput,
  AdminWalletInput,
  RefundDepositInput,
  RefundDepositResult,
  WalletChangeResult,
  WalletView,
  adjustWallet,
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
    .input(AdjustWalletInput)
    .output(WalletChangeResult)
    .mutation(({ ctx, input }) => adjustWallet(ctx.deps, ctx.actor, input)),
  refundDeposit: adminMutation
    .input(RefundDepositInput)
    .output(RefundDepositResult)
    .mutation(({ ctx, input }) => refundDeposit(ctx.deps, ctx.actor, input)),
});
