import { randomBytes } from 'node:crypto';
import { operatorTokens, type OperatorTokenRow } from '@aquoris/db';
import type { OperatorActor, SystemActor } from '../actors.ts';
import { auditActor, recordAudit } from '../audit/service.ts';
import { digestsEqual, hashApiKey } from '../crypto.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../validation.ts';
import {
  CreateOperatorTokenInput,
  OPERATOR_TOKEN_PREFIX,
  RevokeOperatorTokenInput,
  type CreatedOperatorToken,
  type OperatorTokenScope,
  type OperatorTokenView,
} from './schemas.ts';

export function toOperatorTokenView(row: OperatorTokenRow): OperatorTokenView {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    tokenPrefix: row.tokenPrefix,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** A new token: `aqb_op_` + 43 characters of base64url (256 bits). */
export function generateOperatorToken(): string {
  return OPERATOR_TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** Creates a named token; its plaintext is in this answer only (only its sha256 is stored). */
export async function createOperatorToken(deps: Deps, actor: OperatorActor, raw: CreateOperatorTokenInput): Promise<CreatedOperatorToken> {
  const input = parseInput(CreateOperatorTokenInput, raw);
  const secret = generateOperatorToken();
  const row = await deps.db.transaction(async (tx) => {
    const created = await operatorTokens.insert(tx, {
      name: input.name,
      scope: input.scope,
      tokenHash: hashApiKey(secret),
      tokenPrefix: secret.slice(0, OPERATOR_TOKEN_PREFIX.length + 6),
      createdBy: auditActor(actor).actorId ?? actor.type,
    });
    await recordAudit(tx, actor, {
      action: 'operator_token.created',
      targetType: 'operator_token',
      targetId: created.id,
      details: { name: created.name, scope: created.scope, tokenPrefix: created.tokenPrefix },
    });
    return created;
  });
  return { token: toOperatorTokenView(row), secret };
}

export async function listOperatorTokens(deps: Pick<Deps, 'db'>): Promise<OperatorTokenView[]> {
  return (await operatorTokens.list(deps.db.kysely)).map(toOperatorTokenView);
}

/** Revokes a token: it answers 401 from now on. Revoking twice is TOKEN_ALREADY_REVOKED. */
export async function revokeOperatorToken(deps: Deps, actor: OperatorActor, raw: RevokeOperatorTokenInput): Promise<OperatorTokenView> {
  const { id } = parseInput(RevokeOperatorTokenInput, raw);
  return deps.db.transaction(async (tx) => {
    const row = await operatorTokens.revoke(tx, id, deps.clock.now());
    if (!row) {
      const existing = await operatorTokens.findById(tx, id);
      if (!existing) throw new AppError('OPERATOR_TOKEN_NOT_FOUND', 'No API token with this id');
      throw new AppError('OPERATOR_TOKEN_ALREADY_REVOKED', 'This API token is already revoked');
    }
    await recordAudit(tx, actor, { action: 'operator_token.revoked', targetType: 'operator_token', targetId: row.id, details: { name: row.name } });
    return toOperatorTokenView(row);
  });
}

export interface AuthenticatedOperator {
  tokenId: string;
  scope: OperatorTokenScope;
  /** Who the audit log names for what the token changes. */
  actor: SystemActor;
}

/** Resolves a bearer operator token: looked up by sha256, compared in constant time; unknown or revoked is UNAUTHORIZED. */
export async function authenticateOperatorToken(deps: Pick<Deps, 'db' | 'clock' | 'log'>, token: string | undefined): Promise<AuthenticatedOperator> {
  if (!token) throw new AppError('UNAUTHORIZED', 'Missing operator token: send "Authorization: Bearer aqb_op_..."');
  const hash = hashApiKey(token);
  const row = token.startsWith(OPERATOR_TOKEN_PREFIX) ? await operatorTokens.findByHash(deps.db.kysely, hash) : undefined;
  if (!row || !digestsEqual(row.tokenHash, hash)) throw new AppError('UNAUTHORIZED', 'Invalid operator token');
  if (row.revokedAt) throw new AppError('UNAUTHORIZED', 'This operator token has been revoked');
  // lastUsedAt is a convenience: a failed write must not refuse the request.
  await operatorTokens
    .touch(deps.db.kysely, row.id, deps.clock.now())
    .catch((err: unknown) => deps.log.warn({ err, tokenId: row.id }, 'could not record token use'));
  return { tokenId: row.id, scope: row.scope, actor: { type: 'system', name: `operator_token:${row.id}` } };
}

/** Mutating operator routes need a READ_WRITE token (FORBIDDEN otherwise). */
export function assertOperatorCanWrite(operator: Pick<AuthenticatedOperator, 'scope'>): void {
  if (operator.scope !== 'READ_WRITE') throw new AppError('FORBIDDEN', 'This operator token is read-only: use a read-write token for changes');
}
