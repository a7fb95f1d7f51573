/** Who is acting. Every query on app-owned data takes its app id from here, never from input. */
export type AppActor = { type: 'app'; appId: string; appSlug: string };
/** A signed-in console admin; `email` is carried where known, for the audit log's readers. */
export type AdminActor = { type: 'admin'; adminId: string; email?: string };
export type SubscriberActor = { type: 'subscriber'; appId: string; customerId: string };
export type SystemActor = { type: 'system'; name: string };
export type CliActor = { type: 'cli'; user: string };
export type Actor = AppActor | AdminActor | SubscriberActor | SystemActor | CliActor;

export type OperatorActor = AdminActor | CliActor | SystemActor;

/** Stripe, as the actor of what its events change. */
export const STRIPE_ACTOR: SystemActor = { type: 'system', name: 'stripe' };
