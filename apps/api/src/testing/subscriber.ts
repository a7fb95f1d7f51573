import type { TestApi } from './index.ts';

/** A tRPC failure as the client sees it: the AppError code and the HTTP status. */
export class TrpcCallError extends Error {
  constructor(
    readonly appCode: string,
    readonly httpStatus: number,
    message: string,
    /** The words for a subscriber the API sent (`data.userMessage`), if any. */
    readonly userMessage?: string,
  ) {
    super(`${appCode} (${httpStatus}): ${message}`);
  }
}

export interface Subscriber {
  customerId: string;
  externalUserId: string;
  cookie: string;
  query<T = any>(path: string, input?: unknown): Promise<T>;
  mutate<T = any>(path: string, input?: unknown): Promise<T>;
  /** GET /api/v1/customers/:id/subscription with the app's key (what client apps see). */
  eligibility(): Promise<any>;
}

async function unwrap(res: Response): Promise<any> {
  const body = (await res.json()) as any;
  if (body.error)
    throw new TrpcCallError(
      body.error.data?.appCode ?? body.error.data?.code,
      body.error.data?.httpStatus ?? res.status,
      body.error.message,
      body.error.data?.userMessage,
    );
  return body.result.data;
}

/** Opens a billing session the way a client app does (POST /sessions, then the link) and keeps the cookie. */
export async function openSubscriber(
  api: TestApi,
  app: { apiKey: string; slug: string },
  externalUserId: string,
  user?: { email?: string; name?: string },
): Promise<Subscriber> {
  const created = await api.request('/api/v1/sessions', {
    method: 'POST',
    apiKey: app.apiKey,
    json: { externalUserId, appSlug: app.slug, ...(user ? { user } : {}) },
  });
  if (created.status !== 200) throw new Error(`session: ${created.status} ${await created.text()}`);
  const { url } = (await created.json()) as { url: string };
  const opened = await fetch(url, { redirect: 'manual' });
  const cookie = /aqb_session=[^;]+/.exec(opened.headers.get('set-cookie') ?? '')?.[0];
  if (!cookie) throw new Error('no subscriber cookie');
  const customer = await api.prisma.customer.findFirstOrThrow({ where: { externalUserId, app: { slug: app.slug } } });
  return {
    customerId: customer.id,
    externalUserId,
    cookie,
    async query(path, input) {
      const qs = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
      return unwrap(await fetch(`${api.baseUrl}/trpc/${path}${qs}`, { headers: { cookie } }));
    },
    async mutate(path, input) {
      return unwrap(
        await fetch(`${api.baseUrl}/trpc/${path}`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json' },
          body: JSON.stringify(input ?? {}),
        }),
      );
    },
    async eligibility() {
      // Read-your-writes for tests that changed state in this process a moment ago: wait until the
      // API's eligibility cache has seen every commit made so far (the notification round trip).
      await api.server.eligibilityCache.sync();
      const res = await api.request(`/api/v1/customers/${encodeURIComponent(externalUserId)}/subscription`, { apiKey: app.apiKey });
      return res.json();
    },
  };
}
