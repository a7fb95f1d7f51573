import { apps, isUniqueViolation, type AppRow } from '@aquoris/db';
import type { AppActor, OperatorActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import { apiKeyDisplayPrefix, decryptSecret, digestsEqual, encryptSecret, generateApiKey, hashApiKey } from '../crypto.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { invalidField, parseInput } from '../validation.ts';
import { checkNewAllowedOrigin, originOf, parseAllowedOrigin } from '../return-url.ts';
import { ChangeAllowedOriginsInput, CreateAppInput, MAX_ALLOWED_ORIGINS, UpdateAppInput, type AppView } from './schemas.ts';

export function toAppView(app: AppRow): AppView {
  return {
    id: app.id,
    slug: app.slug,
    name: app.name,
    returnUrl: app.returnUrl,
    allowedOrigins: app.allowedOrigins,
    rateLimitPerMinute: app.rateLimitPerMinute,
    apiKeyPrefix: app.apiKeyPrefix,
    apiKeyRotatedAt: app.apiKeyRotatedAt.toISOString(),
    createdAt: app.createdAt.toISOString(),
  };
}

function keyColumns(deps: Deps, apiKey: string) {
  return {
    apiKeyHash: hashApiKey(apiKey),
    apiKeyPrefix: apiKeyDisplayPrefix(apiKey),
    apiKeyCiphertext: encryptSecret(apiKey, deps.config.apiKeyEncryptionSecret),
    apiKeyRotatedAt: deps.clock.now(),
  };
}

export async function getAppBySlugOrThrow(deps: Pick<Deps, 'db'>, slug: string): Promise<AppRow> {
  const app = await apps.findBySlug(deps.db.kysely, slug);
  if (!app) throw new AppError('APP_NOT_FOUND', `App "${slug}" does not exist`);
  return app;
}

/**
 * Creates an app and its first API key; the plaintext key is returned this once (and can be revealed later by an admin).
 * The credential event is announced as for a rotation: an API instance refusing a blocked client address keeps a list of
 * valid keys, which it re-reads on any such event, so the new key works at once from that address too.
 */
export async function createApp(deps: Deps, actor: OperatorActor, raw: CreateAppInput): Promise<{ app: AppView; apiKey: string }> {
  const input = parseInput(CreateAppInput, raw);
  const apiKey = generateApiKey();
  let app: AppRow;
  try {
    app = await deps.db.transaction(async (tx) => {
      const created = await apps.insert(tx, {
        slug: input.slug,
        name: input.name,
        returnUrl: input.returnUrl,
        allowedOrigins: [originOf(input.returnUrl)].filter((o): o is string => o !== null),
        rateLimitPerMinute: input.rateLimitPerMinute,
        ...keyColumns(deps, apiKey),
      });
      await recordAudit(tx, actor, { action: 'app.created', targetType: 'app', targetId: created.id, details: { slug: created.slug } });
      return created;
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('APP_ALREADY_EXISTS', `An app with slug "${input.slug}" already exists`, {
        details: { fields: { slug: 'an app with this slug already exists' } },
      });
    throw error;
  }
  // Unlike a rotation's (an old key must stop), a missed event here only delays the new key for a blocked address by
  // the list's maximum age: the app exists and its key is printed once, so a Redis failure must not turn this into an error.
  await deps.events?.appCredentialsChanged(app.id).catch((err: unknown) => deps.log.warn({ err, appId: app.id }, 'could not announce the new app'));
  return { app: toAppView(app), apiKey };
}

export async function updateApp(deps: Deps, actor: OperatorActor, raw: UpdateAppInput): Promise<AppView> {
  const { slug, ...changes } = parseInput(UpdateAppInput, raw);
  const app = await getAppBySlugOrThrow(deps, slug);
  const updated = await deps.db.transaction(async (tx) => {
    const row = await apps.update(tx, app.id, changes);
    await recordAudit(tx, actor, { action: 'app.updated', targetType: 'app', targetId: app.id, details: changes });
    return row;
  });
  await deps.events?.appCredentialsChanged(app.id);
  return toAppView(updated);
}

/** The canonical spelling of a stored entry, so "https://App.example.com/" removes "https://app.example.com". */
const canonical = (entry: string) => {
  const parsed = parseAllowedOrigin(entry);
  return parsed.ok ? parsed.origin : entry;
};

/**
 * Adds and removes redirect allowlist entries (return-url.ts), under the app's row lock so two edits
 * never lose one another; one audit entry with what changed. Removing an entry that is not listed,
 * or adding one that is, is refused by name rather than silently ignored.
 */
export async function changeAllowedOrigins(deps: Deps, actor: OperatorActor, raw: ChangeAllowedOriginsInput): Promise<AppView> {
  const input = parseInput(ChangeAllowedOriginsInput, raw);
  const app = await getAppBySlugOrThrow(deps, input.slug);
  const add = input.add.map((entry) => {
    const check = checkNewAllowedOrigin(entry);
    if (!check.ok) throw invalidField('add', `${entry} ${check.reason}`);
    return check.origin;
  });
  const remove = input.remove.map(canonical);
  const updated = await deps.db.transaction(async (tx) => {
    const row = await apps.findByIdForUpdate(tx, app.id);
    if (!row) throw new AppError('APP_NOT_FOUND', `App "${input.slug}" does not exist`);
    const current = row.allowedOrigins.map(canonical);
    const missing = remove.filter((o) => !current.includes(o));
    if (missing.length) throw invalidField('remove', `${missing.join(', ')} is not in the allowed origins`);
    const present = add.filter((o) => current.includes(o) && !remove.includes(o));
    if (present.length) throw invalidField('add', `${present.join(', ')} is already an allowed origin`);
    const next = [...new Set([...current.filter((o) => !remove.includes(o)), ...add])];
    if (next.length > MAX_ALLOWED_ORIGINS) throw invalidField('add', `an app may list at most ${MAX_ALLOWED_ORIGINS} origins`);
    const saved = await apps.update(tx, app.id, { allowedOrigins: next });
    await recordAudit(tx, actor, { action: 'app.allowed_origins_changed', targetType: 'app', targetId: app.id, details: { added: add, removed: remove } });
    return saved;
  });
  return toAppView(updated);
}

/** Replaces the app's key; the old one stops working at once. */
export async function rotateApiKey(deps: Deps, actor: OperatorActor, slug: string): Promise<{ app: AppView; apiKey: string }> {
  const app = await getAppBySlugOrThrow(deps, slug);
  const apiKey = generateApiKey();
  const updated = await deps.db.transaction(async (tx) => {
    const row = await apps.update(tx, app.id, keyColumns(deps, apiKey));
    await recordAudit(tx, actor, { action: 'app.api_key_rotated', targetType: 'app', targetId: app.id, details: { apiKeyPrefix: row.apiKeyPrefix } });
    return row;
  });
  await deps.events?.appCredentialsChanged(app.id);
  return { app: toAppView(updated), apiKey };
}

export async function revealApiKey(deps: Deps, actor: OperatorActor, slug: string): Promise<{ apiKey: string }> {
  const app = await getAppBySlugOrThrow(deps, slug);
  await recordAudit(deps.db.kysely, actor, { action: 'app.api_key_revealed', targetType: 'app', targetId: app.id });
  return { apiKey: decryptSecret(app.apiKeyCiphertext, deps.config.apiKeyEncryptionSecret) };
}

/**
 * The demo app's key for the development start page (`/` of the API), or null when there is no such app.
 * Not an operator action (no audit entry): the composition root wires it only when NODE_ENV=development,
 * so production never shows a key on a page.
 */
export async function findDevelopmentApiKey(deps: Deps, slug: string): Promise<string | null> {
  const app = await apps.findBySlug(deps.db.kysely, slug);
  return app ? decryptSecret(app.apiKeyCiphertext, deps.config.apiKeyEncryptionSecret) : null;
}

export interface AuthenticatedApp extends AppActor {
  rateLimitPerMinute: number;
}

/** Resolves a bearer API key to its app: looked up by hash, then compared in constant time. */
export async function authenticateApiKey(deps: Pick<Deps, 'db'>, apiKey: string | undefined): Promise<AuthenticatedApp> {
  if (!apiKey) throw new AppError('UNAUTHORIZED', 'Missing API key: send "Authorization: Bearer <key>"');
  const hash = hashApiKey(apiKey);
  const app = await apps.findCredentialByKeyHash(deps.db.kysely, hash);
  if (!app || !digestsEqual(app.apiKeyHash, hash)) throw new AppError('UNAUTHORIZED', 'Invalid API key');
  return { type: 'app', appId: app.id, appSlug: app.slug, rateLimitPerMinute: app.rateLimitPerMinute };
}

export async function listApps(deps: Pick<Deps, 'db'>): Promise<AppView[]> {
  return (await apps.list(deps.db.kysely)).map(toAppView);
}
