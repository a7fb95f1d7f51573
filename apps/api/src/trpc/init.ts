import {
  AppError,
  authenticateSubscriber,
  describeIssues,
  fieldErrorsOf,
  isAppError,
  toAppError,
  toErrorBody,
  type ErrorCode,
  type IssueLike,
} from '@aquoris/core';
import { initTRPC, TRPCError } from '@trpc/server';
import type { CreateExpressContextOptions } from '@trpc/server/adapters/express';
import type { Request, Response } from 'express';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { parse as parseCookies } from 'cookie';
import type { AdminHttpOptions, ApiDeps } from '../context.ts';
import { SUBSCRIBER_COOKIE } from '../http/session-route.ts';

export interface TrpcContext {
  deps: ApiDeps;
  cookies: Record<string, string | undefined>;
  requestId: string;
  /** The Express request and response: the admin procedures read the origin and client address, and set the session cookie. */
  req: Request;
  res: Response;
  /** The admin console's HTTP settings (login limit, proxy trust). */
  admin: AdminHttpOptions;
}

export function createContextFactory(deps: ApiDeps, admin: AdminHttpOptions) {
  return ({ req, res }: CreateExpressContextOptions): TrpcContext => ({
    deps,
    cookies: parseCookies(req.headers.cookie ?? ''),
    requestId: req.ctx.requestId,
    req,
    res,
    admin,
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
  408: 'TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_CONTENT',
  429: 'TOO_MANY_REQUESTS',
  431: 'BAD_REQUEST',
  500: 'INTERNAL_SERVER_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

/** What tRPC itself raises (unknown procedure, wrong method, ...), as the AppError code REST uses for the same thing. */
const APP_CODES: Partial<Record<TRPCError['code'], ErrorCode>> = {
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_SUPPORTED: 'METHOD_NOT_ALLOWED',
  TIMEOUT: 'REQUEST_TIMEOUT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
};

function schemaIssuesOf(cause: unknown): readonly IssueLike[] | undefined {
  if (typeof cause !== 'object' || cause === null || !('issues' in cause)) return undefined;
  return Array.isArray(cause.issues) ? (cause.issues as IssueLike[]) : undefined;
}

/**
 * Every tRPC failure as the AppError REST would answer for it. An input that fails its schema (tRPC's
 * BAD_REQUEST carrying the schema's issues) is core's VALIDATION_ERROR with core's readable line; so is
 * input tRPC could not read at all (not JSON, not an object for a batch), as REST treats a malformed body.
 */
export function appErrorOfTrpc(error: TRPCError): AppError {
  const cause = error.cause;
  if (isAppError(cause)) return cause;
  if (error.code === 'BAD_REQUEST' || error.code === 'PARSE_ERROR') {
    const issues = schemaIssuesOf(cause);
    return new AppError('VALIDATION_ERROR', issues ? describeIssues(issues) : error.message, {
      cause: error,
      ...(issues ? { details: { fields: fieldErrorsOf(issues) } } : {}),
    });
  }
  const code = APP_CODES[error.code];
  return code ? new AppError(code, error.message, { cause: error }) : toAppError(cause ?? error);
}

/**
 * What a form needs beside the message, for client errors only: the message per field (`fieldErrors`,
 * from a schema's issues or a core rule naming its field) and, when rate limited, the seconds to wait.
 */
function clientDetailsOf(error: AppError): { fieldErrors?: Record<string, string>; retryAfterSeconds?: number } {
  if (!error.isClientError || !error.details) return {};
  const { fields, retryAfterSeconds } = error.details;
  return {
    ...(typeof fields === 'object' && fields !== null ? { fieldErrors: fields as Record<string, string> } : {}),
    ...(typeof retryAfterSeconds === 'number' ? { retryAfterSeconds } : {}),
  };
}

const t = initTRPC.context<TrpcContext>().create({
  /** The REST envelope's fields (core's toErrorBody) in tRPC's shape: message, data.appCode, data.userMessage, the same status. */
  errorFormatter({ shape, error, ctx }) {
    const appError = appErrorOfTrpc(error);
    const body = toErrorBody(appError).error;
    const trpcCode = TRPC_CODES[appError.status] ?? 'INTERNAL_SERVER_ERROR';
    return {
      code: TRPC_ERROR_CODES_BY_KEY[trpcCode],
      message: body.message,
      data: {
        code: trpcCode,
        httpStatus: appError.status,
        path: shape.data.path,
        appCode: body.code,
        ...(body.userMessage === undefined ? {} : { userMessage: body.userMessage }),
        ...clientDetailsOf(appError),
        requestId: ctx?.requestId,
      },
    };
  },
});

/** Server-side failures are logged in full with the request id; the caller only sees generic words (the formatter). */
const errorLogging = t.middleware(async ({ next, ctx }) => {
  const result = await next();
  if (!result.ok) {
    const appError = appErrorOfTrpc(result.error);
    if (!appError.isClientError)
      ctx.deps.log.error({ err: appError.cause ?? result.error, code: appError.code, requestId: ctx.requestId }, 'trpc procedure failed');
  }
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(errorLogging);

/** Authorised by the subscriber session cookie set by GET /session/<token>. */
export const subscriberProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const subscriber = await authenticateSubscriber(ctx.deps, ctx.cookies[SUBSCRIBER_COOKIE]);
  return next({ ctx: { ...ctx, actor: subscriber.actor, session: subscriber.session } });
});
