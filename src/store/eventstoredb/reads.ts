import { StreamNotFoundError, type StreamingRead } from '@eventstore/db-client';
import { translateClientError, withDeadline } from './errors';

/**
 * A read from the client as an async stream, pulled one event at a time (never collected whole). Each wait for the
 * server runs under the deadline: the client reads without one, so a server that stops answering would hang the
 * reader. Stopping early (break, an error in the consumer) cancels the call, so the server stops sending.
 * The server answers a read of a stream that does not exist with StreamNotFound: that reads as empty.
 */
export async function* pull<E>(what: string, timeoutMs: number, open: () => StreamingRead<E>): AsyncGenerator<E, void, undefined> {
  const read = open();
  const cancel = () => {
    read.cancel().catch(() => undefined);
  };
  const events = read[Symbol.asyncIterator]();
  const next = async (): Promise<IteratorResult<E>> => {
    try {
      return await events.next();
    } catch (error) {
      if (error instanceof StreamNotFoundError) return { done: true, value: undefined };
      throw error;
    }
  };
  let complete = false;
  try {
    for (;;) {
      const result = await withDeadline(what, timeoutMs, next, cancel);
      if (result.done) break;
      yield result.value;
    }
    complete = true;
  } catch (error) {
    throw translateClientError(error, what);
  } finally {
    if (!complete) {
      cancel();
      await events.return?.().catch(() => undefined);
    }
  }
}
