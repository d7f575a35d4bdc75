/** Helpers for the EventStoreDB adapter's tests: doubles and stores that are cleaned up, events, and a reader. */
import { randomUUID } from 'node:crypto';
import { openEventStoreDbStore, type EventStoreDbStore, type EventStoreDbStoreOptions } from '../../../src/store/eventstoredb';
import type { EventToAppend, StoredEvent, Subscription, SubscriptionMessage } from '../../../src/store/port';
import { EsdbDouble, type EsdbDoubleOptions } from './server';

export function esdbFixture() {
  const doubles: EsdbDouble[] = [];
  const stores: EventStoreDbStore[] = [];
  return {
    async start(options?: EsdbDoubleOptions): Promise<EsdbDouble> {
      const double = await EsdbDouble.start(options);
      doubles.push(double);
      return double;
    },
    async open(connection: EsdbDouble | string, options: Partial<EventStoreDbStoreOptions> = {}): Promise<EventStoreDbStore> {
      const connectionString = typeof connection === 'string' ? connection : connection.connectionString;
      const store = await openEventStoreDbStore({ connectionString, ...options });
      stores.push(store);
      return store;
    },
    async cleanup(): Promise<void> {
      for (const store of stores.splice(0)) await store.close();
      for (const double of doubles.splice(0)) await double.stop();
    },
  };
}

export function streamName(kind = 'test'): string {
  return `${kind}-${randomUUID().replace(/-/g, '')}`;
}

export function event(type: string, data: unknown = { type }): EventToAppend {
  return { eventId: randomUUID(), type, data, metadata: { test: true } };
}

export function events(prefix: string, from: number, to: number): EventToAppend[] {
  return Array.from({ length: to - from }, (_, i) => event(`${prefix}${from + i}`));
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a failure, got ${String(value)}`);
    },
    (error: unknown) => error,
  );
}

export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `condition` holds, checking every 10 ms. */
export async function eventually(condition: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`${what} did not happen within ${ms} ms`);
    await delay(10);
  }
}

/** Pulls subscription messages one at a time, each within a deadline, and keeps everything it saw. */
export class Reader {
  readonly seen: SubscriptionMessage[] = [];
  private readonly iterator: AsyncIterator<SubscriptionMessage>;

  constructor(subscription: Subscription, private readonly ms = 5000) {
    this.iterator = subscription[Symbol.asyncIterator]();
  }

  get caughtUpCount(): number {
    return this.seen.filter((message) => message.kind === 'caught-up').length;
  }

  async message(): Promise<SubscriptionMessage> {
    const result = await within(this.iterator.next(), this.ms, 'the next subscription message');
    if (result.done) throw new Error('the subscription ended unexpectedly');
    this.seen.push(result.value);
    return result.value;
  }

  async untilCaughtUp(): Promise<StoredEvent[]> {
    const found: StoredEvent[] = [];
    for (;;) {
      const message = await this.message();
      if (message.kind === 'caught-up') return found;
      found.push(message.event);
    }
  }

  /** the next `count` events that `wanted` keeps */
  async events(count: number, wanted: (e: StoredEvent) => boolean = () => true): Promise<StoredEvent[]> {
    const found: StoredEvent[] = [];
    while (found.length < count) {
      const message = await this.message();
      if (message.kind === 'event' && wanted(message.event)) found.push(message.event);
    }
    return found;
  }
}
