import { existsSync } from 'node:fs';
import { DASHBOARD_STATS, type DashboardOptions, type DashboardStat } from '@aquoris/core';
import { z } from 'zod';

/** The only place that reads process.env. Invalid configuration stops the process at start-up, naming what is wrong. */

/** The Dashboard's test hook: DASHBOARD_TEST_DELAY_MS_<STAT> (MRR, ACTIVE, ..., MRR_SERIES) delays that one figure. */
const delayVariable = (stat: DashboardStat) => `DASHBOARD_TEST_DELAY_MS_${stat.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
const Delay = z.coerce.number().int().min(0).max(600_000);

const Secret = z.string().min(32, 'must be at least 32 characters');
const Bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgresql:// URL' }),
    SESSION_SECRET: Secret,
    ADMIN_SESSION_SECRET: Secret,
    STRIPE_SECRET_KEY: z
      .string()
      .regex(/^(sk|rk)_(test|live)_/, 'must start with sk_test_ or sk_live_')
      .optional(),
    STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_', 'must start with whsec_').optional(),
    STRIPE_API_BASE: z.url().optional(),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[a-zA-Z0-9:_-]{1,32}$/)
      .default('aqb'),
    // The request path's Redis client gives up on a command after this; then the in-memory limit takes over.
    REDIS_HOT_PATH_TIMEOUT_MS: z.coerce.number().int().min(10).max(10_000).default(500),
    // API instances sharing each app's rate limit: while Redis is down, each allows its share on its own.
    RATE_LIMIT_INSTANCES: z.coerce.number().int().min(1).max(1_000).default(1),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    NEXT_PUBLIC_APP_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:3000'),
    // Error tracking (docs/operations.md, "Error tracking"): off unless a DSN is set.
    SENTRY_DSN: z.url({ protocol: /^https?$/ }).optional(),
    SENTRY_ENVIRONMENT: z.string().max(64).optional(),
    SENTRY_RELEASE: z.string().min(1).max(200).optional(),
    NEXT_PUBLIC_SENTRY_DSN: z.url({ protocol: /^https?$/ }).optional(),
    NEXT_PUBLIC_SENTRY_ENVIRONMENT: z.string().max(64).optional(),
    // Prometheus metrics on their own port (off when unset), optionally behind a bearer token.
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    METRICS_HOST: z.string().default('127.0.0.1'),
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    ENABLE_DEV_TOOLS: Bool.default(false),
    // The demo app (created by the seed): in development, the start page at / shows its API key.
    SEED_APP_SLUG: z.string().default('demo'),
    API_KEY_ENCRYPTION_SECRET: Secret.optional(),
    // Apps' own Stripe keys (docs/stripe.md, "Per-app Stripe accounts"): AES-256-GCM under this key; the
    // previous one is kept during a rotation until `pnpm aqb stripe:config:reencrypt` has run.
    STRIPE_CONFIG_ENCRYPTION_KEY: Secret.optional(),
    STRIPE_CONFIG_ENCRYPTION_KEY_PREVIOUS: Secret.optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TRUST_PROXY: Bool.default(false),
    // Admin console sign-in attempts per minute per client address; unset: 5 in production, 50 elsewhere.
    ADMIN_LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    // A frozen or unreachable PostgreSQL answers 503 within these bounds (docs/operations.md#when-a-dependency-fails).
    DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(25_000),
    ELIGIBILITY_CACHE: Bool.default(true),
    ELIGIBILITY_CACHE_TTL_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(300_000),
    ELIGIBILITY_CACHE_MAX_ENTRIES: z.coerce.number().int().min(1).default(500_000),
    ELIGIBILITY_CACHE_WARM: Bool.default(true),
    // The BullMQ worker (webhook events, Stripe customer sync, expiry); see docs/stripe.md.
    WORKER_IN_PROCESS: Bool.default(true),
    /** With WORKER_IN_PROCESS, `pnpm start` runs the worker as its own child process (the default) rather than in the API's event loop. */
    WORKER_CHILD_PROCESS: Bool.default(true),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
    WORKER_RETRY_BASE_MS: z.coerce.number().int().min(1).default(1_000),
    WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(500).default(30_000),
    WEBHOOK_SWEEP_INTERVAL_MS: z.coerce.number().int().min(50).default(30_000),
    SUBSCRIPTION_EXPIRY_INTERVAL_MS: z.coerce.number().int().min(1_000).default(60_000),
    // Each Dashboard figure's server timeout (docs/metrics.md); tests shorten it.
    DASHBOARD_STAT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    for (const name of ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'API_KEY_ENCRYPTION_SECRET', 'STRIPE_CONFIG_ENCRYPTION_KEY'] as const) {
      if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required in production' });
    }
    // Independent secrets: rotating a session secret must never make the stored API keys undecryptable.
    for (const other of ['ADMIN_SESSION_SECRET', 'SESSION_SECRET'] as const) {
      if (env.API_KEY_ENCRYPTION_SECRET && env.API_KEY_ENCRYPTION_SECRET === env[other]) {
        ctx.addIssue({ code: 'custom', path: ['API_KEY_ENCRYPTION_SECRET'], message: `must differ from ${other}` });
      }
      if (env.STRIPE_CONFIG_ENCRYPTION_KEY && env.STRIPE_CONFIG_ENCRYPTION_KEY === env[other]) {
        ctx.addIssue({ code: 'custom', path: ['STRIPE_CONFIG_ENCRYPTION_KEY'], message: `must differ from ${other}` });
      }
    }
  });

/** Error tracking, resolved: the server's DSN, the web apps' DSN (each falls back on the other) and the environment name. */
export interface SentryConfig {
  dsn: string | undefined;
  browserDsn: string | undefined;
  environment: string;
  /** SENTRY_RELEASE: the release events and uploaded source maps are filed under (the image sets its git sha). */
  release: string | undefined;
}

export type Env = z.infer<typeof EnvSchema> & {
  publicUrl: string;
  apiKeyEncryptionSecret: string;
  stripeConfigEncryptionKey: string;
  adminLoginAttemptsPerMinute: number;
  dashboard: DashboardOptions;
  sentry: SentryConfig;
};

/** The Dashboard's timeout, and its test hook's delays: refused in production, where no figure is ever slowed on purpose. */
function dashboardOptions(source: Record<string, string | undefined>, env: z.infer<typeof EnvSchema>): DashboardOptions {
  const problems: string[] = [];
  const delays = DASHBOARD_STATS.flatMap((stat) => {
    const name = delayVariable(stat);
    const raw = source[name];
    if (raw === undefined || raw === '') return [];
    if (env.NODE_ENV === 'production') problems.push(`${name} is a test hook, refused in production`);
    const parsed = Delay.safeParse(raw);
    if (!parsed.success) problems.push(`${name} must be a whole number of milliseconds up to 600000`);
    return parsed.success ? [[stat, parsed.data] as const] : [];
  });
  if (problems.length) throw new EnvError(problems);
  return { timeoutMs: env.DASHBOARD_STAT_TIMEOUT_MS, ...(delays.length ? { testDelayMs: Object.fromEntries(delays) } : {}) };
}

/** The encryption secret outside production when none is set: derived from ADMIN_SESSION_SECRET (production requires its own). */
export function defaultApiKeyEncryptionSecret(adminSessionSecret: string): string {
  return `api-keys:${adminSessionSecret}`;
}

/** Outside production when STRIPE_CONFIG_ENCRYPTION_KEY is not set: derived from ADMIN_SESSION_SECRET (production requires its own). */
export function defaultStripeConfigEncryptionKey(adminSessionSecret: string): string {
  return `stripe-config:${adminSessionSecret}`;
}

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** Validates `source` with `schema`; on failure an EnvError naming each variable (never echoing a value). */
function parseWith<S extends z.ZodType>(schema: S, source: Record<string, string | undefined>): z.output<S> {
  // Empty strings (e.g. "FOO=" in a .env file) mean "unset".
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => {
        const name = issue.path.join('.');
        return cleaned[name] === undefined
          ? `${name} is required but missing${issue.message.includes('production') ? ' (required in production)' : ''}`
          : `${name} ${issue.message}`;
      }),
    );
  }
  return result.data;
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const env = parseWith(EnvSchema, source);
  return {
    ...env,
    publicUrl: env.NEXT_PUBLIC_APP_URL.replace(/\/+$/, ''),
    // Production requires its own (see the schema); elsewhere a missing one is derived, for an easy start.
    apiKeyEncryptionSecret: env.API_KEY_ENCRYPTION_SECRET ?? defaultApiKeyEncryptionSecret(env.ADMIN_SESSION_SECRET),
    stripeConfigEncryptionKey: env.STRIPE_CONFIG_ENCRYPTION_KEY ?? defaultStripeConfigEncryptionKey(env.ADMIN_SESSION_SECRET),
    adminLoginAttemptsPerMinute: env.ADMIN_LOGIN_RATE_LIMIT_PER_MINUTE ?? (env.NODE_ENV === 'production' ? 5 : 50),
    dashboard: dashboardOptions(source, env),
    sentry: {
      dsn: env.SENTRY_DSN ?? env.NEXT_PUBLIC_SENTRY_DSN,
      browserDsn: env.NEXT_PUBLIC_SENTRY_DSN ?? env.SENTRY_DSN,
      environment: env.SENTRY_ENVIRONMENT ?? env.NEXT_PUBLIC_SENTRY_ENVIRONMENT ?? env.NODE_ENV,
      release: env.SENTRY_RELEASE,
    },
  };
}

/** What the operator CLI reads besides Env: who runs it, for the audit log. */
const CliEnvSchema = z.object({
  USER: z.string().max(128).optional(),
  /** An operator's command may run long statements (metrics:rebuild reads and writes an app's rows at once). */
  CLI_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(600_000),
});

export function loadCliEnv(source: Record<string, string | undefined> = process.env): { operator: string; statementTimeoutMs: number } {
  const env = parseWith(CliEnvSchema, source);
  return { operator: env.USER ?? 'cli', statementTimeoutMs: env.CLI_STATEMENT_TIMEOUT_MS };
}

/** `pnpm db:seed`'s own variables; in production nothing is defaulted (no admin unless both are set). */
const SeedEnvSchema = z.object({
  SEED_ADMIN_EMAIL: z.string().optional(),
  SEED_ADMIN_PASSWORD: z.string().optional(),
  SEED_ADMIN_NAME: z.string().default('Aquoris Admin'),
  SEED_APP_SLUG: z.string().default('demo'),
  // Default: the start page at / of this service (NEXT_PUBLIC_APP_URL), a real page to come back to.
  SEED_APP_RETURN_URL: z.string().optional(),
});

export interface SeedEnv {
  admin: { email: string; password: string; name: string } | null;
  appSlug: string;
  appReturnUrl: string;
}

export function parseSeedEnv(source: Record<string, string | undefined>, nodeEnv: Env['NODE_ENV'], publicUrl = 'http://localhost:3000'): SeedEnv {
  const seed = parseWith(SeedEnvSchema, source);
  const dev = nodeEnv !== 'production';
  const email = seed.SEED_ADMIN_EMAIL ?? (dev ? 'admin@aquoris.local' : undefined);
  const password = seed.SEED_ADMIN_PASSWORD ?? (dev ? 'change-me-please' : undefined);
  return {
    admin: email && password ? { email, password, name: seed.SEED_ADMIN_NAME } : null,
    appSlug: seed.SEED_APP_SLUG,
    appReturnUrl: seed.SEED_APP_RETURN_URL ?? `${publicUrl}/`,
  };
}

export function loadSeedEnv(nodeEnv: Env['NODE_ENV'], publicUrl?: string): SeedEnv {
  return parseSeedEnv(process.env, nodeEnv, publicUrl);
}

/**
 * A secret handed to a one-off command by naming the variable that holds it (`--from-secret-env OLD`),
 * so the value never appears in the command line or the shell history. Same rules as the other secrets.
 */
export function readSecretFromEnv(name: string, source: Record<string, string | undefined> = process.env): string {
  if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new EnvError([`${name} is not an environment variable name`]);
  const value = source[name];
  if (!value) throw new EnvError([`${name} is required but missing`]);
  return parseSecret(name, value);
}

/** A secret from elsewhere (stdin), held to the rules of the ones in the environment; `label` names it in the error. */
export function parseSecret(label: string, value: string): string {
  const result = Secret.safeParse(value);
  if (!result.success) throw new EnvError([`${label} ${result.error.issues[0]?.message ?? 'is not valid'}`]);
  return result.data;
}

/** Loads ./.env (if present) without overriding variables already set: for the dev entry points. */
export function loadDotEnv(path = '.env'): void {
  if (!existsSync(path)) return;
  const existing = new Set(Object.keys(process.env));
  const before = { ...process.env };
  process.loadEnvFile(path);
  for (const name of existing) process.env[name] = before[name];
}

export function loadEnv(): Env {
  return parseEnv(process.env);
}

/** For the long-running entry points: ./.env, then the environment, validated; on a problem, say what and exit 1. */
export function loadEnvOrExit(program: string): Env {
  try {
    loadDotEnv();
    return loadEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${program}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
