#!/usr/bin/env node
// Offline stand-in for Prisma's native schema-engine binary.
//
// The Prisma CLI spawns the schema engine and speaks JSON-RPC 2.0 to it over
// stdin/stdout, one message per line. The native binary is downloaded from
// Prisma's servers, which this project can't reach, so prisma.config.ts points
// PRISMA_SCHEMA_ENGINE_BINARY here instead: we forward every request to the
// same engine compiled to WebAssembly (@prisma/schema-engine-wasm), with
// @prisma/adapter-pg as its database connection. On a machine with the native
// engine available, unset the variable and nothing else changes.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';

const require = createRequire(import.meta.url);

function parseArgs(argv) {
  const out = { datamodels: [], datasource: undefined, cli: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--datamodels') out.datamodels.push(argv[++i]);
    else if (arg === '--datasource') out.datasource = JSON.parse(argv[++i]);
    else if (arg === '--enabled-preview-features' || arg === '--extension-types') i++;
    else if (arg === 'cli') out.cli = argv[++i];
    else if (arg === '--version' || arg === '-V') out.cli = 'version';
  }
  return out;
}

const OID_CHAR = 18;
const OID_TEXT = 25;

// adapter-pg can't deserialize PostgreSQL's internal "char" type (used by the
// catalog the engine introspects); it is a one-byte string, so read it as text.
function fixFields(result) {
  for (const r of Array.isArray(result) ? result : [result]) {
    for (const field of r?.fields ?? []) if (field.dataTypeID === OID_CHAR) field.dataTypeID = OID_TEXT;
  }
  return result;
}

function createPool(connectionString) {
  const pool = new pg.Pool({ connectionString, max: 4 });
  pool.on('connect', (client) => {
    const query = client.query.bind(client);
    client.query = (...args) => {
      const last = args.at(-1);
      if (typeof last === 'function') {
        args[args.length - 1] = (err, res) => last(err, err ? res : fixFields(res));
        return query(...args);
      }
      const ret = query(...args);
      return ret && typeof ret.then === 'function' ? ret.then(fixFields) : ret;
    };
  });
  pool.on('error', () => {});
  return pool;
}

function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function connectAdapter(url, onDispose) {
  const pool = createPool(url);
  const adapter = await new PrismaPg(pool).connect();
  // The stock executeScript splits on ';', which breaks $$-quoted bodies and
  // can leave a migration half-applied. Run the script as one simple query.
  adapter.executeScript = async (script) => {
    try {
      await pool.query(script);
    } catch (error) {
      adapter.onError(error);
    }
  };
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    await dispose().catch(() => {});
    await pool.end().catch(() => {});
    if (onDispose) await onDispose();
  };
  return adapter;
}

// A shadow database the engine may create and drop freely: a real, temporary
// database next to the main one (never the main one itself).
function createFactory(url, shadowUrl) {
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () => connectAdapter(url),
    connectToShadowDb: async () => {
      if (shadowUrl) return connectAdapter(shadowUrl);
      const name = `prisma_shadow_${process.pid}_${Date.now()}`;
      const admin = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
      await admin.end();
      return connectAdapter(withDatabase(url, name), async () => {
        const drop = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
        await drop.connect();
        await drop.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await drop.end();
      });
    },
  };
}

async function ensureDatabase(url) {
  const db = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!db) return;
  const admin = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db]);
    if (!rowCount)
      await admin.query(`CREATE DATABASE "${db.replaceAll('"', '""')}"`).catch((e) => {
        if (e.code !== '42P04') throw e; // created concurrently
      });
  } finally {
    await admin.end();
  }
}

async function loadWasm() {
  const wasmPath = join(dirname(require.resolve('@prisma/schema-engine-wasm')), 'schema_engine_bg.wasm');
  const module = await WebAssembly.compile(readFileSync(wasmPath));
  const imports = { './schema_engine_bg.js': bg };
  const instance = await WebAssembly.instantiate(module, imports);
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start?.();
}

