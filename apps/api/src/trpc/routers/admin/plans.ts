import {
  AdminCreatePlanInput,
  AdminPlanView,
  AdminUpdatePlanInput,
  createPlanAsAdmin,
  listPlansForAdmin,
  SetPlanActiveInput,
  setPlanActive,
  updatePlanAsAdmin,
} from '@aquoris/core';
import { z } from 'zod';
import { router } from '../../init.ts';
import { adminMutation, adminProcedure } from './procedures.ts';

export const adminPlansRouter = router({
  /** Every plan, inactive ones too. */
  list: adminProcedure.output(z.array(AdminPlanView)).query(({ ctx }) => listPlansForAdmin(ctx.deps)),
  create: adminMutation
    .input(AdminCreatePlanInput)
    .output(AdminPlanView)
    .mutation(({ ctx, input }) => createPlanAsAdmin(ctx.deps, ctx.actor, input)),
  update: adminMutation
    .input(AdminUpdatePlanInput)
    .output(AdminPlanView)
    .mutation(({ ctx, input }) => updatePlanAsAdmin(ctx.deps, ctx.actor, input)),
  setActive: adminMutation
    .input(SetPlanActiveInput)
    .output(AdminPlanView)
    .mutation(({ ctx, input }) => setPlanActive(ctx.deps, ctx.actor, input)),
});
