import {
  CreatedOperatorToken,
  CreateOperatorTokenInput,
  createOperatorToken,
  listOperatorTokens,
  OperatorTokenView,
  RevokeOperatorTokenInput,
  revokeOperatorToken,
} from '@aquoris/core';
import { z } from 'zod';
import { router } from '../../init.ts';
import { adminMutation, adminProcedure } from './procedures.ts';

/** The "API tokens" page: operator tokens for /api/v1/admin. Creating and revoking need the ADMIN role; each is audited. */
export const adminTokensRouter = router({
  list: adminProcedure.output(z.array(OperatorTokenView)).query(({ ctx }) => listOperatorTokens(ctx.deps)),
  /** The token itself is in this answer only. */
  create: adminMutation
    .input(CreateOperatorTokenInput)
    .output(CreatedOperatorToken)
    .mutation(({ ctx, input }) => createOperatorToken(ctx.deps, ctx.actor, input)),
  revoke: adminMutation
    .input(RevokeOperatorTokenInput)
    .output(OperatorTokenView)
    .mutation(({ ctx, input }) => revokeOperatorToken(ctx.deps, ctx.actor, input)),
});
