/**
 * The backup drill (issue 14): data made through the API (apps, customers, a Stripe subscription through the
 * emulator, invoices, refunds, the audit log), backed up by backup-db.sh, restored by restore-db.sh --yes into
 * a fresh database and compared table by table (row count and a checksum of every row). Then what must be
 * refused is: a truncated file, a corrupt dump, an unconfirmed restore, each leaving the database as it was.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInAdmin } from '@aquoris/api/testing/admin';
import { createCatalog, settle, subscribe } from '@aquoris/api/testing/catalog';
import { startStripeTestStack, type StripeTestStack } from '@aquoris/api/testing/stripe';
import { createEmptyDatabase, runScript, tableChecksums } from './testing/run-script.ts';

let stack: StripeTestStack;
let dir: string;
let backup: string;
let source: Awaited<ReturnType<typeof tableChecksums>>;
let target: Awaited<ReturnType<typeof createEmptyDatabase>>;

async function makeData(): Promise<void> {
  const { api } = stack;
  const { app } = await createCatalog(stack);
  for (const user of ['ana', 'ben']) {
    const put = await api.request(`/api/v1/customers/${user}`, { method: 'PUT', apiKey: app.apiKey, json: { email: `${user}@example.com`, name: user } });
    expect(put.status).toBe(200);
  }
  const subscriber = await stack.subscriber(app, 'carla', { email: 'carla@example.com' });
  await subscribe(stack, subscriber, 'pro');
  const admin = await signedInAdmin(api);
  const paid = await admin.mutate('admin.customers.recordPayment', {
    customerId: (await api.prisma.customer.findFirstOrThrow({ where: { externalUserId: 'ana' } })).id,
    amount: '299.00',
    currency: 'thb',
    paymentMethod: 'bank_transfer',
    reference: 'KBANK-0042',
    planSlug: 'pro',
    days: 30,
    idempotencyKey: 'backup-drill-0001',
  });
  expect(paid.status).toBe(200);
  expect((await admin.mutate('admin.customers.refund', { invoiceId: paid.data.invoiceId, amount: '100.00', reason: 'drill' })).status).toBe(200);
  const stripeInvoice = await api.prisma.invoice.findFirstOrThrow({ where: { source: 'STRIPE' } });
  expect((await admin.mutate('admin.customers.refund', { invoiceId: stripeInvoice.id, amount: '50.00' })).status).toBe(200);
  await settle(stack);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aqb-backup-drill-'));
  stack = await startStripeTestStack();
  await makeData();
  target = await createEmptyDatabase('aqb_restore_drill');
}, 180_000);
afterAll(async () => {
  await target?.drop();
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('backup-db.sh and restore-db.sh: the drill', () => {
  it('backs up, restores --yes into a fresh database, and every table matches in rows and checksum', async () => {
    source = await tableChecksums(stack.api.databaseUrl);
    for (const table of ['apps', 'customers', 'subscriptions', 'invoices', 'refunds', 'audit_logs', 'stripe_events', 'plans', 'admins']) {
      expect(source[table]?.rows, table).toBeGreaterThan(0);
    }
    const made = await runScript('scripts/backup-db.sh', [], { DATABASE_URL: stack.api.databaseUrl, BACKUP_DIR: dir });
    expect(made.code, made.stderr).toBe(0);
    backup = made.stdout.trim();
    expect(backup).toMatch(new RegExp(`^${dir}/payment-\\d{8}-\\d{6}\\.sql\\.gz$`));
    expect(readdirSync(dir)).toEqual([backup.slice(dir.length + 1)]);
    // The source did not move while it was dumped (no background job wrote), so the comparison below is fair.
    expect(await tableChecksums(stack.api.databaseUrl)).toEqual(source);

    const restored = await runScript('scripts/restore-db.sh', ['--yes', backup], { DATABASE_URL: target.url });
    expect(restored.code, restored.stderr).toBe(0);
    expect(await tableChecksums(target.url)).toEqual(source);
    // It prints each table's row count after the restore.
    const counts = Object.fromEntries(
      restored.stdout
        .trim()
        .split('\n')
        .map((line) => line.split('\t')),
    );
    expect(counts).toEqual(Object.fromEntries(Object.entries(source).map(([table, { rows }]) => [table, String(rows)])));
  });

  it('refuses a truncated file before touching the database', async () => {
    const truncated = join(dir, 'truncated.sql.gz');
    const bytes = readFileSync(backup);
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const result = await runScript('scripts/restore-db.sh', ['--yes', truncated], { DATABASE_URL: target.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('fails gzip -t');
    expect(await tableChecksums(target.url)).toEqual(source);
  });

  it('rolls a corrupt dump back whole: its DROPs ran, then an error, and nothing changed', async () => {
    const corrupt = join(dir, 'corrupt.sql.gz');
    const sql = gunzipSync(readFileSync(backup)).toString();
    writeFileSync(corrupt, gzipSync(`${sql.slice(0, Math.floor(sql.length * 0.6))}\nTHIS IS NOT SQL;\n`));
    const result = await runScript('scripts/restore-db.sh', ['--yes', corrupt], { DATABASE_URL: target.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('rolled back');
    expect(await tableChecksums(target.url)).toEqual(source);
  });

  it('asks for the database name without --yes: a wrong answer restores nothing, the right one restores', async () => {
    const empty = await createEmptyDatabase('aqb_restore_confirm');
    try {
      const refused = await runScript('scripts/restore-db.sh', [backup], { DATABASE_URL: empty.url }, 'production\n');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`Type the database name (${empty.name})`);
      expect(refused.stderr).toContain('not confirmed');
      expect(await tableChecksums(empty.url)).toEqual({});
      const confirmed = await runScript('scripts/restore-db.sh', [backup], { DATABASE_URL: empty.url }, `${empty.name}\n`);
      expect(confirmed.code, confirmed.stderr).toBe(0);
      expect(await tableChecksums(empty.url)).toEqual(source);
    } finally {
      await empty.drop();
    }
  });

  it('the file is a gzipped plain SQL dump that gzip -t accepts', () => {
    expect(() => execFileSync('gzip', ['-t', backup])).not.toThrow();
    expect(gunzipSync(readFileSync(backup)).toString()).toContain('PostgreSQL database dump');
  });
});
