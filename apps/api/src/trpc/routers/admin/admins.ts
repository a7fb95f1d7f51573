import { AdminIdInput, AdminView, CreateAdminInput, createAdmin, deactivateAdmin, listAdmins } from '@aquoris/core';
import { z } from 'zod';
import { router } from '../../init.ts';
import { adminMutation, adminProcedure } from './procedures.ts';

export const adminAdminsRouter = router({
  list: adminProcedure.output(z.array(AdminView)).query(({ ctx }) => listAdmins(ctx.deps)),
  create: adminMutation
    .input(CreateAdminInput)
    .output(AdminView)
    .mutation(({ ctx, input }) => createAdmin(ctx.deps, ctx.actor, input)),
  deactivate: adminMutation
    .input(AdminIdInput)
    .output(AdminView)
    .mutation(({ ctx, input }) => deactivateAdmin(ctx.deps, ctx.actor, input)),
});
