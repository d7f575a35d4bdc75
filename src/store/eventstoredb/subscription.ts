/**
 * The global log as a pull-based subscription over subscribeToAll. Only events of the ledger's log reach the
 * consumer; a bounded buffer sits between the client's stream and the consumer, and the client's stream is paused
 * while it is full. A dropped connection (or a server that drops a slow consumer) is resubscribed with backoff from
 * the last event received, so every event is delivered once, in log order.
 *
 * Caught-up: the head of the log (the last event the server-side filter lets through) is read before subscribing;
 * the subscription has caught up once it received an event at or past it. This works with every server version.
 * Servers from 23.10 also say so themselves (the client's 'caughtUp' event), which still counts when the head event
 * went away (scavenged, truncated) before the subscription reached it; whichever comes first counts.
 */
import {
  AccessDeniedError,
  excludeSystemEvents,
  START,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import { StoreError, StoreUnavailable } from '../errors';
import type { StoredEvent, Subscription, SubscriptionMessage } from '../port';
import { isConnectionFailure, translateClientError, withDeadline } from './errors';
import { toStoredEvent } from './events';

export interface SubscriptionSettings {
  /** events held for the consumer before the client's stream is paused */
  bufferSize: number;
  /** first wait before resubscribing; doubles with each failed attempt up to retryMaxMs */
  retryInitialMs: number;
  retryMaxMs: number;
  timeoutMs: number;
}

export interface SubscriptionSource {
  client: EventStoreDBClient;
  inLedgerLog(stream: string, type: string): boolean;
  /** position of the last event whose type is not a system type (what the server-side filter lets through) */
  lastUnfilteredPosition(): Promise<bigint | null>;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

interface Waiter {
  resolve(result: IteratorResult<SubscriptionMessage>): void;
  reject(error: unknown): void;
}

export class EventStoreDbSubscription implements Subscription, AsyncIterator<SubscriptionMessage> {
  private readonly queue: SubscriptionMessage[] = [];
  private readonly waiters: Waiter[] = [];
  private current: AllStreamSubscription | undefined;
  private paused = false;
  /** events received on the current client subscription, and where in that count the server said caught up */
  private received = 0;
  private serverCaughtUpAt: number | undefined;
  /** the last event received from the server (whether the consumer gets it or not); resubscriptions start after it */
  private lastReceived: bigint | undefined;
  private head: bigint | null | undefined;
  private caughtUp = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private failure: { error: unknown } | undefined;
  private closed = false;

  constructor(
    private readonly source: SubscriptionSource,
    private readonly settings: SubscriptionSettings,
    after: bigint | undefined,
    private readonly onClose: () => void,
  ) {
    this.lastReceived = after;
    void this.connect();
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    return this;
  }

  next(): Promise<IteratorResult<SubscriptionMessage>> {
    const message = this.queue.shift();
    if (message) {
      this.resumeWhenDrained();
      return Promise.resolve({ done: false, value: message });
    }
    if (this.failure) {
      const { error } = this.failure;
      this.failure = undefined;
      return this.close().then(() => Promise.reject(error));
    }
    if (this.closed) return Promise.resolve(DONE);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  async return(): Promise<IteratorResult<SubscriptionMessage>> {
    await this.close();
    return DONE;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.queue.length = 0;
    for (const waiter of this.waiters.splice(0)) waiter.resolve(DONE);
    const current = this.current;
    this.current = undefined;
    if (current) await release(current);
    this.onClose();
  }

  private async connect(): Promise<void> {
    this.retryTimer = undefined;
    if (this.closed) return;
    try {
      if (!this.caughtUp && this.head === undefined) {
        const head = await withDeadline('subscribe to $all: read the head', this.settings.timeoutMs, () =>
          this.source.lastUnfilteredPosition(),
        );
        if (this.closed) return;
        this.head = head;
        this.checkHead();
      }
      this.open();
    } catch (error) {
      this.dropped(error);
    }
  }

  private open(): void {
    const from = this.lastReceived;
    const subscription = this.source.client.subscribeToAll({
      fromPosition: from === undefined ? START : { commit: from, prepare: from },
      filter: excludeSystemEvents(),
    });
    this.current = subscription;
    this.received = 0;
    this.serverCaughtUpAt = undefined;
    this.paused = false;
    subscription.on('data', (resolved: AllStreamResolvedEvent) => {
      if (subscription === this.current) this.receive(subscription, resolved);
    });
    subscription.on('caughtUp', () => {
      if (subscription === this.current) this.serverCaughtUp(subscription);
    });
    subscription.on('confirmation', () => {
      if (subscription === this.current) this.attempt = 0;
    });
    subscription.on('error', (error: Error) => {
      if (subscription === this.current) this.dropped(error);
    });
    subscription.on('end', () => {
      if (subscription === this.current) this.dropped(new StoreUnavailable('subscription to $all: the server ended it'));
    });
  }

  private receive(subscription: AllStreamSubscription, resolved: AllStreamResolvedEvent): void {
    this.received += 1;
    const recorded = resolved.event;
    if (!recorded?.position) return this.fail(new StoreError('subscription to $all: an event came without its position'));
    const position = recorded.position.commit;
    // a resubscription starts after the last event received; anything at or before it was delivered already
    if (this.lastReceived === undefined || position > this.lastReceived) {
      this.lastReceived = position;
      if (this.source.inLedgerLog(recorded.streamId, recorded.type)) {
        let event: StoredEvent;
        try {
          event = toStoredEvent(recorded);
        } catch (error) {
          return this.fail(error);
        }
        this.push({ kind: 'event', event });
      }
    }
    this.checkHead();
    if (!this.caughtUp && this.serverCaughtUpAt !== undefined && this.received >= this.serverCaughtUpAt) this.markCaughtUp();
    if (!this.paused && this.queue.length >= this.settings.bufferSize) {
      this.paused = true;
      subscription.pause();
    }
  }

  /**
   * The client emits 'caughtUp' when it processes the server's message, while events before it may still wait in
   * the stream's buffer: caught-up is due once those have been received.
   */
  private serverCaughtUp(subscription: AllStreamSubscription): void {
    if (this.caughtUp) return;
    const due = this.received + subscription.readableLength;
    if (due <= this.received) this.markCaughtUp();
    else this.serverCaughtUpAt = due;
  }

  private checkHead(): void {
    if (this.caughtUp || this.head === undefined) return;
    if (this.head === null || (this.lastReceived !== undefined && this.lastReceived >= this.head)) this.markCaughtUp();
  }

  private markCaughtUp(): void {
    this.caughtUp = true;
    this.push({ kind: 'caught-up' });
  }

  private push(message: SubscriptionMessage): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve({ done: false, value: message });
    else this.queue.push(message);
  }

  private resumeWhenDrained(): void {
    if (this.paused && this.current && this.queue.length <= this.settings.bufferSize / 2) {
      this.paused = false;
      this.current.resume();
    }
  }

  private dropped(error: unknown): void {
    const current = this.current;
    this.current = undefined;
    if (current) void release(current);
    if (this.closed) return;
    const translated = translateClientError(error, 'subscription to $all');
    const retry = (isConnectionFailure(error) || translated instanceof StoreUnavailable) && !(error instanceof AccessDeniedError);
    if (!retry) return this.fail(translated);
    const delay = Math.min(this.settings.retryMaxMs, this.settings.retryInitialMs * 2 ** this.attempt);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  /** Ends the subscription with an error: the consumer gets what is buffered, then the error, then the end. */
  private fail(error: unknown): void {
    if (this.closed || this.failure) return;
    const current = this.current;
    this.current = undefined;
    if (current) void release(current);
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter.reject(error);
      void this.close();
    } else {
      this.failure = { error };
    }
  }
}

/**
 * Cancels a client subscription's call. Its listeners stay attached: they ignore a subscription that is no longer
 * the current one, and the error listener keeps a late error from being unhandled.
 */
async function release(subscription: AllStreamSubscription): Promise<void> {
  await subscription.unsubscribe().catch(() => undefined);
  subscription.destroy();
}
