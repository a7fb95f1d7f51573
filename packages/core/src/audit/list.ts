import { admins, apps, audit, type Executor } from '@aquoris/db';
import type { Deps } from '../deps.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { parseInput } from '../validation.ts';
import { ListAuditInput, type AuditEntryView, type AuditPage } from './schemas.ts';

type AuditRow = audit.AuditRow;

/** The entries with their actors as people read them: admin email, app slug, CLI user, "Stripe", the system job. */
export async function toAuditViews(db: Executor, rows: AuditRow[]): Promise<AuditEntryView[]> {
  const idsOf = (type: string) => [...new Set(rows.filter((r) => r.actorType === type && r.actorId).map((r) => r.actorId!))];
  const [adminRows, appRows] = await Promise.all([admins.listEmailsByIds(db, idsOf('ADMIN')), apps.listSlugsByIds(db, idsOf('APP'))]);
  const emails = new Map(adminRows.map((a) => [a.id, a.email]));
  const slugs = new Map(appRows.map((a) => [a.id, a.slug]));
  return rows.map((r) => {
    const id = r.actorId;
    const label =
      r.actorType === 'ADMIN'
        ? (emails.get(id ?? '') ?? `admin ${id ?? '?'}`)
        : r.actorType === 'APP'
          ? (slugs.get(id ?? '') ?? `app ${id ?? '?'}`)
          : r.actorType === 'STRIPE'
            ? 'Stripe'
            : r.actorType === 'CLI'
              ? `CLI: ${id ?? '?'}`
              : r.actorType === 'SUBSCRIBER'
                ? `subscriber ${id ?? '?'}`
                : `system${id ? `: ${id}` : ''}`;
    return {
      id: r.id,
      createdAt: r.createdAt.toISOString(),
      actor: { type: r.actorType, id, label },
      action: r.action,
      target: r.targetType && r.targetId ? { type: r.targetType, id: r.targetId } : null,
      details: (r.details ?? {}) as Record<string, unknown>,
    };
  });
}

/** The Audit Log: newest first, filtered by actor type and action, a page at a time. */
export async function listAuditEntries(deps: Pick<Deps, 'db'>, raw: ListAuditInput): Promise<AuditPage> {
  const input = parseInput(ListAuditInput, raw);
  const rows = await audit.listPage(deps.db.kysely, { actorType: input.actorType, action: input.action }, decodeCursor(input.cursor), input.limit + 1);
  const page = toPage(rows, input.limit);
  return { entries: await toAuditViews(deps.db.kysely, page.rows), nextCursor: page.nextCursor };
}
