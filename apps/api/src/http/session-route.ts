import { isAppError, openSubscriberSession } from '@aquoris/core';
import { Router, type ErrorRequestHandler, type Response } from 'express';
import type { ApiDeps } from '../context.ts';
import { renderMessagePage } from './pages.ts';

export const SUBSCRIBER_COOKIE = 'aqb_session';

/** Secure when the public URL is https (or the request arrived over TLS). */
export function cookieOptions(deps: Pick<ApiDeps, 'config'>, secureRequest: boolean, maxAgeSeconds: number) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const, // must survive the top-level redirect back from Stripe Checkout
    secure: deps.config.publicUrl.startsWith('https://') || secureRequest,
    path: '/',
    maxAge: maxAgeSeconds * 1000,
  };
}

function sendSessionError(res: Response, details: Record<string, unknown> | undefined): void {
  const expired = details?.reason === 'expired';
  // Known only when the link's signature checked out: then the page offers the way back to that app.
  const back =
    typeof details?.returnUrl === 'string'
      ? { href: details.returnUrl, label: `Back to ${typeof details.appName === 'string' ? details.appName : 'the app'}` }
      : undefined;
  res
    .status(expired ? 410 : 401)
    .set('Cache-Control', 'no-store')
    .type('html')
    .send(
      renderMessagePage({
        title: expired ? 'This billing link has expired' : 'This billing link is not valid',
        body: expired
          ? 'Billing links work for 15 minutes. Go back to the app and open billing again to get a fresh link.'
          : 'The link may be incomplete or damaged. Go back to the app and open billing again.',
        link: back,
      }),
    );
}

/** GET /session/<token>: verify the link, set the subscriber cookie, land on the right page. */
export function createSessionRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/session/:token', async (req, res) => {
    try {
      const session = await openSubscriberSession(deps, req.params.token);
      res
        .cookie(SUBSCRIBER_COOKIE, session.cookieValue, cookieOptions(deps, req.secure, session.maxAgeSeconds))
        .set('Cache-Control', 'no-store')
        .redirect(303, session.redirectTo);
    } catch (error) {
      if (!isAppError(error) || !error.isClientError) throw error;
      sendSessionError(res, error.details);
    }
  });
  // A token that is not even valid percent-encoding ("%E0%A4%A") fails in the router, before the route: the same page.
  const badLink: ErrorRequestHandler = (error, req, res, next) => {
    if (error instanceof URIError && req.path.startsWith('/session/')) sendSessionError(res, { reason: 'invalid' });
    else next(error);
  };
  router.use(badLink);
  return router;
}
