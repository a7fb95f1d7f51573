/**
 * `pnpm demo [--reset]` (after install and build): prepares .env, migrates and seeds the
 * database, then runs the whole system in the foreground until Ctrl-C. A restart keeps
 * everything: the database and the Stripe emulator's state (.data/stripe-emulator) persist
 * together. `--reset` empties both and starts over. `pnpm demo:info` reprints the banner.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { writeDemoInfo } from './demo-info.ts';
import { startStripeEmulatorProcess } from './stripe-emulator.ts';

const reset = process.argv.slice(2).includes('--reset');

if (!existsSync('.env')) {
  copyFileSync('.env.example', '.env');
  console.log('Created .env from .env.example (development defaults).');
}
process.loadEnvFile('.env');

function step(title: string, command: string, args: string[]): string {
  console.log(`\n▸ ${title}`);
  const result = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (result.status !== 0) {
    console.error(`✗ ${title} failed`);
    process.exit(result.status ?? 1);
  }
  return result.stdout;
}

// The emulator first: the seed gives the paid plans a Stripe price in it, and it delivers webhooks to the API.
const emulator = await startStripeEmulatorProcess(process.env.PORT ?? '3000', { reset });
process.on('exit', () => emulator?.kill('SIGTERM'));
if (reset) step('Resetting the database (--reset)', 'pnpm', ['-s', '--filter', '@aquoris/db', 'exec', 'prisma', 'migrate', 'reset', '--force']);
else step('Applying database migrations', 'pnpm', ['-s', 'db:migrate']);
const seed = JSON.parse(step('Seeding demo data', process.execPath, ['apps/api/dist/seed.js']).trim().split('\n').pop()!);

const port = process.env.PORT ?? '3000';
const base = process.env.NEXT_PUBLIC_APP_URL ?? `http://localhost:${port}`;
const processes: Array<{ name: string; child: ChildProcess }> = [];

function start(name: string, command: string, args: string[]): void {
  const child = spawn(command, args, { stdio: 'inherit', env: process.env });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping the demo.`);
      stop(code ?? 1);
    }
  });
  processes.push({ name, child });
}

let stopping = false;
function stop(code = 0): void {
  if (stopping) return;
  stopping = true;
  for (const { child } of processes) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3_000).unref();
  Promise.all(processes.map(({ child }) => new Promise((r) => (child.exitCode !== null ? r(null) : child.on('exit', r))))).then(() => process.exit(code));
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

if (emulator) {
  emulator.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`stripe-emulator exited (${signal ?? code}); stopping the demo.`);
      stop(code ?? 1);
    }
  });
  processes.push({ name: 'stripe-emulator', child: emulator });
}
start('api', process.execPath, ['apps/api/dist/main.js']);

const stripe = emulator || process.env.STRIPE_API_BASE ? `emulator at ${process.env.STRIPE_API_BASE} (card 4242 4242 4242 4242)` : 'real Stripe';
const banner = `
Aquoris Billing is starting on ${base}
  Start here:    ${base}/        (the demo app's page: links, and where the billing pages return)
  Health:        ${base}/api/health
  API docs:      ${base}/docs/api
  Billing pages: ${base}/billing (open one through a session URL, below)
  Admin:         ${base}/admin   (${seed.admin?.email ?? 'no admin'} / SEED_ADMIN_PASSWORD from .env)
  Stripe:        ${stripe}

Demo app "${seed.app.slug}" API key: ${seed.app.apiKey}

Try it:
  curl -s -H "Authorization: Bearer ${seed.app.apiKey}" ${base}/api/v1/plans
  curl -s -X POST -H "Authorization: Bearer ${seed.app.apiKey}" -H 'Content-Type: application/json' \\
    -d '{"externalUserId":"user_1","appSlug":"${seed.app.slug}"}' ${base}/api/v1/sessions

This again: pnpm demo:info. Start over with empty data: pnpm demo --reset.
`;
writeDemoInfo(banner);
console.log(`${banner}\nPress Ctrl-C to stop.\n`);
