/**
 * The local Stripe emulator as a child process of `pnpm dev` / `pnpm demo`:
 * on the port of STRIPE_API_BASE, delivering webhooks to this API, signed with
 * the STRIPE_WEBHOOK_SECRET of .env (the API verifies with the same value).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

async function isUp(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

export async function waitForHttp(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await isUp(url))) {
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Starts the emulator when STRIPE_API_BASE points at one; null when real Stripe is used or one is already running.
 * Its state is kept under `.data/stripe-emulator/` (STRIPE_EMULATOR_DATA_DIR), like the database's, so a restart
 * keeps both in step; `reset` empties it (of an emulator already running too).
 */
export async function startStripeEmulatorProcess(apiPort: string, options: { reset?: boolean } = {}): Promise<ChildProcess | null> {
  const apiBase = process.env.STRIPE_API_BASE;
  if (!apiBase) return null;
  const base = new URL(apiBase);
  const health = `${base.origin}/__emulator/health`;
  if (await isUp(health)) {
    console.log(`Using the Stripe emulator already running at ${base.origin}.`);
    if (options.reset) await fetch(`${base.origin}/__emulator/reset`, { method: 'POST' });
    return null;
  }
  // Node itself (not pnpm → pnpm → tsx): Ctrl-C and SIGTERM reach the emulator, which saves its state and exits.
  const main = fileURLToPath(new URL('../packages/stripe-emulator/src/main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main, ...(options.reset ? ['--reset'] : [])], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      STRIPE_EMULATOR_PORT: base.port || '12111',
      STRIPE_EMULATOR_HOST: base.hostname,
      STRIPE_EMULATOR_WEBHOOK_URL: `http://127.0.0.1:${apiPort}/api/v1/webhooks/stripe`,
      // The API logs each request already; the emulator's own line per request would double the flood.
      STRIPE_EMULATOR_LOG_REQUESTS: process.env.STRIPE_EMULATOR_LOG_REQUESTS ?? 'false',
    },
  });
  await waitForHttp(health);
  return child;
}
