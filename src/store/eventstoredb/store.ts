/**
 * The event store port over EventStoreDB (@eventstore/db-client). Revisions are EventStoreDB's stream revisions
 * (from 0, as on the embedded store); positions are its commit positions. The global log (readAll, subscribe,
 * headPosition) leaves out EventStoreDB's own events ($-streams and $-types) and the ledger's internal streams.
 *
 * Idempotency: EventStoreDB promises that a batch retried with the same event ids and the same specific expectation
 * appends nothing twice; with 'any' or 'exists' it only remembers recent ids. The adapter relies on nothing more.
 */
import { maxCountOf, positiveInteger } from '../argument-checks';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  WrongExpectedVersionError,
  type AppendResult as ClientAppendResult,
} from '@eventstore/db-client';
import { ConcurrencyConflict, StoreError, StoreUnavailable } from '../errors';
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
} from '../port';
import { withDeadline } from './errors';
import { checkBatch, inLedgerLog, INTERNAL_STREAM_PREFIX, toEventData, toStoredEvent } from './events';
import { pull } from './reads';
import { fromClientActualRevision, toClientExpectedRevision } from './revisions';
import { EventStoreDbSubscription, type SubscriptionSettings } from './subscription';

export interface EventStoreDbStoreOptions {
  /** e.g. `esdb://localhost:2113?tls=false`, or several nodes `esdb://node1:2113,node2:2113,node3:2113?tls=false` */
  connectionString: string;
  /** how long a call waits for the server before it fails with StoreUnavailable (default 5000) */
  timeoutMs?: number;
  /** prefixes of streams that stay out of the global log besides EventStoreDB's $-streams (default ledger-internal-) */
  internalStreamPrefixes?: readonly string[];
  subscription?: Partial<Omit<SubscriptionSettings, 'timeoutMs'>>;
}

export async function openEventStoreDbStore(options: EventStoreDbStoreOptions): Promise<EventStoreDbStore> {
  return new EventStoreDbStore(options);
}

export class EventStoreDbStore implements EventStore {
  readonly description: string;
  private readonly client: EventStoreDBClient;
  private readonly timeoutMs: number;
  private readonly internalPrefixes: readonly string[];
  private readonly subscriptionSettings: SubscriptionSettings;
  private readonly subscriptions = new Set<EventStoreDbSubscription>();
  private closed = false;

  constructor(options: EventStoreDbStoreOptions) {
    this.timeoutMs = positiveInteger(options.timeoutMs ?? 5000, 'timeoutMs');
    this.internalPrefixes = options.internalStreamPrefixes ?? [INTERNAL_STREAM_PREFIX];
    this.subscriptionSettings = {
      bufferSize: positiveInteger(options.subscription?.bufferSize ?? 256, 'subscription.bufferSize'),
      retryInitialMs: positiveInteger(options.subscription?.retryInitialMs ?? 100, 'subscription.retryInitialMs'),
      retryMaxMs: positiveInteger(options.subscription?.retryMaxMs ?? 5000, 'subscription.retryMaxMs'),
      timeoutMs: this.timeoutMs,
    };
    this.client = EventStoreDBClient.connectionString(options.connectionString);
    this.description = `EventStoreDB (${serverOf(options.connectionString)})`;
  }

