import type { StoredEvent, Subscription, SubscriptionMessage } from '../port';
import { decodeRow, type EventRow } from './rows';

/** What a subscription needs from the store: pages of the log, and a wake-up when this process appends. */
export interface LogSource {
  /** rows with position > after, in position order, at most `limit`; throws StoreUnavailable once closed */
  readPage(after: bigint, limit: number): EventRow[];
  onAppend(wake: () => void): () => void;
}

export interface SubscriptionOptions {
  after: bigint;
  pageSize: number;
  /** how often a waiting subscription looks for appends made by another process on the same file */
  pollIntervalMs: number;
  onClose: () => void;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * Catch-up then live, pulled one message at a time: a page is read only when the previous one was consumed,
 * so a slow consumer holds at most one page in memory. Single consumer; concurrent `next()` calls are served
 * in order. The wait for new events is the only timer, and only while a `next()` is pending.
 */
export class EmbeddedSubscription implements Subscription, AsyncIterator<SubscriptionMessage> {
  private after: bigint;
  private page: EventRow[] = [];
  private index = 0;
  private caughtUp = false;
  private closed = false;
  private tail: Promise<unknown> = Promise.resolve();
  private wake: (() => void) | undefined;

  constructor(
    private readonly source: LogSource,
    private readonly options: SubscriptionOptions,
  ) {
    this.after = options.after;
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    return this;
  }

  next(): Promise<IteratorResult<SubscriptionMessage>> {
    const result = this.tail.then(() => this.pull());
    this.tail = result.catch(() => undefined);
    return result;
  }

  async return(): Promise<IteratorResult<SubscriptionMessage>> {
    await this.close();
    return DONE;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.page = [];
    this.wake?.();
    this.options.onClose();
  }

  private async pull(): Promise<IteratorResult<SubscriptionMessage>> {
    try {
      for (;;) {
        if (this.closed) return DONE;
        const row = this.page[this.index];
        if (row) {
          this.index += 1;
          const event: StoredEvent = decodeRow(row);
          this.after = event.position;
          return { done: false, value: { kind: 'event', event } };
        }
        this.page = this.source.readPage(this.after, this.options.pageSize);
        this.index = 0;
        if (this.page.length > 0) continue;
        if (!this.caughtUp) {
          this.caughtUp = true;
          return { done: false, value: { kind: 'caught-up' } };
        }
        await this.nextAppendOrPoll();
      }
    } catch (error) {
      // the consumer's for-await ends on the error without calling return(): release the subscription here
      await this.close();
      throw error;
    }
  }

  private nextAppendOrPoll(): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        unsubscribe();
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(wake, this.options.pollIntervalMs);
      const unsubscribe = this.source.onAppend(wake);
      this.wake = wake;
    });
  }
}
