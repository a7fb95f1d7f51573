import { httpStatusOf, isAppError } from '../errors.ts';

/** The HTTP status of the AppError `promise` rejects with (the code itself may be refined; the status is the contract). */
export async function rejectionStatus(promise: Promise<unknown>): Promise<number | string> {
  try {
    await promise;
  } catch (error) {
    return isAppError(error) ? httpStatusOf(error.code) : `not an AppError: ${String(error)}`;
  }
  return 'resolved';
}
