import { createOperatorToken, listOperatorTokens, revokeOperatorToken, type OperatorTokenScope } from '@aquoris/core';
import type { Command } from './commands.ts';
import { s, str } from './flags.ts';

/** read-only / read-write (any case); anything else reaches the schema, which names the choices. */
const scopeOf = (value: string | undefined) => (value ?? 'read-only').toUpperCase().replace('-', '_') as OperatorTokenScope;

/** Operator API tokens for /api/v1/admin (docs/operations.md), as the console's API tokens page. */
export const TOKEN_COMMANDS: Record<string, Command> = {
  'tokens:create': {
    usage: '--name NAME [--scope read-only|read-write]',
    summary: 'Create an operator API token (read-only unless --scope read-write); prints the token once',
    options: { name: str, scope: str },
    required: ['name'],
    run: (deps, actor, v) => createOperatorToken(deps, actor, { name: s(v.name)!, scope: scopeOf(s(v.scope)) }),
  },
  'tokens:list': {
    usage: '',
    summary: 'Operator API tokens, newest first, with scope, last use and revocation (never the token itself)',
    options: {},
    required: [],
    run: async (deps) => ({ tokens: await listOperatorTokens(deps) }),
  },
  'tokens:revoke': {
    usage: '--id TOKEN_ID',
    summary: 'Revoke an operator API token: it answers 401 from now on',
    options: { id: str },
    required: ['id'],
    run: (deps, actor, v) => revokeOperatorToken(deps, actor, { id: s(v.id)! }),
  },
};
