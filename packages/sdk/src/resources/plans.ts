import type { HttpClient, RequestOptions } from '../http.ts';
import type { PlanList } from '../types.ts';

export class Plans {
  readonly #http: HttpClient;

  constructor(http: HttpClient) {
    this.#http = http;
  }

  /** The active plans (`GET /api/v1/plans`), as `{ plans }`. Prices are integer minor units. */
  list(options?: RequestOptions): Promise<PlanList> {
    return this.#http.request<PlanList>({ method: 'GET', path: '/api/v1/plans' }, options);
  }
}
