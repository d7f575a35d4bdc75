import { z } from 'zod';
import type { Actor, Command, Decider, DomainEvent } from '../domain/shared/decider';
import { eventSchemas, CURRENT_SCHEMA_VERSION } from '../domain/events';
import { ConcurrencyConflict } from '../store/errors';
import type { EventStore, EventToAppend, StoredEvent } from '../store/port';
import { canonicalForm } from './canonical-json';
import type { EventMetadata } from './envelope';
import { InvalidCommandOptions, PreconditionFailed, TooMuchContention } from './errors';
import { eventIdFor, randomId } from './event-ids';
import { eventHashOfCanonical } from './hash-chain';
import { RecordedAtClock } from './recorded-at-clock';
import { applyStored, StreamStateCache, type StreamState } from './stream-state';

/** How a caller qualifies a command. `recordedAt` is not among them: only the server sets it. */
const executeOptions = z
  .object({
    actor: z.object({ id: z.string().min(1).max(200), role: z.enum(['office', 'auditor', 'admin', 'system']) }).strict(),
    /** If-Match: the revision the caller last saw (-1 for "no stream yet") */
    ifMatch: z.bigint().min(-1n).optional(),
    idempotencyKey: z.string().min(1).max(200).optional(),
    correlationId: z.string().min(1).max(200).optional(),
    causationId: z.string().min(1).max(200).optional(),
    /**
     * The caller made the stream's id up just now, at random: the first attempt decides on the empty stream without
     * reading it (were the id taken after all, the append's expectation fails and the next attempt reads). Ignored
     * under an idempotency key: ids are derived from it then, and a retry must find its events.
     */
    newStream: z.literal(true).optional(),
  })
  .strict();
export type ExecuteOptions = z.infer<typeof executeOptions>;

/** A command as a handler builds it; the ledger adds the metadata (server time and actor). */
export type UnstampedCommand<C extends Command> = C extends Command ? Omit<C, 'metadata'> : never;

/** An appended event; its own global position is the store's business (only the batch's last is reported). */
export type AppendedEvent = Omit<StoredEvent, 'position'>;

export interface ExecuteResult<S> {
  stream: string;
  /** the stream's revision after the command (-1n if it still does not exist) */
  revision: bigint;
  /** the global position of the stream's last event (undefined when the stream is empty) */
  position?: bigint;
  /** the events this command appended (empty for a retry that found its events already there, or a no-op) */
  events: AppendedEvent[];
  /** false when an idempotent retry found the command's events already in the stream */
  appended: boolean;
  state: S;
}

export interface LedgerOptions {
  clock?: () => Date;
  /** attempts on a concurrency conflict when the caller gave no If-Match */
  maxAttempts?: number;
  /** validates decided events against their schemas before they are stored (a guard against programming errors) */
  validateEvents?: boolean;
  /**
   * Applied to each event's data after validation and before hashing: crypto-shredding encrypts personal data here,
   * so that what is hashed and stored never holds it in the clear (see src/privacy). May be asynchronous (a new
   * subject's key is stored durably first); the events of one command are protected together.
   */
  protect?: (type: string, data: unknown) => unknown | Promise<unknown>;
}

/**
 * The only writer to the store: load → decide → wrap in the envelope (recordedAt, actor, ids, hash chain) → append
 * with the expected revision; retried on conflict unless the caller pinned a revision with If-Match.
 */
export class Ledger {
  readonly clock: RecordedAtClock;
  private readonly cache: StreamStateCache;
  private readonly maxAttempts: number;
  private readonly validateEvents: boolean;
  private readonly protect: (type: string, data: unknown) => unknown | Promise<unknown>;
  private seeded: Promise<void> | undefined;

  constructor(
    readonly store: EventStore,
    options: LedgerOptions = {},
  ) {
    this.clock = new RecordedAtClock(options.clock);
    this.cache = new StreamStateCache(store);
    this.maxAttempts = options.maxAttempts ?? 5;
    this.validateEvents = options.validateEvents ?? true;
    this.protect = options.protect ?? ((_type, data) => data);
  }

  /** The current state of a stream (what handlers load as context for rules that span streams). */
  async load<S>(stream: string, decider: Pick<Decider<never, DomainEvent, S>, 'evolve' | 'initialState'>): Promise<StreamState<S>> {
    return this.cache.load(stream, decider);
  }

  /** Whether a stream has events (what handlers ask before a command on an entity that must exist). */
  async exists<S>(stream: string, decider: Pick<Decider<never, DomainEvent, S>, 'evolve' | 'initialState'>): Promise<boolean> {
    return this.cache.exists(stream, decider);
  }

