// A recording stand-in for the docker client, run by ./docker (which scripts/deploy.int.test.ts puts first on PATH).
// Each call appends {"docker": argv, "APP_IMAGE": env} to FAKE_DOCKER_LOG and answers like Docker would,
// as the test's FAKE_* variables say:
//   FAKE_BACKUP        ok (default) | empty | fail: the toolbox's `backup` writes a dump, an empty file, or fails
//   FAKE_MIGRATE       ok (default) | fail
//   FAKE_RUNNING_APP   the id `compose ps -q app` prints (empty: no app container, a first deploy)
//   FAKE_PG_NOT_READY  how many `pg_isready` calls fail before one passes (default 0)
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const argv = readFileSync(process.env.FAKE_DOCKER_ARGS, 'utf8').split('\0').slice(0, -1);
const env = process.env;
appendFileSync(env.FAKE_DOCKER_LOG, `${JSON.stringify({ docker: argv, APP_IMAGE: env.APP_IMAGE ?? null })}\n`);
const fail = (message) => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};
const [command] = argv;

if (command === 'compose') {
  const sub = argv.slice(argv.indexOf('-f') + 2);
  if (sub[0] === 'ps') process.stdout.write(env.FAKE_RUNNING_APP ? `${env.FAKE_RUNNING_APP}\n` : '');
  if (sub[0] === 'exec') {
    const counter = `${env.FAKE_DOCKER_LOG}.pg-ready`;
    let calls = 0;
    try {
      calls = Number(readFileSync(counter, 'utf8'));
    } catch {
      // first call
    }
    writeFileSync(counter, String(calls + 1));
    if (calls < Number(env.FAKE_PG_NOT_READY ?? 0)) fail('postgres:5432 - no response');
  }
} else if (command === 'inspect') {
  process.stdout.write('sha256:0ld1mage\n');
} else if (command === 'run') {
  const job = argv.at(-1);
  if (job === 'backup') {
    if (env.FAKE_BACKUP === 'fail') fail('backup-db: pg_dump of aquoris_payment failed');
    const volume = argv[argv.indexOf('--volume') + 1];
    const hostDir = volume.slice(0, volume.lastIndexOf(':/backups'));
    const name = 'payment-20261204-120000.sql.gz';
    writeFileSync(join(hostDir, name), env.FAKE_BACKUP === 'empty' ? '' : gzipSync('-- PostgreSQL database dump\n'));
    process.stdout.write(`/backups/${name}\n`);
  }
  if (job === 'migrate' && env.FAKE_MIGRATE === 'fail') fail('Error: P3009 migrate found failed migrations');
}
