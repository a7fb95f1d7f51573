import type { AppEvents } from '@aquoris/core';
import type { Redis } from 'ioredis';

const CHANNEL = 'app-credentials-changed';

/** Publishes credential changes so every API instance drops its cached keys for that app. */
export function createAppEvents(redis: Redis, prefix: string): AppEvents {
  return {
    async appCredentialsChanged(appId) {
      await redis.publish(`${prefix}:${CHANNEL}`, appId);
    },
  };
}

/** Subscribes on a dedicated connection; returns an unsubscribe function. */
export async function subscribeAppEvents(redis: Redis, prefix: string, onChange: (appId: string) => void): Promise<() => Promise<void>> {
  const sub = redis.duplicate();
  sub.on('error', () => {}); // reconnects by itself; the main connection already logs Redis errors
  await sub.subscribe(`${prefix}:${CHANNEL}`);
  sub.on('message', (_channel: string, appId: string) => onChange(appId));
  return async () => {
    await sub.quit().catch(() => sub.disconnect());
  };
}
