import { createAdmin, type AdminRoleName } from '@aquoris/core';
import { TEST_ACTOR, type TestApi } from './index.ts';

/** A tRPC answer as the console sees it: the status, the body's result or error data, and the Set-Cookie header. */
export interface AdminCallResult {
  status: number;
  data: any;
  error: { message: string; data: { appCode: string; httpStatus: number; fieldErrors?: Record<string, string>; retryAfterSeconds?: number } } | undefined;
  setCookie: string | null;
  headers: Headers;
}

export interface AdminCallOptions {
  cookie?: string | undefined;
  /** Defaults to the API's own origin; `null` sends none. */
  origin?: string | null;
  /** The x-aquoris-admin header (default on). */
  adminHeader?: boolean;
  headers?: Record<string, string>;
}

/** Calls an admin procedure over HTTP the way the console does: POST for mutations, GET for queries. */
export async function callAdmin(
  api: TestApi,
  kind: 'query' | 'mutation',
  path: string,
  input?: unknown,
  options: AdminCallOptions = {},
): Promise<AdminCallResult> {
  const headers = new Headers(options.headers);
  if (options.cookie) headers.set('cookie', options.cookie);
  const origin = options.origin === undefined ? api.baseUrl : options.origin;
  if (origin) headers.set('origin', origin);
  if (options.adminHeader !== false) headers.set('x-aquoris-admin', '1');
  let res: Response;
  if (kind === 'query') {
    const qs = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    res = await fetch(`${api.baseUrl}/trpc/${path}${qs}`, { headers });
  } else {
    headers.set('content-type', 'application/json');
    res = await fetch(`${api.baseUrl}/trpc/${path}`, { method: 'POST', headers, ...(input === undefined ? {} : { body: JSON.stringify(input) }) });
  }
  const body = (await res.json()) as any;
  return { status: res.status, data: body.result?.data, error: body.error, setCookie: res.headers.get('set-cookie'), headers: res.headers };
}

/** The admin cookie ("aqb_admin=…") from a Set-Cookie header. */
export function adminCookieOf(setCookie: string | null): string | undefined {
  return /aqb_admin=[^;]+/.exec(setCookie ?? '')?.[0];
}

export interface TestAdmin {
  id: string;
  email: string;
  password: string;
  cookie: string;
  query(path: string, input?: unknown, options?: AdminCallOptions): Promise<AdminCallResult>;
  mutate(path: string, input?: unknown, options?: AdminCallOptions): Promise<AdminCallResult>;
}

let counter = 0;

/** Creates an admin (core's createAdmin) and signs it in through admin.auth.login, keeping its cookie. */
export async function signedInAdmin(api: TestApi, options: { role?: AdminRoleName; email?: string; password?: string } = {}): Promise<TestAdmin> {
  const email = options.email ?? `admin${++counter}-${Date.now().toString(36)}@example.com`;
  const password = options.password ?? 'correct horse battery';
  const admin = await createAdmin(api.server.deps, TEST_ACTOR, { email, password, name: `Admin ${counter}`, role: options.role ?? 'ADMIN' });
  const login = await callAdmin(api, 'mutation', 'admin.auth.login', { email, password });
  const cookie = adminCookieOf(login.setCookie);
  if (login.status !== 200 || !cookie) throw new Error(`admin login: ${login.status} ${JSON.stringify(login.error)}`);
  const signedIn: TestAdmin = {
    id: admin.id,
    email,
    password,
    cookie,
    query: (path, input, o) => callAdmin(api, 'query', path, input, { cookie: signedIn.cookie, ...o }),
    mutate: (path, input, o) => callAdmin(api, 'mutation', path, input, { cookie: signedIn.cookie, ...o }),
  };
  return signedIn;
}
