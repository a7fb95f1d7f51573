import type Stripe from 'stripe';
import { buildPortalSession, buildWebhookEndpoint } from '../builders/checkout.ts';
import type { Ctx } from '../core/context.ts';
import { invalidRequest } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { matchesCreated, paginate } from '../core/list.ts';
import { CREATED_PARAM, EXPAND_ONLY, LIST_PARAMS } from '../core/params.ts';
import type { ApiRoutes } from '../http/api-routes.ts';
import { assignChanged } from './changes.ts';

export function registerPortalRoutes(api: ApiRoutes, ctx: Ctx): void {
  const sessionCreate = { ...EXPAND_ONLY, customer: 'value', return_url: 'value' } as const;
  api.post('/v1/billing_portal/sessions', { stripe: 'BillingPortal.SessionCreateParams', params: sessionCreate }, ({ params }) => {
    const customer = ctx.store.customers.getOrThrow(params.requiredString('customer'), 'customer');
    const id = newId('bps');
    const session = buildPortalSession({
      id,
      now: ctx.clock.now(),
      customer: customer.id,
      returnUrl: params.string('return_url') ?? null,
      url: `${ctx.settings.baseUrl}/p/session/${id}`,
    });
    ctx.store.portalSessions.set(session);
    ctx.events.emit('billing_portal.session.created', session);
    return session;
  });
}

export function registerEventRoutes(api: ApiRoutes, ctx: Ctx): void {
  const { store } = ctx;

  api.get('/v1/events/:id', { stripe: 'EventRetrieveParams', params: EXPAND_ONLY }, ({ path }) => store.events.getOrThrow(path.id ?? ''));
  // `type` accepts a trailing wildcard (invoice.*), `types[]` a list of exact types.
  api.get('/v1/events', { stripe: 'EventListParams', params: { ...LIST_PARAMS, ...CREATED_PARAM, type: 'value', types: 'value' } }, ({ params }) => {
    const type = params.string('type');
    const types = params.strings('types');
    const matchesType = (t: string) =>
      (!type || (type.endsWith('*') ? t.startsWith(type.slice(0, -1)) : t === type)) && (types.length === 0 || types.includes(t));
    const items = store.events.newestFirst().filter((e) => matchesType(e.type) && matchesCreated(e.created, params));
    return paginate(items, params, '/v1/events');
  });

  const endpointFields = { ...EXPAND_ONLY, url: 'value', enabled_events: 'value', description: 'value', metadata: 'free' } as const;
  api.post('/v1/webhook_endpoints', { stripe: 'WebhookEndpointCreateParams', params: endpointFields }, ({ params }) => {
    const url = params.requiredString('url');
    if (!/^https?:\/\//.test(url)) throw invalidRequest('Invalid URL: URL must be publicly accessible or a local http(s) URL.', 'url', 'url_invalid');
    const enabledEvents = params.strings('enabled_events');
    if (enabledEvents.length === 0) throw invalidRequest('Missing required param: enabled_events.', 'enabled_events', 'parameter_missing');
    const endpoint = buildWebhookEndpoint({
      id: newId('we'),
      now: ctx.clock.now(),
      url,
      enabledEvents,
      description: params.nullableString('description') ?? null,
      metadata: params.metadata(),
    });
    const secret = newId('whsec');
    store.webhookEndpoints.set(endpoint);
    store.endpointSecrets.set(endpoint.id, secret);
    // The signing secret is only ever returned by the create call.
    return { ...endpoint, secret };
  });
  api.get('/v1/webhook_endpoints/:id', { stripe: 'WebhookEndpointRetrieveParams', params: EXPAND_ONLY }, ({ path }) =>
    store.webhookEndpoints.getOrThrow(path.id ?? ''),
  );
  api.post('/v1/webhook_endpoints/:id', { stripe: 'WebhookEndpointUpdateParams', params: { ...endpointFields, disabled: 'value' } }, ({ params, path }) => {
    const endpoint = store.webhookEndpoints.getOrThrow(path.id ?? '');
    const disabled = params.bool('disabled');
    const enabledEvents = params.strings('enabled_events');
    assignChanged(endpoint, {
      url: params.string('url'),
      enabled_events: enabledEvents.length > 0 ? enabledEvents : undefined,
      description: params.nullableString('description'),
      metadata: params.has('metadata') ? params.metadata(endpoint.metadata) : undefined,
      status: disabled === undefined ? undefined : disabled ? 'disabled' : 'enabled',
    });
    return endpoint;
  });
  api.delete('/v1/webhook_endpoints/:id', { stripe: 'WebhookEndpointDeleteParams', params: {} }, ({ path }) => {
    const endpoint = store.webhookEndpoints.getOrThrow(path.id ?? '');
    store.webhookEndpoints.delete(endpoint.id);
    store.endpointSecrets.delete(endpoint.id);
    return { id: endpoint.id, object: 'webhook_endpoint', deleted: true } satisfies Stripe.DeletedWebhookEndpoint;
  });
  api.get('/v1/webhook_endpoints', { stripe: 'WebhookEndpointListParams', params: LIST_PARAMS }, ({ params }) =>
    paginate(store.webhookEndpoints.newestFirst(), params, '/v1/webhook_endpoints'),
  );
}
