import { z } from 'zod';
import { Cursor, PageSize } from '../pagination.ts';

export const ACTOR_TYPES = ['ADMIN', 'APP', 'SUBSCRIBER', 'SYSTEM', 'STRIPE', 'CLI'] as const;
export const ActorTypeSchema = z.enum(ACTOR_TYPES);

export const ListAuditInput = z.strictObject({
  actorType: ActorTypeSchema.optional(),
  action: z.string().trim().min(1).max(128).optional(),
  cursor: Cursor.optional(),
  limit: PageSize,
});
export type ListAuditInput = z.input<typeof ListAuditInput>;

export const AuditEntryView = z.object({
  id: z.string(),
  createdAt: z.iso.datetime(),
  actor: z.object({
    type: ActorTypeSchema,
    id: z.string().nullable(),
    /** For people: the admin's email, the app's slug, the CLI user, "Stripe" or the system job. */
    label: z.string(),
  }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string() }).nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;

export const AuditPage = z.object({ entries: z.array(AuditEntryView), nextCursor: z.string().nullable() });
export type AuditPage = z.infer<typeof AuditPage>;
