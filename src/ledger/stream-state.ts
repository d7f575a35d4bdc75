import { LRUCache } from 'lru-cache';
import type { Decider, DomainEvent } from '../domain/shared/decider';
import type { EventStore, StoredEvent } from '../store/port';
import { GENESIS_HASH } from './hash-chain';
import { metadataOf } from './envelope';

/** A stream folded to its state, with what the ledger needs to append the next event. */
export interface StreamState<S> {
  stream: string;
  state: S;
  /** the last revision, or -1n when the stream does not exist */
  revision: bigint;
  /** global position of the last event (undefined for no stream) */
  position?: bigint;
  lastHash: string;
  lastRecordedAt?: string;
  /**
   * event id → where it is: to find an idempotent retry in the stream. Shared by every state of the stream and only
   * ever added to, with ids of events that are stored: a fact once true stays true, so a state of an older revision
   * may see the ids of later events without harm (they are in the stream), and no load or append copies the map.
   */
  ids: Map<string, { revision: bigint; position: bigint }>;
}

export function emptyStreamState<S>(stream: string, initialState: S): StreamState<S> {
  return { stream, state: initialState, revision: -1n, lastHash: GENESIS_HASH, ids: new Map() };
}

/** The domain's view of a stored event. */
export function toDomainEvent<E extends DomainEvent>(event: StoredEvent): E {
  return { type: event.type, data: event.data, occurredAt: metadataOf(event).occurredAt } as E;
}

/** Applies stored events (in revision order) to a stream state, in place. */
export function applyStored<S>(target: StreamState<S>, decider: Pick<Decider<never, DomainEvent, S>, 'evolve'>, event: StoredEvent): void {
  const meta = metadataOf(event);
  target.state = decider.evolve(target.state, toDomainEvent(event));
  target.revision = event.revision;
  target.position = event.position;
  target.lastHash = meta.hash;
  target.lastRecordedAt = meta.recordedAt;
  target.ids.set(event.eventId, { revision: event.revision, position: event.position });
}

/**
 * Folds a stream, starting from a cached state when there is one: only events after its revision are read.
 * The cache holds the most recently used streams; a stale entry is caught by the append's expected revision.
 */
export class StreamStateCache {
  private readonly entries: LRUCache<string, { decider: unknown; value: StreamState<unknown> }>;

  constructor(
    private readonly store: EventStore,
    capacity = 10_000,
  ) {
    this.entries = new LRUCache({ max: capacity });
  }

  async load<S>(stream: string, decider: Pick<Decider<never, DomainEvent, S>, 'evolve' | 'initialState'>): Promise<StreamState<S>> {
    const current = this.peek(stream, decider);
    const from = current.revision + 1n;
    // Advance a copy (the ids map is shared, see StreamState): a failed read must not leave a half-advanced state in
    // the cache. Nothing new: the cached state is the answer, as it is (states are never changed in place).
    let next: StreamState<S> | undefined;
    for await (const event of this.store.readStream(stream, { fromRevision: from })) {
      next ??= { ...current };
      applyStored(next, decider, event);
    }
    this.remember(stream, decider, next ?? current);
    return next ?? current;
  }

  /** The cached state, or the empty stream, without reading the store (for a stream whose id was just made up). */
  peek<S>(stream: string, decider: Pick<Decider<never, DomainEvent, S>, 'initialState'>): StreamState<S> {
    const cached = this.entries.get(stream);
    return cached && cached.decider === decider ? (cached.value as StreamState<S>) : emptyStreamState(stream, decider.initialState);
  }

  /** Whether the cache holds a state of the stream folded by this decider. */
  holds(stream: string, decider: unknown): boolean {
    return this.entries.peek(stream)?.decider === decider;
  }

  /**
   * Whether the stream has events. A stream once written is never removed, so a cached stream with events is
   * answered without reading the store.
   */
  async exists(stream: string, decider: Pick<Decider<never, DomainEvent, unknown>, 'evolve' | 'initialState'>): Promise<boolean> {
    const cached = this.entries.get(stream);
    if (cached && cached.value.revision >= 0n) return true;
    return (await this.load(stream, decider)).revision >= 0n;
  }

  remember<S>(stream: string, decider: unknown, value: StreamState<S>): void {
    this.entries.set(stream, { decider, value: value as StreamState<unknown> });
  }

  forget(stream: string): void {
    this.entries.delete(stream);
  }
}
