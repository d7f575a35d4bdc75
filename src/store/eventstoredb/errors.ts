/** The client's errors in the store's terms, and the deadline every call to the server runs under. */
import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  InvalidArgumentError,
  isCommandError,
  NotLeaderError,
  TimeoutError,
  UnavailableError,
  UnknownError,
} from '@eventstore/db-client';
import { StoreError, StoreUnavailable } from '../errors';

/**
 * Translates what the client threw; our own errors and errors of our code (TypeError and the like) pass through.
 * WrongExpectedVersionError is translated where the expectation is known (the append).
 */
export function translateClientError(error: unknown, what: string): unknown {
  if (error instanceof StoreError) return error;
  if (error instanceof Error && isCommandError(error)) {
    if (isConnectionFailure(error) || error instanceof AccessDeniedError) {
      return new StoreUnavailable(`${what}: ${error.message || error.type}`, error);
    }
    if (error instanceof InvalidArgumentError) return new TypeError(`${what}: ${error.message}`);
    // stream deleted, append too large, and what else the server refuses for a reason of its own
    return new StoreError(`${what}: ${error.message || error.type}`, { cause: error });
  }
  // discovery and channel set-up fail with plain errors before any call is made
  if (error instanceof Error && /discover|connect|ECONNREFUSED|ENOTFOUND|EAI_AGAIN/i.test(error.message)) {
    return new StoreUnavailable(`${what}: ${error.message}`, error);
  }
  return error;
}

/** The server could not be reached, went away, or gave up on the call: worth trying again later. */
export function isConnectionFailure(error: unknown): boolean {
  return (
    error instanceof StoreUnavailable ||
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof CancelledError ||
    error instanceof NotLeaderError ||
    // the client reports a connection that ended mid-call ("write after end", reset streams) as unknown
    error instanceof UnknownError
  );
}

/**
 * Runs `call` under our own deadline. The client's deadlines do not cover everything (reads and the batch-append
 * stream run without one), so a server that accepts connections but never answers would otherwise hang the caller.
 * On timeout `abandon` releases what the call holds; the call's late outcome is swallowed.
 */
export async function withDeadline<T>(what: string, ms: number, call: () => Promise<T>, abandon?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const pending = call();
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      pending.catch(() => undefined);
      abandon?.();
      reject(new StoreUnavailable(`${what}: no answer from EventStoreDB within ${ms} ms`));
    }, ms);
    // a call in flight keeps the process alive by itself; the deadline alone must not (e.g. after close())
    timer.unref();
  });
  try {
    return await Promise.race([pending, expired]);
  } catch (error) {
    throw translateClientError(error, what);
  } finally {
    clearTimeout(timer);
  }
}
