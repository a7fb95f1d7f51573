import { authenticateAdmin, isAppError } from '@aquoris/core';
import { parse as parseCookies } from 'cookie';
import type { RequestHandler } from 'express';
import type { ApiDeps } from '../context.ts';
import { ADMIN_COOKIE } from '../trpc/routers/admin/procedures.ts';

export const ADMIN_LOGIN_PATH = '/admin/login';

/**
 * The console's pages need a live admin session: without one, a page request is sent to /admin/login with
 * the page it asked for in `next`, where the login page returns after signing in. The login page itself is open.
 */
export function adminPageGuard(deps: ApiDeps): RequestHandler {
  return async (req, res, next) => {
    if (req.originalUrl.split('?')[0] === ADMIN_LOGIN_PATH) return next();
    try {
      await authenticateAdmin(deps, parseCookies(req.headers.cookie ?? '')[ADMIN_COOKIE]);
      next();
    } catch (error) {
      if (!isAppError(error) || error.code !== 'UNAUTHORIZED') throw error;
      res.set('Cache-Control', 'no-store').redirect(303, `${ADMIN_LOGIN_PATH}?next=${encodeURIComponent(req.originalUrl)}`);
    }
  };
}
