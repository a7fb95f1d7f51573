import { authenticateSubscriber, toAppError, type ErrorCode } from '@aquoris/core';
import { initTRPC, TRPCError } from '@trpc/server';
import type { CreateExpressContextOptions } from '@trpc/server/adapters/express';
import { parse as parseCookies } from 'cookie';
import type { ApiDeps } from '../context.ts';
import { SUBSCRIBER_COOKIE } from '../http/session-route.ts';

export interface TrpcContext {
  deps: ApiDeps;
  cookies: Record<string, string | undefined>;
  requestId: string;
}

export function createContextFactory(deps: ApiDeps) {
  return ({ req }: CreateExpressContextOptions): TrpcContext => ({
    deps,
    cookies: parseCookies(req.headers.cookie ?? ''),
    requestId: req.ctx.requestId,
  });
}

/** The one code → status table, seen from tRPC: each AppError code maps to the tRPC code of the same HTTP status. */
const TRPC_CODES: Record<number, TRPCError['code']> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  402: 'PAYMENT_REQUIRED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_SUPPORTED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_CONTENT',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
};

const t = initTRPC.context<TrpcContext>().create({
  errorFormatter({ shape, error, ctx }) {
    const appError = toAppError(error.cause ?? error);
    const code: ErrorCode = error.code === 'BAD_REQUEST' && !(error.cause && 'code' in error.cause) ? 'VALIDATION_ERROR' : appError.code;
    const isClient = code === 'VALIDATION_ERROR' || appError.isClientError;
    return {
      ...shape,
      message: isClient ? error.message : 'Internal server error',
      data: { ...shape.data, stack: undefined, appCode: code, requestId: ctx?.requestId },
    };
  },
});

/** Core's AppErrors become TRPCErrors with the matching code; unknown errors are logged and hidden. */
const errorMapping = t.middleware(async ({ next, ctx }) => {
  const result = await next();
  if (!result.ok) {
    const appError = toAppError(result.error.cause ?? result.error);
    if (result.error.code === 'INTERNAL_SERVER_ERROR' && result.error.cause) {
      if (!appError.isClientError) ctx.deps.log.error({ err: result.error.cause, requestId: ctx.requestId }, 'trpc procedure failed');
      throw new TRPCError({ code: TRPC_CODES[appError.status] ?? 'INTERNAL_SERVER_ERROR', message: appError.message, cause: appError });
    }
  }
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(errorMapping);

/** Authorised by the subscriber session cookie set by GET /session/<token>. */
export const subscriberProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const subscriber = await authenticateSubscriber(ctx.deps, ctx.cookies[SUBSCRIBER_COOKIE]);
  return next({ ctx: { ...ctx, actor: subscriber.actor, session: subscriber.session } });
});
