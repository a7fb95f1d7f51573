// The image's HEALTHCHECK, copied beside the API's package.json (/app/api) so it resolves the API's own
// dependencies. `node healthcheck.mjs` passes when this container's API answers GET /api/health with 200
// (503 is degraded). `node healthcheck.mjs worker` is the worker container's: the worker serves no HTTP, so
// it checks that Redis, which it works from, answers PING. Exit 0 healthy, 1 not (what Docker expects).
import { Redis } from 'ioredis';

const TIMEOUT_MS = 4000;
const fail = (why) => {
  console.error(`unhealthy: ${why}`);
  process.exit(1);
};

if (process.argv[2] === 'worker') {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    lazyConnect: true,
    connectTimeout: TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  redis
    .connect()
    .then(() => redis.ping())
    .then(
      (reply) => (reply === 'PONG' ? process.exit(0) : fail(`Redis answered ${reply}`)),
      (error) => fail(`Redis: ${error.message}`),
    );
} else {
  fetch(`http://127.0.0.1:${process.env.PORT ?? '3000'}/api/health`, { signal: AbortSignal.timeout(TIMEOUT_MS) }).then(
    (res) => (res.status === 200 ? process.exit(0) : fail(`/api/health answered ${res.status}`)),
    (error) => fail(`/api/health: ${error.message}`),
  );
}
