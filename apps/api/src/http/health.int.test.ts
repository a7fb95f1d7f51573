import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/index.ts';

describe('GET /api/health', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('is 200 ok with a database check, without auth', async () => {
    const res = await api.request('/api/health');
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toEqual({ status: 'ok', timestamp: expect.any(String), checks: { database: 'ok' } });
    expect(Math.abs(new Date(body.timestamp).getTime() - Date.now())).toBeLessThan(5_000);
  });
});

describe('GET /api/health with the database unreachable', () => {
  let api: TestApi;
  beforeAll(async () => {
    // Nothing listens on port 9: every database call fails at once.
    api = await startTestApi({ databaseUrl: 'postgresql://postgres@127.0.0.1:9/nothing' });
  });
  afterAll(() => api.close());

  it('reports degraded with 503 instead of crashing, and keeps serving', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await api.request('/api/health');
      expect(res.status).toBe(503);
      expect((await res.json()) as any).toEqual({ status: 'degraded', timestamp: expect.any(String), checks: { database: 'error' } });
    }
    const v1 = await api.request('/api/v1/plans', { apiKey: 'aqb_whatever' });
    expect(v1.status).toBe(500);
    expect((await v1.json()) as any).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'Internal server error' } });
  });
});
