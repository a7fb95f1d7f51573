#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { toAppError, type CliActor } from '@aquoris/core';
import { EnvError, loadCliEnv, loadDotEnv, loadEnv } from '../env.ts';
import { createLogger } from '../logger.ts';
import { closeDeps, createDeps } from '../deps.ts';
import { COMMANDS, helpDocument, usage } from './commands.ts';

/**
 * `pnpm aqb <command> [--flags]`: one JSON object on stdout; on error a JSON
 * error envelope on stdout, a readable message on stderr, and exit code 1.
 * Logs go to stderr so stdout stays machine-readable. `help` is no exception:
 * `{"commands":[{name, usage, description}]}`.
 */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    process.stderr.write(`${usage()}\n\n`);
    return fail('VALIDATION_ERROR', 'No command given. Run "pnpm aqb help" for the list.');
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    const unknown = rest.find((arg) => !Object.hasOwn(COMMANDS, arg));
    if (unknown !== undefined) return fail('VALIDATION_ERROR', `Unknown command "${unknown}". Run "pnpm aqb help" for the list.`);
    process.stdout.write(`${JSON.stringify(helpDocument(rest.length ? rest : undefined))}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) return fail('VALIDATION_ERROR', `Unknown command "${name}". Run "pnpm aqb help" for the list.`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${JSON.stringify(helpDocument([name]))}\n`);
    return 0;
  }

  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: rest, options: command.options, strict: true, allowPositionals: false }));
  } catch (error) {
    return fail('VALIDATION_ERROR', `${(error as Error).message}\nUsage: pnpm aqb ${name} ${command.usage}`);
  }
  const missing = command.required.filter((flag) => values[flag] === undefined);
  if (missing.length) {
    return fail('VALIDATION_ERROR', `Missing ${missing.map((m) => `--${m}`).join(', ')}\nUsage: pnpm aqb ${name} ${command.usage}`);
  }

  loadDotEnv();
  let env, cliEnv;
  try {
    env = loadEnv();
    cliEnv = loadCliEnv();
  } catch (error) {
    if (error instanceof EnvError) return fail('VALIDATION_ERROR', error.message);
    throw error;
  }
  // An operator's command may run long statements (metrics:rebuild): CLI_STATEMENT_TIMEOUT_MS (10 minutes), not the request path's.
  const deps = createDeps({ ...env, DATABASE_STATEMENT_TIMEOUT_MS: cliEnv.statementTimeoutMs }, { logger: createLogger('warn', process.stderr) });
  const actor: CliActor = { type: 'cli', user: cliEnv.operator };
  try {
    const result = await command.run(deps, actor, values);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } catch (error) {
    const appError = toAppError(error);
    if (!appError.isClientError) process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    return fail(appError.code, appError.isClientError ? appError.message : `Internal error: ${(error as Error)?.message}`);
  } finally {
    await closeDeps(deps);
  }
}

function fail(code: string, message: string): number {
  process.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
  process.stderr.write(`error: ${message}\n`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
