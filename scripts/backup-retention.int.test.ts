/**
 * backup-db.sh's housekeeping and failure path (issue 14): backups older than 30 days are deleted and nothing
 * else is; an unreachable database makes it exit non-zero and POST a JSON message to WEBHOOK_URL.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@aquoris/api/testing';
import { createFreshDatabase } from '@aquoris/db/testing';
import { runScript, startReceiver } from './testing/run-script.ts';

let database: { url: string; drop(): Promise<void> };
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'aqb-backups-'));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  database = await createFreshDatabase();
});
afterAll(async () => {
  await database?.drop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Writes `name` in `dir` and sets its modification time with touch -d (GNU date syntax). */
function aged(dir: string, name: string, age: string): void {
  writeFileSync(join(dir, name), 'x');
  execFileSync('touch', ['-d', age, join(dir, name)]);
}

describe('backup-db.sh retention', () => {
  it('deletes payment-*.sql.gz files older than 30 days and keeps newer ones and every other file', async () => {
    const dir = tempDir();
    aged(dir, 'payment-20250101-000000.sql.gz', '400 days ago');
    aged(dir, 'payment-20261101-020000.sql.gz', '31 days ago');
    aged(dir, 'payment-20261104-020000.sql.gz', '30 days ago 1 hour ago');
    aged(dir, 'payment-20261106-020000.sql.gz', '29 days ago');
    aged(dir, 'payment-20261120-020000.sql.gz', '2 days ago');
    aged(dir, 'payment-20250101-000000.sql', '400 days ago');
    aged(dir, 'other-20250101.sql.gz', '400 days ago');
    aged(dir, 'notes.txt', '400 days ago');
    const result = await runScript('scripts/backup-db.sh', [], { DATABASE_URL: database.url, BACKUP_DIR: dir });
    expect(result.code, result.stderr).toBe(0);
    const created = result.stdout.trim().slice(dir.length + 1);
    expect(created).toMatch(/^payment-\d{8}-\d{6}\.sql\.gz$/);
    expect(readdirSync(dir).sort()).toEqual(
      [created, 'notes.txt', 'other-20250101.sql.gz', 'payment-20250101-000000.sql', 'payment-20261106-020000.sql.gz', 'payment-20261120-020000.sql.gz'].sort(),
    );
  });
});

describe('backup-db.sh failures', () => {
  it('an unreachable database: exit non-zero, a JSON POST to WEBHOOK_URL without the password, no file left', async () => {
    const receiver = await startReceiver();
    const dir = tempDir();
    try {
      const url = `postgresql://aquoris:sekret-password@127.0.0.1:${await freePort()}/aquoris_payment`;
      const result = await runScript('scripts/backup-db.sh', [], { DATABASE_URL: url, BACKUP_DIR: dir, WEBHOOK_URL: `${receiver.url}/hooks/backups` });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('pg_dump of aquoris_payment failed');
      expect(readdirSync(dir)).toEqual([]);
      expect(receiver.received).toHaveLength(1);
      const [post] = receiver.received;
      expect(post).toMatchObject({ method: 'POST', url: '/hooks/backups', contentType: 'application/json' });
      const message = JSON.parse(post!.body);
      expect(message).toMatchObject({ event: 'backup.failed', database: 'aquoris_payment', error: 'pg_dump of aquoris_payment failed' });
      expect(message.text).toContain('backup failed');
      expect(post!.body).not.toContain('sekret-password');
    } finally {
      await receiver.close();
    }
  });

  it('no DATABASE_URL, or a folder it cannot write: non-zero and a POST each time', async () => {
    const receiver = await startReceiver(() => 500);
    try {
      const missing = await runScript('scripts/backup-db.sh', [], { BACKUP_DIR: tempDir(), WEBHOOK_URL: receiver.url });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('DATABASE_URL is required');
      const file = join(tempDir(), 'a-file');
      writeFileSync(file, '');
      const unwritable = await runScript('scripts/backup-db.sh', [], {
        DATABASE_URL: database.url,
        BACKUP_DIR: join(file, 'backups'),
        WEBHOOK_URL: receiver.url,
      });
      expect(unwritable.code).toBe(1);
      expect(receiver.received.map((r) => JSON.parse(r.body).error)).toEqual(['DATABASE_URL is required', `cannot create ${join(file, 'backups')}`]);
    } finally {
      await receiver.close();
    }
  });
});
