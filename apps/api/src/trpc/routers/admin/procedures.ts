import { AppError, assertCanMutate, authenticateAdmin, type AdminSessionCookie } from '@aquoris/core';
import { cookieOptions } from '../../../http/session-route.ts';
import { publicProcedure, type TrpcContext } from '../../init.ts';

/** The admin console's session cookie (its own name: the subscriber cookie never opens it). */
export const ADMIN_COOKIE = 'aqb_admin';
/** Every admin mutation must carry this header with value "1": a cross-site form cannot send it, and a cross-site fetch would need a CORS preflight we never grant. */
export const ADMIN_REQUEST_HEADER = 'x-aquoris-admin';

export function setAdminCookie(ctx: TrpcContext, session: AdminSessionCookie): void {
  ctx.res.cookie(ADMIN_COOKIE, session.cookieValue, cookieOptions(ctx.deps, ctx.req.secure, session.maxAgeSeconds));
}

export function clearAdminCookie(ctx: TrpcContext): void {
  // Express 5 ignores maxAge here and sends an expired cookie with the same attributes.
  ctx.res.clearCookie(ADMIN_COOKIE, cookieOptions(ctx.deps, ctx.req.secure, 0));
}

/** The origins a console page may be served from: the public URL's, and this request's own host (a direct or proxied dev set-up). */
function allowedOrigins(ctx: TrpcContext): Set<string> {
  const origins = new Set([new URL(ctx.deps.config.publicUrl).origin]);
  const host = ctx.req.get('host');
  if (host) origins.add(`${ctx.req.protocol}://${host}`);
  return origins;
}

/**
 * Refuses cross-site requests (FORBIDDEN): the Origin header must name this service and the custom header
 * must be present. Browsers send Origin on every POST; a missing one is refused too.
 */
export function assertSameSiteRequest(ctx: TrpcContext): void {
  if (ctx.req.get(ADMIN_REQUEST_HEADER) !== '1') throw new AppError('FORBIDDEN', `Admin changes need the ${ADMIN_REQUEST_HEADER} header`);
  const origin = ctx.req.get('origin');
  if (!origin || !allowedOrigins(ctx).has(origin)) throw new AppError('FORBIDDEN', 'Cross-site admin requests are refused');
  if (ctx.req.get('sec-fetch-site') === 'cross-site') throw new AppError('FORBIDDEN', 'Cross-site admin requests are refused');
}

/** Sign-in: a public mutation, still refused cross-site. */
export const adminSameSiteProcedure = publicProcedure.use(({ ctx, next }) => {
  assertSameSiteRequest(ctx);
  return next();
});

/**
 * Every admin procedure: a live admin session from the admin cookie, else UNAUTHORIZED. The subscriber
 * cookie and app API keys are not read here at all, so they get the same 401.
 */
export const adminProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const admin = await authenticateAdmin(ctx.deps, ctx.cookies[ADMIN_COOKIE]);
  return next({ ctx: { ...ctx, session: admin, actor: admin.actor } });
});

/** Changes to one's own session or password: same-site (FORBIDDEN otherwise), any role, so a VIEWER can sign out and rotate its password. */
export const adminSelfMutation = adminProcedure.use(({ ctx, next }) => {
  assertSameSiteRequest(ctx);
  return next();
});

/** Admin changes: also same-site (FORBIDDEN otherwise) and an ADMIN role (a VIEWER gets FORBIDDEN). */
export const adminMutation = adminProcedure.use(({ ctx, next }) => {
  assertSameSiteRequest(ctx);
  assertCanMutate(ctx.session);
  return next();
});