function log(level, message) {
  process.stderr.write(`${JSON.stringify({ timestamp: new Date().toISOString(), level, fields: { message }, target: 'schema_engine_offline' })}\n`);
}

function toRpcError(error) {
  // The wasm engine throws structured user-facing errors; keep their shape so
  // the CLI prints Prisma's usual messages and error codes.
  let data = error;
  if (error instanceof Error) {
    try {
      data = JSON.parse(error.message);
    } catch {
      data = { is_panic: false, message: error.message, backtrace: error.stack };
    }
  }
  if (typeof data === 'string') data = { is_panic: false, message: data };
  if (data && typeof data === 'object' && !('message' in data)) data = { is_panic: false, message: JSON.stringify(data), ...data };
  return { code: 4466, message: 'An error happened. Check the data field for details.', data };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const url = args.datasource?.url ?? process.env.DATABASE_URL;
  if (args.cli === 'version') {
    process.stdout.write('schema-engine-wasm offline shim\n');
    return;
  }
  await loadWasm();
  if (args.cli) {
    // `schema-engine --datasource … cli <command>`: the database helpers the CLI uses.
    if (args.cli === 'create-database') {
      await ensureDatabase(url);
      process.stdout.write(`${JSON.stringify({ database_name: new URL(url).pathname.slice(1) })}\n`);
    } else if (args.cli === 'can-connect-to-database') {
      const client = new pg.Client({ connectionString: url });
      try {
        await client.connect();
        await client.end();
      } catch (error) {
        // The CLI reads these lines (after the first) and, for P1003, creates the database.
        const missing = error?.code === '3D000';
        process.stderr.write('schema-engine offline shim\n');
        process.stderr.write(
          `${JSON.stringify({
            level: 'ERROR',
            target: 'schema_engine::logger',
            fields: { error_code: missing ? 'P1003' : 'P1001', message: String(error?.message ?? error) },
          })}\n`,
        );
        process.exit(1);
      }
    }
    return;
  }
  // Like the native engine's migrate commands, create the database when it is missing.
  if (url) await ensureDatabase(url);
  const datamodels = args.datamodels.map((path) => [path, readFileSync(path, 'utf8')]);
  const factory = bindMigrationAwareSqlAdapterFactory(createFactory(url, args.datasource?.shadowDatabaseUrl));
  const engine = await bg.SchemaEngine.new({ datamodels: datamodels.length ? datamodels : undefined }, (message) => log('INFO', String(message)), factory);

  const send = (msg) => process.stdout.write(`${JSON.stringify(msg)}\n`);
  const rl = createInterface({ input: process.stdin });
  let queue = Promise.resolve();
  rl.on('line', (line) => {
    if (!line.trim()) return;
    queue = queue.then(async () => {
      let req;
      try {
        req = JSON.parse(line);
      } catch {
        return send({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
      }
      if (!req.method) return; // the CLI's acknowledgement of a print request
      const method = engine[req.method];
      if (typeof method !== 'function') {
        return send({ jsonrpc: '2.0', id: req.id, error: { code: -32601, message: `Method not found: ${req.method}` } });
      }
      try {
        const result = await method.call(engine, req.params ?? {});
        // The native engine prints (e.g. `migrate diff --script`) through a JSON-RPC "print" request
        // to the CLI; the wasm engine returns the text instead.
        if (result && typeof result.stdout === 'string' && result.stdout) {
          send({ jsonrpc: '2.0', id: `print-${req.id}`, method: 'print', params: { content: result.stdout.replace(/\n$/, '') } });
        }
        send({ jsonrpc: '2.0', id: req.id, result: result ?? null });
      } catch (error) {
        send({ jsonrpc: '2.0', id: req.id, error: toRpcError(error) });
      }
    });
  });
  rl.on('close', () => queue.finally(() => process.exit(0)));
}

main().catch((error) => {
  log('ERROR', String(error?.stack ?? error));
  process.exit(1);
});
