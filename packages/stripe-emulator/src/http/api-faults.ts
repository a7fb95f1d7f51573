import { StripeApiError, type StripeErrorBody } from '../core/errors.ts';
import { invalidRequest } from '../core/errors.ts';
import { newId } from '../core/ids.ts';

export interface ApiFault {
  id: string;
  method: string | null;
  path: string;
  status: number | null;
  /** Requests still to be affected; null = until cleared. */
  times: number | null;
  latencyMs: number;
  /** Sets Stripe-Should-Retry, which stripe-node obeys before its own status rules. */
  shouldRetry: boolean | null;
}

/** Injected API failures (POST /__emulator/faults), applied to /v1 requests before they execute. */
export class ApiFaults {
  private faults: ApiFault[] = [];

  add(body: Record<string, unknown>): ApiFault {
    if (typeof body.path !== 'string' || !body.path.startsWith('/')) throw invalidRequest('path is required and must start with /', 'path');
    const status = optionalNumber(body, 'status');
    const latencyMs = optionalNumber(body, 'latencyMs') ?? 0;
    if (status === null && latencyMs === 0) throw invalidRequest('give a status, a latencyMs, or both', 'status');
    const fault: ApiFault = {
      id: newId('fault'),
      method: typeof body.method === 'string' ? body.method.toUpperCase() : null,
      path: body.path,
      status,
      times: optionalNumber(body, 'times'),
      latencyMs,
      shouldRetry: typeof body.shouldRetry === 'boolean' ? body.shouldRetry : null,
    };
    this.faults.push(fault);
    return fault;
  }

  list(): ApiFault[] {
    return this.faults;
  }

  clear(): void {
    this.faults = [];
  }

  /** Waits out the latency of the first matching fault, then throws its error if it has a status. */
  async apply(method: string, path: string): Promise<void> {
    const fault = this.faults.find((f) => (f.method === null || f.method === method) && matches(f.path, path));
    if (!fault) return;
    if (fault.times !== null) {
      fault.times -= 1;
      if (fault.times <= 0) this.faults = this.faults.filter((f) => f !== fault);
    }
    if (fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
    if (fault.status === null) return;
    const headers: Record<string, string> = fault.shouldRetry === null ? {} : { 'Stripe-Should-Retry': String(fault.shouldRetry) };
    throw new StripeApiError(fault.status, errorBodyFor(fault.status), headers);
  }
}

function errorBodyFor(status: number): StripeErrorBody {
  if (status === 409) {
    return {
      type: 'invalid_request_error',
      code: 'lock_timeout',
      message:
        'This object cannot be accessed right now because another API request or Stripe process is currently accessing it. (Injected by the Stripe emulator.)',
    };
  }
  if (status === 429) {
    return { type: 'invalid_request_error', code: 'rate_limit', message: 'Request rate limit exceeded. (Injected by the Stripe emulator.)' };
  }
  if (status >= 500) return { type: 'api_error', message: 'An unknown error occurred. (Injected by the Stripe emulator.)' };
  return { type: 'invalid_request_error', message: `Injected ${status} error from the Stripe emulator.` };
}

/** A path with `:param` (one segment) or `*` (anything) is matched whole; any other path is a prefix. */
function matches(pattern: string, path: string): boolean {
  if (!pattern.includes('*') && !pattern.includes(':')) return path.startsWith(pattern);
  const source = pattern
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/:[A-Za-z_]\w*/g, '[^/]+')
    .replace(/\*/g, '.*');
  return new RegExp(`^${source}$`).test(path);
}

function optionalNumber(body: Record<string, unknown>, key: string): number | null {
  const value = body[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalidRequest(`${key} must be a non-negative number`, key);
  return value;
}
