import { Registry, type Metric } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RequestDurations } from './request-durations.ts';

describe('RequestDurations', () => {
  it('is a Prometheus histogram: cumulative buckets, sum and count per method, route and status', async () => {
    const durations = new RequestDurations();
    const registry = new Registry();
    registry.registerMetric(durations as unknown as Metric);
    durations.observe('GET', '/api/v1/plans', 200, 0.0004);
    durations.observe('GET', '/api/v1/plans', 200, 0.003);
    durations.observe('GET', '/api/v1/plans', 200, 20);
    durations.observe('BREW', '/api/v1/plans', 200, 0.003);
    const text = await registry.metrics();
    const series = 'method="GET",route="/api/v1/plans",status="200"';
    expect(text).toContain('# TYPE aqb_http_request_duration_seconds histogram');
    expect(text).toContain(`aqb_http_request_duration_seconds_bucket{${series},le="0.0005"} 1`);
    expect(text).toContain(`aqb_http_request_duration_seconds_bucket{${series},le="0.005"} 2`);
    expect(text).toContain(`aqb_http_request_duration_seconds_bucket{${series},le="10"} 2`);
    expect(text).toContain(`aqb_http_request_duration_seconds_bucket{${series},le="+Inf"} 3`);
    expect(text).toContain(`aqb_http_request_duration_seconds_sum{${series}} 20.0034`);
    expect(text).toContain(`aqb_http_request_duration_seconds_count{${series}} 3`);
    expect(text).toContain('aqb_http_request_duration_seconds_count{method="OTHER",route="/api/v1/plans",status="200"} 1');
  });
});
