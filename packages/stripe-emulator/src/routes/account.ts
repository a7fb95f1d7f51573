import type Stripe from 'stripe';
import type { Ctx } from '../core/context.ts';
import { EXPAND_ONLY } from '../core/params.ts';
import type { ApiRoutes } from '../http/api-routes.ts';

/** GET /v1/account: the account the key belongs to (what a key check such as stripe.accounts.retrieveCurrent() reads). */
export function registerAccountRoutes(api: ApiRoutes, ctx: Ctx): void {
  api.get('/v1/account', { stripe: 'AccountRetrieveCurrentParams', params: EXPAND_ONLY }, () => accountObject(ctx));
}

function accountObject(ctx: Ctx): Stripe.Account {
  return {
    id: ctx.settings.accountId,
    object: 'account',
    business_profile: null,
    business_type: null,
    charges_enabled: true,
    country: 'US',
    created: 1_700_000_000,
    default_currency: 'usd',
    details_submitted: true,
    email: null,
    metadata: {},
    payouts_enabled: true,
    type: 'standard',
  } as unknown as Stripe.Account;
}
