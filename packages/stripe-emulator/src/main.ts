// CLI entry: `pnpm stripe:emulator [--reset]`. Configuration comes only from the environment (see README).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_WEBHOOK_SECRET, startStripeEmulator } from './emulator.ts';

const env = process.env;
const port = Number(env.STRIPE_EMULATOR_PORT ?? 12111);
const host = env.STRIPE_EMULATOR_HOST ?? '127.0.0.1';
const webhookUrl = env.STRIPE_EMULATOR_WEBHOOK_URL ?? 'http://127.0.0.1:3000/api/v1/webhooks/stripe';
const webhookSecret = env.STRIPE_WEBHOOK_SECRET ?? DEFAULT_WEBHOOK_SECRET;
// The state survives a restart, like Stripe's (the API's database does too): `.data/stripe-emulator` of the repo by default.
const defaultDataDir = fileURLToPath(new URL('../../../.data/stripe-emulator', import.meta.url));
const dataDirSetting = env.STRIPE_EMULATOR_DATA_DIR ?? defaultDataDir;
const dataDir = dataDirSetting === '' || dataDirSetting === 'none' ? undefined : resolve(dataDirSetting);
const reset = process.argv.slice(2).includes('--reset');

const emulator = await startStripeEmulator({
  port,
  host,
  publicUrl: env.STRIPE_EMULATOR_PUBLIC_URL,
  webhookUrl: webhookUrl === '' || webhookUrl === 'none' ? undefined : webhookUrl,
  webhookSecret,
  webhookRetryBaseMs: env.STRIPE_EMULATOR_WEBHOOK_RETRY_BASE_MS ? Number(env.STRIPE_EMULATOR_WEBHOOK_RETRY_BASE_MS) : undefined,
  webhookMaxAttempts: env.STRIPE_EMULATOR_WEBHOOK_MAX_ATTEMPTS ? Number(env.STRIPE_EMULATOR_WEBHOOK_MAX_ATTEMPTS) : undefined,
  log: (line) => console.log(`[stripe-emulator] ${new Date().toISOString()} ${line}`),
  dataDir,
  reset,
  logRequests: env.STRIPE_EMULATOR_LOG_REQUESTS !== 'false',
});

console.log(`[stripe-emulator] listening on ${emulator.url}`);
console.log(
  dataDir
    ? `[stripe-emulator] state in ${dataDir}${reset ? ' (reset: started empty)' : ''}; --reset starts empty`
    : '[stripe-emulator] state in memory only (STRIPE_EMULATOR_DATA_DIR=none)',
);
console.log(
  `[stripe-emulator] webhooks -> ${webhookUrl || '(none)'} signed with ${webhookSecret === DEFAULT_WEBHOOK_SECRET ? 'the default dev secret' : 'STRIPE_WEBHOOK_SECRET'}`,
);
console.log(
  `[stripe-emulator] client: new Stripe('sk_test_...', { host: '${host === '0.0.0.0' ? '127.0.0.1' : host}', port: ${emulator.port}, protocol: 'http' })`,
);

let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`[stripe-emulator] ${signal} received, shutting down`);
  emulator.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
