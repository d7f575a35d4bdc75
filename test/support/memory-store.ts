import { ConcurrencyConflict, StoreUnavailable } from '../../src/store/errors';
import type {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  Subscription,
  SubscriptionMessage,
} from '../../src/store/port';

/**
 * An in-memory EventStore implementing the port: a fast test double. Positions count from 1 like the embedded
 * store's row numbers. Stored events are deep copies (data and metadata as JSON would give them back), so a test
 * cannot change the log by mutating what it appended or read.
 */
export class MemoryEventStore implements EventStore {
  readonly description = 'memory';
  private readonly log: StoredEvent[] = [];
  private readonly byStream = new Map<string, StoredEvent[]>();
  private readonly waiting = new Set<() => void>();
  private closed = false;
  /** when set, every operation throws StoreUnavailable (to test reconnects) */
  unavailable = false;

  async append(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    this.check();
    const existing = this.byStream.get(stream) ?? [];
    const retried = events.length > 0 && events.every((e) => existing.some((s) => s.eventId === e.eventId));
    if (retried) {
      const last = existing.filter((s) => events.some((e) => e.eventId === s.eventId)).at(-1)!;
      return { revision: last.revision, position: last.position };
    }
    const actual = existing.length === 0 ? 'no-stream' : BigInt(existing.length - 1);
    const ok =
      expected === 'any' ||
      (expected === 'no-stream' && actual === 'no-stream') ||
      (expected === 'exists' && actual !== 'no-stream') ||
      (typeof expected === 'bigint' && actual === expected);
    if (!ok) throw new ConcurrencyConflict(stream, expected, actual);
    for (const event of events) {
      const stored: StoredEvent = {
        position: BigInt(this.log.length + 1),
        stream,
        revision: BigInt(existing.length),
        eventId: event.eventId,
        type: event.type,
        data: copy(event.data),
        metadata: copy(event.metadata) as Record<string, unknown>,
      };
      existing.push(stored);
      this.log.push(stored);
    }
    this.byStream.set(stream, existing);
    for (const wake of [...this.waiting]) wake();
    const last = existing[existing.length - 1]!;
    return { revision: last.revision, position: last.position };
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<StoredEvent> {
    this.check();
    const events = this.byStream.get(stream) ?? [];
    const backwards = options.direction === 'backwards';
    const ordered = backwards ? [...events].reverse() : events;
    const from = options.fromRevision;
    const selected = ordered.filter((e) => from === undefined || (backwards ? e.revision <= from : e.revision >= from));
    for (const event of selected.slice(0, options.maxCount ?? Infinity)) yield copyEvent(event);
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<StoredEvent> {
    this.check();
    const backwards = options.direction === 'backwards';
    const after = options.after;
    const selected = (backwards ? [...this.log].reverse() : this.log).filter((e) =>
      after === undefined ? true : backwards ? e.position < after : e.position > after,
    );
    for (const event of selected.slice(0, options.maxCount ?? Infinity)) yield copyEvent(event);
  }

  subscribe(options: { after?: bigint } = {}): Subscription {
    this.check();
    const store = this;
    let next = options.after === undefined ? 0 : Number(options.after);
    let caughtUp = false;
    let closed = false;
    let wakeThis: (() => void) | undefined;
    const iterator: AsyncIterator<SubscriptionMessage> = {
      async next(): Promise<IteratorResult<SubscriptionMessage>> {
        for (;;) {
          if (closed) return { done: true, value: undefined };
          store.check();
          const event = store.log[next];
          if (event) {
            next += 1;
            return { done: false, value: { kind: 'event', event: copyEvent(event) } };
          }
          if (!caughtUp) {
            caughtUp = true;
            return { done: false, value: { kind: 'caught-up' } };
          }
          await new Promise<void>((resolve) => {
            wakeThis = () => {
              store.waiting.delete(wakeThis!);
              resolve();
            };
            store.waiting.add(wakeThis);
          });
        }
      },
      async return(): Promise<IteratorResult<SubscriptionMessage>> {
        await subscription.close();
        return { done: true, value: undefined };
      },
    };
    const subscription: Subscription = {
      [Symbol.asyncIterator]: () => iterator,
      async close() {
        closed = true;
        wakeThis?.();
      },
    };
    return subscription;
  }

  async headPosition(): Promise<bigint | null> {
    this.check();
    return this.log.length === 0 ? null : BigInt(this.log.length);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of [...this.waiting]) wake();
  }

  /** for tests: how many events the log holds */
  get size(): number {
    return this.log.length;
  }

  /** fails waiting subscriptions too, as a lost connection would */
  setUnavailable(value: boolean): void {
    this.unavailable = value;
    if (value) for (const wake of [...this.waiting]) wake();
  }

  private check(): void {
    if (this.closed) throw new StoreUnavailable('the memory store is closed');
    if (this.unavailable) throw new StoreUnavailable('the memory store is unavailable');
  }
}

function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function copyEvent(event: StoredEvent): StoredEvent {
  return { ...event, data: copy(event.data), metadata: copy(event.metadata) as Record<string, unknown> };
}
