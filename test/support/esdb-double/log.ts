/**
 * The double's storage: one transaction log in memory, with EventStoreDB's rules for appends as the server applies
 * them (EventStore.Core IndexWriter.CheckCommit): expected-version checks, and idempotency for a batch whose event
 * ids are already in the stream.
 */

/** What an append expects, as EventStoreDB's gRPC options carry it. */
export type Expectation =
  | { kind: 'any' }
  | { kind: 'no-stream' }
  | { kind: 'stream-exists' }
  | { kind: 'revision'; revision: bigint };

export interface ProposedEvent {
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  metadata: Uint8Array;
}

export interface LoggedEvent extends ProposedEvent {
  stream: string;
  revision: bigint;
  /** log position; commit and prepare position are the same for an implicitly committed event */
  position: bigint;
  /** 100-nanosecond ticks since the Unix epoch, as the server sends `created` */
  created: bigint;
}

export type AppendOutcome =
  | { kind: 'success'; currentRevision: bigint; position: bigint | undefined }
  /** currentRevision -1: the stream does not exist */
  | { kind: 'wrong-expected-version'; currentRevision: bigint };

export interface LogOptions {
  /**
   * How many recent event ids the server remembers for idempotency of `any`/`stream-exists` appends (its
   * committed-events cache). A retried batch whose ids have left the cache is appended again, as on the server.
   */
  idempotencyCacheSize?: number;
  /** log position of the first record (the server's log never starts at 0 for user events) */
  firstPosition?: bigint;
}

const NO_STREAM = -1n;

export class TransactionLog {
  private readonly all: LoggedEvent[] = [];
  private readonly streams = new Map<string, LoggedEvent[]>();
  /** insertion-ordered, so the first key is the least recently written id */
  private readonly recentIds = new Map<string, { stream: string; revision: bigint }>();
  private readonly listeners = new Set<(event: LoggedEvent) => void>();
  private nextPosition: bigint;
  private readonly cacheSize: number;

  constructor(options: LogOptions = {}) {
    this.nextPosition = options.firstPosition ?? 4096n;
    this.cacheSize = options.idempotencyCacheSize ?? 10_000;
  }

  get events(): readonly LoggedEvent[] {
    return this.all;
  }

  stream(name: string): readonly LoggedEvent[] | undefined {
    return this.streams.get(name);
  }

  lastRevision(name: string): bigint {
    const events = this.streams.get(name);
    return events && events.length > 0 ? BigInt(events.length - 1) : NO_STREAM;
  }

  /** Calls `listener` with every event appended from now on; returns the unsubscribe function. */
  onAppend(listener: (event: LoggedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  append(stream: string, expectation: Expectation, proposed: readonly ProposedEvent[]): AppendOutcome {
    const current = this.lastRevision(stream);
    const decision = this.check(stream, current, expectation, proposed);
    if (decision.kind !== 'ok') return decision.outcome;
    const created = BigInt(Date.now()) * 10_000n;
    const written = proposed.map((event) => this.write(stream, event, created));
    const last = written[written.length - 1];
    if (!last) return { kind: 'success', currentRevision: current, position: undefined };
    for (const event of written) {
      for (const listener of [...this.listeners]) listener(event);
    }
    return { kind: 'success', currentRevision: last.revision, position: last.position };
  }

  private write(stream: string, event: ProposedEvent, created: bigint): LoggedEvent {
    let events = this.streams.get(stream);
    if (!events) {
      events = [];
      this.streams.set(stream, events);
    }
    const logged: LoggedEvent = {
      ...event,
      stream,
      revision: BigInt(events.length),
      position: this.nextPosition,
      created,
    };
    // a prepare record's size: header, stream name, type, data and metadata
    this.nextPosition += BigInt(90 + stream.length + event.type.length + event.data.length + event.metadata.length);
    events.push(logged);
    this.all.push(logged);
    this.remember(event.id, stream, logged.revision);
    return logged;
  }

  private remember(id: string, stream: string, revision: bigint): void {
    this.recentIds.delete(id);
    this.recentIds.set(id, { stream, revision });
    while (this.recentIds.size > this.cacheSize) {
      const oldest = this.recentIds.keys().next().value;
      if (oldest === undefined) break;
      this.recentIds.delete(oldest);
    }
  }

  private check(
    stream: string,
    current: bigint,
    expectation: Expectation,
    proposed: readonly ProposedEvent[],
  ): { kind: 'ok' } | { kind: 'done'; outcome: AppendOutcome } {
    const wrong = (): { kind: 'done'; outcome: AppendOutcome } => ({
      kind: 'done',
      outcome: { kind: 'wrong-expected-version', currentRevision: current },
    });
    if (expectation.kind === 'stream-exists' && current === NO_STREAM) return wrong();
    if (expectation.kind === 'any' || expectation.kind === 'stream-exists') {
      return this.checkRecentIds(stream, proposed, wrong);
    }
    const expected = expectation.kind === 'no-stream' ? NO_STREAM : expectation.revision;
    if (expected < current) return this.checkWrittenAt(stream, expected, proposed, wrong);
    if (expected > current) return wrong();
    return { kind: 'ok' };
  }

  /** `any` and `stream-exists`: idempotent only while every id is still in the recent-ids cache. */
  private checkRecentIds(
    stream: string,
    proposed: readonly ProposedEvent[],
    wrong: () => { kind: 'done'; outcome: AppendOutcome },
  ): { kind: 'ok' } | { kind: 'done'; outcome: AppendOutcome } {
    let last: bigint | undefined;
    for (const [index, event] of proposed.entries()) {
      const seen = this.recentIds.get(event.id);
      if (!seen || seen.stream !== stream) return index === 0 ? { kind: 'ok' } : wrong();
      last = seen.revision;
    }
    if (last === undefined) return { kind: 'ok' };
    return { kind: 'done', outcome: this.idempotent(stream, last) };
  }

  /** A specific expectation behind the stream's end: idempotent when the same ids sit right after it. */
  private checkWrittenAt(
    stream: string,
    expected: bigint,
    proposed: readonly ProposedEvent[],
    wrong: () => { kind: 'done'; outcome: AppendOutcome },
  ): { kind: 'ok' } | { kind: 'done'; outcome: AppendOutcome } {
    const events = this.streams.get(stream) ?? [];
    let revision = expected;
    for (const event of proposed) {
      revision += 1n;
      if (events[Number(revision)]?.id !== event.id) return wrong();
    }
    if (revision === expected) return wrong();
    return { kind: 'done', outcome: this.idempotent(stream, revision) };
  }

  private idempotent(stream: string, revision: bigint): AppendOutcome {
    const event = this.streams.get(stream)?.[Number(revision)];
    return { kind: 'success', currentRevision: revision, position: event?.position };
  }
}