  async append(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    const expectedRevision = toClientExpectedRevision(expected);
    checkBatch(stream, events);
    this.ensureOpen();
    const data = events.map(toEventData);
    const result: ClientAppendResult = await withDeadline(`append to ${stream}`, this.timeoutMs, () =>
      this.client.appendToStream(stream, data, { expectedRevision, deadline: this.timeoutMs }).catch((error: unknown) => {
        if (error instanceof WrongExpectedVersionError) {
          throw new ConcurrencyConflict(stream, expected, fromClientActualRevision(error.actualVersion));
        }
        throw error;
      }),
    );
    const revision = result.nextExpectedRevision;
    // the server leaves the position out for some idempotent retries; the stored event has it
    const position = result.position?.commit ?? (await this.positionOf(stream, revision));
    return { revision, position };
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncGenerator<StoredEvent> {
    const backwards = options.direction === 'backwards';
    const maxCount = maxCountOf(options.maxCount);
    const fromRevision = options.fromRevision ?? (backwards ? END : START);
    if (typeof fromRevision === 'bigint' && fromRevision < 0n) throw new RangeError(`fromRevision must not be negative, got ${fromRevision}`);
    this.ensureOpen();
    if (maxCount === 0) return;
    const read = () =>
      this.client.readStream(stream, { fromRevision, direction: backwards ? BACKWARDS : FORWARDS, maxCount });
    for await (const resolved of pull(`read ${stream}`, this.timeoutMs, read)) {
      // links are not resolved, so every entry carries its own event
      if (resolved.event) yield toStoredEvent(resolved.event);
    }
  }

  /** Backwards, `after` means what it means on the embedded store: start below it (lower positions). */
  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<StoredEvent> {
    const backwards = options.direction === 'backwards';
    const maxCount = maxCountOf(options.maxCount);
    const after = options.after;
    this.ensureOpen();
    if (maxCount === 0) return;
    // forwards, the server reads from a position including it; backwards, it starts just below it
    const fromPosition = after === undefined ? (backwards ? END : START) : { commit: after, prepare: after };
    const read = () => this.client.readAll({ fromPosition, direction: backwards ? BACKWARDS : FORWARDS });
    let yielded = 0;
    for await (const resolved of pull('read $all', this.timeoutMs, read)) {
      const recorded = resolved.event;
      if (!recorded?.position) continue;
      if (after !== undefined && (backwards ? recorded.position.commit >= after : recorded.position.commit <= after)) continue;
      if (!this.inLog(recorded.streamId, recorded.type)) continue;
      yield toStoredEvent(recorded);
      yielded += 1;
      if (yielded >= maxCount) return;
    }
  }

  subscribe(options: { after?: bigint } = {}): Subscription {
    if (this.closed) return closedSubscription(new StoreUnavailable(`${this.description} is closed`));
    const subscription: EventStoreDbSubscription = new EventStoreDbSubscription(
      {
        client: this.client,
        inLedgerLog: (stream, type) => this.inLog(stream, type),
        lastUnfilteredPosition: () => this.lastPosition((_stream, type) => !type.startsWith('$')),
      },
      this.subscriptionSettings,
      options.after,
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint | null> {
    this.ensureOpen();
    return this.lastPosition((stream, type) => this.inLog(stream, type));
  }

  /** Ends open subscriptions and the client's calls. Closing twice is harmless. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.client.dispose();
  }

  private inLog(stream: string, type: string): boolean {
    return inLedgerLog(stream, type, this.internalPrefixes);
  }

  /** Reads $all backwards from its end to the first event that `wanted` keeps. */
  private async lastPosition(wanted: (stream: string, type: string) => boolean): Promise<bigint | null> {
    const read = () => this.client.readAll({ fromPosition: END, direction: BACKWARDS });
    for await (const resolved of pull('read the head of $all', this.timeoutMs, read)) {
      const recorded = resolved.event;
      if (recorded?.position && wanted(recorded.streamId, recorded.type)) return recorded.position.commit;
    }
    return null;
  }

  private async positionOf(stream: string, revision: bigint): Promise<bigint> {
    for await (const event of this.readStream(stream, { fromRevision: revision, direction: 'backwards', maxCount: 1 })) {
      if (event.revision === revision) return event.position;
    }
    throw new StoreError(`append to ${stream}: revision ${revision} was reported written but cannot be read`);
  }

  private ensureOpen(): void {
    if (this.closed) throw new StoreUnavailable(`${this.description} is closed`);
  }
}

/** The servers a connection string names, without credentials or settings. */
function serverOf(connectionString: string): string {
  const withoutScheme = connectionString.replace(/^[a-z+]+:\/\//i, '');
  const withoutCredentials = withoutScheme.replace(/^[^@/?]*@/, '');
  return withoutCredentials.split(/[?/]/)[0] ?? withoutCredentials;
}



/** What subscribe() gives once the store is closed: the error on the first next(), then the end. */
function closedSubscription(error: StoreUnavailable): Subscription {
  let failed = false;
  const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
  const iterator: AsyncIterator<SubscriptionMessage> = {
    next: () => {
      if (failed) return Promise.resolve(done);
      failed = true;
      return Promise.reject(error);
    },
    return: () => {
      failed = true;
      return Promise.resolve(done);
    },
  };
  return {
    [Symbol.asyncIterator]: () => iterator,
    close: async () => {
      failed = true;
    },
  };
}
