/**
 * `pnpm demo` (after install and build): prepares .env, migrates and seeds the
 * database, then runs the whole system in the foreground until Ctrl-C.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { startStripeEmulatorProcess } from './stripe-emulator.ts';

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

// The emulator first: the seed gives the pro plan a Stripe price in it, and it delivers webhooks to the API.
const emulator = await startStripeEmulatorProcess(process.env.PORT ?? '3000');
process.on('exit', () => emulator?.kill('SIGTERM'));
step('Applying database migrations', 'pnpm', ['-s', 'db:migrate']);
const seed = JSON.parse(step('Seeding demo data', 'pnpm', ['-s', 'db:seed']).trim().split('\n').pop()!);

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

console.log(`
Aquoris Billing is starting on ${base}
  Health:        ${base}/api/health
  API docs:      ${base}/docs/api
  Billing pages: ${base}/billing (open one through a session URL, below)
  Admin:         ${base}/admin   (${seed.admin?.email ?? 'no admin'} / SEED_ADMIN_PASSWORD from .env)
  Stripe:        ${emulator || process.env.STRIPE_API_BASE ? `emulator at ${process.env.STRIPE_API_BASE} (card 4242 4242 4242 4242)` : 'real Stripe'}

Demo app "${seed.app.slug}" API key: ${seed.app.apiKey}

Try it:
  curl -s -H "Authorization: Bearer ${seed.app.apiKey}" ${base}/api/v1/plans
  curl -s -X POST -H "Authorization: Bearer ${seed.app.apiKey}" -H 'Content-Type: application/json' \\
    -d '{"externalUserId":"user_1","appSlug":"${seed.app.slug}"}' ${base}/api/v1/sessions

Press Ctrl-C to stop.
`);
