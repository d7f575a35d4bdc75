/**
 * The event store port: the only thing the ledger and the projections know about storage.
 * Two adapters implement it (embedded SQLite, EventStoreDB) and pass the same contract suite.
 *
 * Revisions count from 0 within a stream; a stream that does not exist has no revision
 * (`'no-stream'` when expected). Positions are the store's own, a bigint that grows along the log.
 */

/** What the caller expects the stream's last revision to be when appending. */
export type ExpectedRevision = 'no-stream' | 'exists' | 'any' | bigint;

export interface EventToAppend {
  eventId: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
}

export interface StoredEvent {
  /** global position in the log (store-specific values, growing) */
  position: bigint;
  stream: string;
  /** revision within the stream, from 0 */
  revision: bigint;
  eventId: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
}

export interface AppendResult {
  /** revision of the last event appended (the stream's revision after the append) */
  revision: bigint;
  /** global position of the last event appended */
  position: bigint;
}

export interface ReadStreamOptions {
  /** first revision to read (forwards: inclusive from; backwards: inclusive down from). Default: start/end. */
  fromRevision?: bigint;
  direction?: 'forwards' | 'backwards';
  maxCount?: number;
}

export interface ReadAllOptions {
  /** read events strictly after this position; undefined = from the start */
  after?: bigint;
  maxCount?: number;
  direction?: 'forwards' | 'backwards';
}

export type SubscriptionMessage =
  | { kind: 'event'; event: StoredEvent }
  /** the subscription has delivered everything the log held when it caught up; live events follow */
  | { kind: 'caught-up' };

/**
 * A subscription to the global log: an async iterable, so the consumer pulls one message at a time
 * (backpressure, never two handlers at once). `close()` ends the iteration.
 */
export interface Subscription extends AsyncIterable<SubscriptionMessage> {
  close(): Promise<void>;
}

export interface EventStore {
  /** a short name for logs and the start-up line, e.g. "embedded (./data/ledger.db)" */
  readonly description: string;
  /**
   * Appends atomically. Throws ConcurrencyConflict when `expected` does not hold.
   * Retrying the same batch (same event ids) with the same expectation appends nothing twice.
   */
  append(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult>;
  /** a missing stream reads as empty */
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<StoredEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<StoredEvent>;
  /** delivers every event after `after` (from the start when undefined), then `caught-up`, then live events */
  subscribe(options?: { after?: bigint }): Subscription;
  /** the position of the last event in the log, or null when the log is empty */
  headPosition(): Promise<bigint | null>;
  close(): Promise<void>;
}
