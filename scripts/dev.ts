/**
 * `pnpm dev`: the Stripe emulator, the API in watch mode (with the in-process
 * worker) and the billing and admin Vite dev servers, with .env created from
 * .env.example on first run. Migrates and seeds first. Ctrl-C stops all.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { startStripeEmulatorProcess } from './stripe-emulator.ts';

if (!existsSync('.env')) {
  copyFileSync('.env.example', '.env');
  console.log('Created .env from .env.example (development defaults).');
}
process.loadEnvFile('.env');
const port = process.env.PORT ?? '3000';
const children: Array<{ name: string; child: ChildProcess }> = [];
let stopping = false;

function stop(code = 0): void {
  if (stopping) return;
  stopping = true;
  for (const { child } of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5_000).unref();
  Promise.all(children.map(({ child }) => new Promise((r) => (child.exitCode !== null ? r(null) : child.on('exit', r))))).then(() => process.exit(code));
}

function watch(name: string, child: ChildProcess): void {
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${name} exited (${signal ?? code}); stopping.`);
    stop(code ?? 1);
  });
  children.push({ name, child });
}

function run(title: string, args: string[]): string {
  console.log(`\n▸ ${title}`);
  const result = spawnSync('pnpm', args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (result.status !== 0) {
    console.error(`✗ ${title} failed`);
    process.exit(result.status ?? 1);
  }
  return result.stdout;
}

// However this script ends, its children end with it.
process.on('exit', () => {
  for (const { child } of children) if (child.exitCode === null) child.kill('SIGTERM');
});

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

const emulator = await startStripeEmulatorProcess(port);
if (emulator) watch('stripe-emulator', emulator);
run('Applying database migrations', ['-s', 'db:migrate']);
const seed = JSON.parse(run('Seeding demo data', ['-s', 'db:seed']).trim().split('\n').pop() ?? '{}');

for (const [name, filter] of [
  ['api', '@aquoris/api'],
  ['billing-web', '@aquoris/billing-web'],
  ['admin-web', '@aquoris/admin-web'],
] as const) {
  watch(name, spawn('pnpm', ['--filter', filter, 'dev'], { stdio: 'inherit', env: process.env }));
}

console.log(`
Aquoris Billing (development)
  API:            http://localhost:${port}  (worker in-process; webhooks at /api/v1/webhooks/stripe)
  Billing pages:  http://localhost:5173/billing/   (open through a session URL)
  Admin:          http://localhost:5174/admin/
  Stripe:         ${process.env.STRIPE_API_BASE ? `emulator at ${process.env.STRIPE_API_BASE} (test card 4242 4242 4242 4242)` : 'real Stripe (STRIPE_SECRET_KEY)'}
  Demo app key:   ${seed.app?.apiKey ?? '(see the seed output above)'}
`);
