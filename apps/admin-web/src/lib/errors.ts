/** What the server's error formatter sends (apps/api/src/trpc/init.ts), read defensively. */
interface ErrorData {
  appCode?: string;
  httpStatus?: number;
  fieldErrors?: Record<string, string>;
  retryAfterSeconds?: number;
}

function dataOf(error: unknown): ErrorData {
  if (typeof error !== 'object' || error === null || !('data' in error)) return {};
  const data = (error as { data?: unknown }).data;
  return typeof data === 'object' && data !== null ? (data as ErrorData) : {};
}

export const appCodeOf = (error: unknown): string | undefined => dataOf(error).appCode;
export const isUnauthorized = (error: unknown): boolean => dataOf(error).httpStatus === 401;
export const fieldErrorsOf = (error: unknown): Record<string, string> => dataOf(error).fieldErrors ?? {};
export const retryAfterOf = (error: unknown): number | undefined => dataOf(error).retryAfterSeconds;

/** One readable sentence for the form's top: the server's message (never a JSON dump or a stack). */
export function messageOf(error: unknown): string {
  if (error instanceof Error && error.message && !error.message.trimStart().startsWith('{')) return error.message;
  return 'Something went wrong. Try again.';
}
