import { AsyncLocalStorage } from 'node:async_hooks';

// Events record which API request caused them (`event.request`). Threading that through every
// domain function would add a parameter everywhere, so the HTTP layer runs each handler inside
// this context and the event bus reads it. Work triggered by the clock runs outside it: null ids.
export interface RequestContext {
  requestId: string;
  idempotencyKey: string | null;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();
