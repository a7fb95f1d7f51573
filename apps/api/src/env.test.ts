import { describe, expect, it } from 'vitest';
import { EnvError, loadCliEnv, parseEnv, parseSeedEnv, readSecretFromEnv } from './env.ts';

const base = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/x',
  SESSION_SECRET: 's'.repeat(40),
  ADMIN_SESSION_SECRET: 'a'.repeat(40),
};
const production = {
  ...base,
  NODE_ENV: 'production',
  STRIPE_SECRET_KEY: 'sk_live_x',
  STRIPE_WEBHOOK_SECRET: 'whsec_x',
  STRIPE_CONFIG_ENCRYPTION_KEY: 'stripe-config-encryption-key-for-tests-0123',
};

function problemsOf(source: Record<string, string>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe('API_KEY_ENCRYPTION_SECRET', () => {
  it('is required in production', () => {
    expect(problemsOf(production)).toEqual(['API_KEY_ENCRYPTION_SECRET is required but missing (required in production)']);
  });

  it('must be independent of the session secrets in production', () => {
    expect(problemsOf({ ...production, API_KEY_ENCRYPTION_SECRET: base.ADMIN_SESSION_SECRET })).toEqual([
      'API_KEY_ENCRYPTION_SECRET must differ from ADMIN_SESSION_SECRET',
    ]);
    expect(problemsOf({ ...production, API_KEY_ENCRYPTION_SECRET: base.SESSION_SECRET })).toEqual([
      'API_KEY_ENCRYPTION_SECRET must differ from SESSION_SECRET',
    ]);
    const env = parseEnv({ ...production, API_KEY_ENCRYPTION_SECRET: 'k'.repeat(40) });
    expect(env.apiKeyEncryptionSecret).toBe('k'.repeat(40));
  });

  it('outside production defaults to a value derived from ADMIN_SESSION_SECRET, and an explicit one wins', () => {
    const derived = parseEnv(base).apiKeyEncryptionSecret;
    expect(derived).not.toBe(base.ADMIN_SESSION_SECRET);
    expect(derived).toContain(base.ADMIN_SESSION_SECRET);
    expect(parseEnv({ ...base, API_KEY_ENCRYPTION_SECRET: 'k'.repeat(40) }).apiKeyEncryptionSecret).toBe('k'.repeat(40));
  });
});

describe('the CLI and the seed read their variables through env.ts', () => {
  it('the operator for the audit log is USER, or "cli"; the statement timeout CLI_STATEMENT_TIMEOUT_MS, 10 minutes by default', () => {
    expect(loadCliEnv({ USER: 'ops' })).toEqual({ operator: 'ops', statementTimeoutMs: 600_000 });
    expect(loadCliEnv({ CLI_STATEMENT_TIMEOUT_MS: '30000' })).toEqual({ operator: 'cli', statementTimeoutMs: 30_000 });
    expect(() => loadCliEnv({ CLI_STATEMENT_TIMEOUT_MS: 'soon' })).toThrow(/CLI_STATEMENT_TIMEOUT_MS/);
  });

  it('the seed defaults its admin outside production only', () => {
    expect(parseSeedEnv({}, 'development')).toEqual({
      admin: { email: 'admin@aquoris.local', password: 'change-me-please', name: 'Aquoris Admin' },
      appSlug: 'demo',
      appReturnUrl: 'http://localhost:3000/',
    });
    expect(parseSeedEnv({}, 'production').admin).toBeNull();
    // The demo app returns to the start page (/) of this service, wherever it runs.
    expect(parseSeedEnv({}, 'development', 'http://127.0.0.1:4000').appReturnUrl).toBe('http://127.0.0.1:4000/');
    expect(parseSeedEnv({ SEED_ADMIN_EMAIL: 'a@b.c', SEED_ADMIN_PASSWORD: 'pw pw pw pw', SEED_APP_SLUG: 'vega' }, 'production')).toMatchObject({
      admin: { email: 'a@b.c', password: 'pw pw pw pw', name: 'Aquoris Admin' },
      appSlug: 'vega',
    });
  });

  it('a secret named by its variable is read and checked, never echoed', () => {
    expect(readSecretFromEnv('OLD', { OLD: 'o'.repeat(40) })).toBe('o'.repeat(40));
    expect(() => readSecretFromEnv('OLD', {})).toThrow('OLD is required but missing');
    expect(() => readSecretFromEnv('OLD', { OLD: 'short-value' })).toThrow(/^(?!.*short-value).*OLD must be at least 32 characters/s);
    expect(() => readSecretFromEnv('not a name', {})).toThrow('not an environment variable name');
  });
});

describe('error tracking and metrics', () => {
  const dsn = 'https://k@o1.ingest.example/1';

  it('is off without a DSN, and either DSN serves both sides, named after NODE_ENV unless told', () => {
    expect(parseEnv(base).sentry).toEqual({ dsn: undefined, browserDsn: undefined, environment: 'development' });
    expect(parseEnv({ ...base, NEXT_PUBLIC_SENTRY_DSN: dsn }).sentry).toEqual({ dsn, browserDsn: dsn, environment: 'development' });
    const both = parseEnv({ ...base, SENTRY_DSN: dsn, NEXT_PUBLIC_SENTRY_DSN: 'https://b@o1.ingest.example/2', NEXT_PUBLIC_SENTRY_ENVIRONMENT: 'staging' });
    expect(both.sentry).toEqual({ dsn, browserDsn: 'https://b@o1.ingest.example/2', environment: 'staging' });
    expect(parseEnv({ ...base, SENTRY_DSN: dsn, SENTRY_ENVIRONMENT: 'production', NEXT_PUBLIC_SENTRY_ENVIRONMENT: 'staging' }).sentry.environment).toBe(
      'production',
    );
  });

  it('refuses a DSN that is not a URL and a short metrics token, and keeps metrics off by default', () => {
    expect(problemsOf({ ...base, SENTRY_DSN: 'not a dsn' })).toEqual([expect.stringMatching(/^SENTRY_DSN /)]);
    expect(problemsOf({ ...base, METRICS_TOKEN: 'short' })).toEqual(['METRICS_TOKEN must be at least 16 characters']);
    expect(parseEnv(base).METRICS_PORT).toBeUndefined();
    expect(parseEnv({ ...base, METRICS_PORT: '9464' })).toMatchObject({ METRICS_PORT: 9464, METRICS_HOST: '127.0.0.1' });
  });
});
