import { createApp } from '../apps/service.ts';
import type { Deps } from '../deps.ts';

/** The operator core tests act as. */
export const TEST_OPERATOR = { type: 'cli', user: 'ops' } as const;

/** A new app named by its slug, and the actor of its API key. */
export async function createTestApp(deps: Deps, slug: string) {
  const { app, apiKey } = await createApp(deps, TEST_OPERATOR, { slug, name: slug, returnUrl: `https://${slug}.example.com/` });
  return { app, apiKey, actor: { type: 'app', appId: app.id, appSlug: slug } as const };
}
