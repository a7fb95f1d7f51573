// @ts-check
// An app that sells one feature, "Reports", on the `pro` plan: it asks Aquoris Billing whether the
// signed-in user may use it, and sends them to the hosted billing pages to upgrade or manage their plan.
// Plain node:http so it runs with nothing but Node and the SDK: `node server.js` (see README.md).
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { AquorisBilling, AquorisBillingError, endsAt, hasPlan } from '@aquoris/billing-sdk';

const FEATURE_PLANS = ['pro'];

/** @param {string} title @param {string} body */
const page = (title, body) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · Example app</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;

/** @type {Record<string, string>} */
const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** @param {string} text */
const escape = (text) => text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

/**
 * The app's routes. A real app takes the user from its own login; this one from `?user=` (or the
 * `x-user-id` header), which is enough to show the flow.
 * @param {{ billing: AquorisBilling, publicUrl: string }} options
 */
export function createExampleServer({ billing, publicUrl }) {
  return createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', publicUrl);
    const header = req.headers['x-user-id'];
    const userId = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('user');
    /** @param {number} status @param {string} html @param {Record<string, string>} [headers] */
    const send = (status, html, headers = {}) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
      res.end(html);
    };
    try {
      if (!userId) return send(401, page('Sign in', '<p>Open this app as <a href="/?user=ada">/?user=ada</a>.</p>'));
      const user = encodeURIComponent(userId);
      if (req.method !== 'GET') return send(405, page('Not allowed', '<p>Only GET here.</p>'), { allow: 'GET' });

      if (url.pathname === '/') {
        const eligibility = await billing.customers.getSubscription(userId);
        const allowed = hasPlan(eligibility, FEATURE_PLANS, { allowPastDue: true });
        const ends = endsAt(eligibility);
        const plan = eligibility.base ? `${escape(eligibility.base.plan.name)} (${eligibility.base.status.toLowerCase()})` : 'none';
        return send(
          200,
          page(
            `Hello, ${escape(userId)}`,
            `<p>Your plan: ${plan}.${ends ? ` It ends on ${ends.toISOString().slice(0, 10)}.` : ''}</p>` +
              (allowed ? `<p><a href="/reports?user=${user}">Open Reports</a></p>` : `<p>Reports need PRO. <a href="/upgrade?user=${user}">Upgrade</a></p>`) +
              `<p><a href="/billing?user=${user}">Manage billing</a></p>`,
          ),
        );
      }
      if (url.pathname === '/reports') {
        const eligibility = await billing.customers.getSubscription(userId);
        if (!hasPlan(eligibility, FEATURE_PLANS, { allowPastDue: true })) {
          return send(402, page('Reports need PRO', `<p>Your plan does not include Reports. <a href="/upgrade?user=${user}">Upgrade to PRO</a></p>`));
        }
        return send(200, page('Reports', '<p>This month: 42 new customers.</p>'));
      }
      if (url.pathname === '/upgrade' || url.pathname === '/billing') {
        // A fresh, 15-minute link to the hosted pages; "Back to app" returns here.
        const upgrade = url.pathname === '/upgrade';
        const { url: sessionUrl } = await billing.sessions.create({
          externalUserId: userId,
          intent: upgrade ? 'upgrade' : 'manage',
          ...(upgrade ? { planSlug: FEATURE_PLANS[0] } : {}),
          returnUrl: `${publicUrl}/?user=${user}`,
        });
        return send(303, '', { location: sessionUrl });
      }
      return send(404, page('Not found', '<p>No such page.</p>'));
    } catch (error) {
      // Billing unreachable after the SDK's retries, or refused: fail closed, and say so.
      const detail = error instanceof AquorisBillingError ? `${error.code} (request ${error.requestId ?? 'unknown'})` : 'unexpected error';
      console.error('billing call failed:', error);
      return send(503, page('Billing is unavailable', `<p>Please try again in a minute. ${escape(detail)}</p>`));
    }
  });
}

// `node server.js`: configuration from the environment (the SDK reads AQUORIS_BILLING_API_KEY itself;
// the service defaults to the local demo here, not to the SDK's production default).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const port = Number(process.env.PORT ?? 4000);
  const publicUrl = process.env.EXAMPLE_PUBLIC_URL ?? `http://localhost:${port}`;
  const billing = new AquorisBilling({
    appSlug: process.env.AQUORIS_APP_SLUG ?? 'demo',
    baseUrl: process.env.AQUORIS_BILLING_BASE_URL ?? 'http://localhost:3000',
    cache: { ttlMs: 30_000 },
  });
  createExampleServer({ billing, publicUrl }).listen(port, () => console.log(`Example app on ${publicUrl}/?user=ada`));
}