  async execute<C extends Command, E extends DomainEvent, S>(
    stream: string,
    decider: Decider<C, E, S>,
    command: UnstampedCommand<C> | ((state: S) => UnstampedCommand<C> | Promise<UnstampedCommand<C>>),
    rawOptions: ExecuteOptions,
  ): Promise<ExecuteResult<S>> {
    const parsed = executeOptions.safeParse(rawOptions);
    if (!parsed.success) throw new InvalidCommandOptions(parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; '));
    const options = parsed.data;
    await this.seedClock();
    // The first attempt decides on what the ledger knows without reading the store: the cached state, or the empty
    // stream for an id just made up. The append's expected revision catches a stale state (a conflict, then a read);
    // a refusal, a no-op or an If-Match mismatch met on an unread state is checked again against the stored stream.
    // Under an idempotency key the stream is read first: a retry must find its events.
    let unread = options.idempotencyKey === undefined && (options.newStream === true || this.cache.holds(stream, decider));
    for (let attempt = 1; ; attempt++) {
      const current = unread ? this.cache.peek(stream, decider) : await this.cache.load(stream, decider);
      let decided: readonly DomainEvent[] = [];
      try {
        if (options.ifMatch !== undefined && options.ifMatch !== current.revision) {
          throw new PreconditionFailed(stream, options.ifMatch, current.revision < 0n ? null : current.revision);
        }
        const previous = options.idempotencyKey ? findAppended(current, options.idempotencyKey) : undefined;
        if (previous) return { stream, revision: previous.revision, position: previous.position, events: [], appended: false, state: current.state };
        const unstamped = typeof command === 'function' ? await command(current.state) : command;
        const stamped = { ...unstamped, metadata: { now: this.clock.now(), actor: options.actor } } as unknown as C;
        decided = decider.decide(stamped, current.state);
      } catch (error) {
        if (!unread) throw error;
      }
      if (unread && decided.length === 0) {
        // refused, a no-op or If-Match not met on a state that was not read: the same attempt on the stored stream
        unread = false;
        attempt -= 1;
        continue;
      }
      unread = false;
      if (decided.length === 0) return { stream, revision: current.revision, position: current.position, events: [], appended: false, state: current.state };

      const data = await this.protectAll(decided);
      // from here to the append nothing awaits: recordedAt is taken in the order the appends are called
      const toAppend = this.envelope(current, decided, data, options);
      try {
        const result = await this.store.append(stream, toAppend, current.revision < 0n ? 'no-stream' : current.revision);
        const appended = toAppend.map<AppendedEvent>((e, i) => ({ ...e, stream, revision: current.revision + 1n + BigInt(i) }));
        const next: StreamState<S> = { ...current };
        // every event of the batch is remembered at the batch's last position: enough to answer a retry
        for (const e of appended) applyStored(next, decider, { ...e, position: result.position });
        this.cache.remember(stream, decider, next);
        return { stream, revision: result.revision, position: result.position, events: appended, appended: true, state: next.state };
      } catch (error) {
        if (!(error instanceof ConcurrencyConflict)) throw error;
        this.cache.forget(stream);
        if (options.ifMatch !== undefined) {
          throw new PreconditionFailed(stream, options.ifMatch, typeof error.actual === 'bigint' ? error.actual : null);
        }
        if (attempt >= this.maxAttempts) throw new TooMuchContention(`stream ${stream}: still conflicting after ${attempt} attempts`);
      }
    }
  }

  /** Each decided event's data, checked against its schema, as it will be stored (personal data encrypted). */
  private protectAll(decided: readonly DomainEvent[]): Promise<unknown[]> {
    // all checked before any is protected: a bad event must not leave a new subject key behind
    if (this.validateEvents) decided.forEach(validateEvent);
    return Promise.all(decided.map((event) => this.protect(event.type, event.data)));
  }

  private envelope<S>(current: StreamState<S>, decided: readonly DomainEvent[], protectedData: readonly unknown[], options: ExecuteOptions): EventToAppend[] {
    const recordedAt = this.clock.next(current.lastRecordedAt);
    const correlationId = options.correlationId ?? randomId();
    const causationId = options.causationId ?? correlationId;
    let prevHash = current.lastHash;
    return decided.map((event, index) => {
      const eventId = options.idempotencyKey ? eventIdFor(options.idempotencyKey, index) : randomId();
      const { json: dataJson, copy: data } = canonicalForm(protectedData[index]);
      // Written with the keys in canonical order and holding only strings and a small integer, so JSON.stringify of
      // it is its canonical JSON (what the store saves), and the hash needs no second canonicalisation.
      const actor = { id: options.actor.id, role: options.actor.role };
      const occurredAt = event.occurredAt;
      const schemaVersion = CURRENT_SCHEMA_VERSION;
      const unhashed: Omit<EventMetadata, 'hash'> = { actor, causationId, correlationId, occurredAt, prevHash, recordedAt, schemaVersion };
      const revision = current.revision + 1n + BigInt(index);
      const hash = eventHashOfCanonical({ eventId, stream: current.stream, revision, type: event.type, dataJson, metadataJson: JSON.stringify(unhashed) });
      const metadata: EventMetadata = { actor, causationId, correlationId, hash, occurredAt, prevHash, recordedAt, schemaVersion };
      prevHash = hash;
      return { eventId, type: event.type, data, metadata: metadata as unknown as Record<string, unknown> };
    });
  }

  /** recordedAt never goes back along the whole log: start from the newest recordedAt in it. */
  private seedClock(): Promise<void> {
    this.seeded ??= (async () => {
      for await (const last of this.store.readAll({ direction: 'backwards', maxCount: 1 })) {
        this.clock.observe((last.metadata as Partial<EventMetadata>).recordedAt);
      }
    })().catch((error: unknown) => {
      this.seeded = undefined; // try again on the next command, e.g. once the store is back
      throw error;
    });
    return this.seeded;
  }
}

function findAppended<S>(state: StreamState<S>, key: string): { revision: bigint; position: bigint } | undefined {
  let found: { revision: bigint; position: bigint } | undefined;
  for (let i = 0; ; i++) {
    const at = state.ids.get(eventIdFor(key, i));
    if (!at) return found;
    found = at;
  }
}

function validateEvent(event: DomainEvent): void {
  const schema = (eventSchemas as Record<string, z.ZodType>)[event.type];
  if (!schema) throw new Error(`unknown event type ${event.type}`);
  const result = schema.safeParse(event.data);
  if (!result.success) throw new Error(`decided event ${event.type} breaks its schema: ${result.error.message}`);
}
