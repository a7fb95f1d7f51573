/** Upper bounds of the request-duration buckets, in seconds. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Methods labelled by name; any other is `OTHER` (a client may send anything). */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

interface Series {
  labels: { method: string; route: string; status: string };
  /** Per bucket, not cumulative; the last one is +Inf. */
  counts: number[];
  sum: number;
  count: number;
}

interface Sample {
  metricName: string;
  labels: Record<string, string | number>;
  value: number;
}

/**
 * `aqb_http_request_duration_seconds`, a Prometheus histogram by method, route template and status, as a
 * metric of the registry (the shape prom-client's Registry reads: name, help, type, get, reset). Made by
 * hand because prom-client's own Histogram validates and hashes the labels on every observation, which
 * costs the eligibility fast path about 3 µs a request; here an observation is a map lookup and three adds.
 */
export class RequestDurations {
  readonly name = 'aqb_http_request_duration_seconds';
  readonly help = 'HTTP request duration, by method, route template and status';
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  /** By route, then by status and method together (numbers: no key string is built per request). */
  private readonly series = new Map<string, Map<number, Series>>();

  observe(method: string, route: string, status: number, seconds: number): void {
    let byRoute = this.series.get(route);
    if (!byRoute) {
      byRoute = new Map();
      this.series.set(route, byRoute);
    }
    const methodIndex = METHODS.indexOf(method);
    const key = status * 16 + (methodIndex === -1 ? METHODS.length : methodIndex);
    let series = byRoute.get(key);
    if (!series) {
      const labels = { method: methodIndex === -1 ? 'OTHER' : method, route, status: String(status) };
      series = { labels, counts: new Array<number>(BUCKETS.length + 1).fill(0), sum: 0, count: 0 };
      byRoute.set(key, series);
    }
    let bucket = 0;
    while (bucket < BUCKETS.length && seconds > BUCKETS[bucket]!) bucket++;
    series.counts[bucket]!++;
    series.sum += seconds;
    series.count++;
  }

  get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: Sample[] }> {
    const values: Sample[] = [];
    for (const { labels, counts, sum, count } of [...this.series.values()].flatMap((byRoute) => [...byRoute.values()])) {
      let cumulative = 0;
      for (let i = 0; i <= BUCKETS.length; i++) {
        cumulative += counts[i]!;
        values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: i < BUCKETS.length ? BUCKETS[i]! : '+Inf' }, value: cumulative });
      }
      values.push({ metricName: `${this.name}_sum`, labels, value: sum }, { metricName: `${this.name}_count`, labels, value: count });
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }

  reset(): void {
    this.series.clear();
  }
}
