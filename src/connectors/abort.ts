/**
 * How a connector's `run` ends when its `signal` aborts (the attempt's timeout passed, or the worker is stopping):
 * it rejects with an error named `AbortError` or `TimeoutError`, the names the platform uses, and the executor
 * (respond/executor.ts) tells a timeout from a failure by that name. `AbortSignal.timeout()` aborts with a
 * `TimeoutError`, which is passed through as it is.
 */

/** True for the error a connector rejects with when its signal aborted. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/** The error to reject with for an aborted signal: its reason when that is already an abort error. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (isAbortError(reason)) return reason as Error;
  const error = new Error('the action was aborted', reason === undefined ? undefined : { cause: reason });
  error.name = 'AbortError';
  return error;
}
