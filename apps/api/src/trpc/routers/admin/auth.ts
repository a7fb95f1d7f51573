import { AdminLoginInput, AppError, ChangeOwnPasswordInput, changeOwnPassword, loginAdmin, openAdminSession, signOutAdmin } from '@aquoris/core';
import { z } from 'zod';
import { clientIp } from '../../../http/pipeline.ts';
import { router, type TrpcContext } from '../../init.ts';
import { adminProcedure, adminSameSiteProcedure, adminSelfMutation, clearAdminCookie, setAdminCookie } from './procedures.ts';

const Me = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['ADMIN', 'VIEWER']),
  expiresAt: z.iso.datetime(),
});

/** Counts this sign-in attempt against the client address's shared per-minute limit (Redis); the one past it answers 429. */
async function limitLoginAttempts(ctx: TrpcContext): Promise<void> {
  const ip = clientIp(ctx.req.headers, ctx.req.socket.remoteAddress, ctx.admin.trustProxy);
  const decision = await ctx.admin.limiter.hit(`admin-login:${ip}`, ctx.admin.loginAttemptsPerMinute);
  if (decision.allowed) return;
  ctx.res.setHeader('Retry-After', String(decision.retryAfterSeconds));
  throw new AppError('RATE_LIMITED', `Too many sign-in attempts: try again in ${decision.retryAfterSeconds} seconds`, {
    details: { retryAfterSeconds: decision.retryAfterSeconds },
  });
}

export const adminAuthRouter = router({
  login: adminSameSiteProcedure
    .input(AdminLoginInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await limitLoginAttempts(ctx);
      setAdminCookie(ctx, await loginAdmin(ctx.deps, input));
      return { ok: true as const };
    }),

  /** Who is signed in (the console's session check). */
  me: adminProcedure.output(Me).query(({ ctx }) => ({
    id: ctx.actor.adminId,
    email: ctx.actor.email ?? '',
    name: ctx.session.name,
    role: ctx.session.role,
    expiresAt: ctx.session.expiresAt.toISOString(),
  })),

  /** Ends the session server-side (a viewer may sign out too). */
  signOut: adminSelfMutation.output(z.object({ ok: z.literal(true) })).mutation(async ({ ctx }) => {
    await signOutAdmin(ctx.deps, ctx.session);
    clearAdminCookie(ctx);
    return { ok: true as const };
  }),

  /** Own password, any role. Every session of the admin ends (a stolen cookie with it); the one who changed it gets a fresh session. */
  changePassword: adminSelfMutation
    .input(ChangeOwnPasswordInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await changeOwnPassword(ctx.deps, ctx.actor, input);
      setAdminCookie(ctx, await openAdminSession(ctx.deps, ctx.actor.adminId));
      return { ok: true as const };
    }),
});
