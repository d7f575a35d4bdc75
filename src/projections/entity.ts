import { berlinDate, type IsoDate } from '../domain/shared/dates';
import type { Actor, DomainEvent } from '../domain/shared/decider';
import { foldOf, type EntityKind, type KindFold } from './kinds';
import { asBuffer, type BytesRange } from './projection';

/**
 * An event as an entity keeps it: what its fold needs (type, data, occurredAt: a DomainEvent as it is) and what the
 * cuts and the audit trail need. The data is the stored event's own.
 */
export interface KeptEvent extends DomainEvent {
  position: bigint;
  eventId: string;
  /** the effective day: berlinDate(occurredAt) */
  day: IsoDate;
  recordedAt: string;
  recordedAtMs: number;
  actor: Actor;
}

/** The state after `events[index]`, with the latest day and recordedAt among events[0..index]. */
export interface EntityCheckpoint<S> {
  index: number;
  state: S;
  maxDay: IsoDate;
  maxRecordedAtMs: number;
}

export const CHECKPOINT_EVERY = 32;

/**
 * One stream's entity: its events and its state folded over all of them, with the bounds a cut is checked against.
 *
 * After a restart the entity is cold: its state and its events are JSON text (UTF-8 bytes inside the snapshot),
 * made into objects on first use. So a restore costs a few allocations per entity instead of rebuilding every
 * object of every event, entities nobody asks about stay compact, and the next snapshot copies their bytes as
 * they are. A snapshot likewise leaves events as text until they are needed again. (Decider states are JSON by
 * construction: plain objects built from event data. A property test keeps it so.)
 */
export class Entity<S = unknown> {
  readonly stream: string;
  firstPosition: bigint;
  lastPosition: bigint;
  minDay: IsoDate;
  maxDay: IsoDate;
  minRecordedAtMs: number;
  maxRecordedAtMs: number;
  /** recordedAt never went back along the stream (the ledger guarantees it), so a refold can stop at the first too late */
  recordedAtOrdered = true;
  eventCount: number;
  /** the entity's number within its kind (the order of first events): where the index's columns hold it */
  number = -1;
  /**
   * The state every `checkpointEvery` events, so that a long stream (the board, a large group) is never refolded
   * whole. Not kept in snapshots: a cold entity makes them with one fold of its events when a cut first needs them.
   */
  private kept: EntityCheckpoint<S>[] | undefined = [];
  private readonly checkpointEvery: number;
  private hotState: S | undefined;
  /** the state as JSON, when encoded: text made for a snapshot, or a range of the bytes of the one restored */
  private stateText: string | BytesRange | undefined;
  private hotEvents: KeptEvent[] | undefined;
  private eventsText: string | BytesRange | undefined;

  constructor(
    readonly kind: EntityKind,
    readonly id: string,
    bounds: EntityBounds,
    checkpointEvery = CHECKPOINT_EVERY,
  ) {
    this.checkpointEvery = checkpointEvery;
    this.stream = `${kind}-${id}`;
    this.firstPosition = bounds.firstPosition;
    this.lastPosition = bounds.lastPosition;
    this.minDay = bounds.minDay;
    this.maxDay = bounds.maxDay;
    this.minRecordedAtMs = bounds.minRecordedAtMs;
    this.maxRecordedAtMs = bounds.maxRecordedAtMs;
    this.eventCount = bounds.eventCount;
  }

  static first<S>(kind: EntityKind, id: string, event: KeptEvent, state: S, checkpointEvery = CHECKPOINT_EVERY): Entity<S> {
    const bounds: EntityBounds = {
      firstPosition: event.position,
      lastPosition: event.position,
      minDay: event.day,
      maxDay: event.day,
      minRecordedAtMs: event.recordedAtMs,
      maxRecordedAtMs: event.recordedAtMs,
      eventCount: 1,
    };
    const entity = new Entity<S>(kind, id, bounds, checkpointEvery);
    entity.hotEvents = [event];
    entity.hotState = state;
    entity.remember();
    return entity;
  }

  get checkpoints(): readonly EntityCheckpoint<S>[] {
    if (this.kept === undefined) {
      this.kept = [];
      const fold = foldOf(this.kind) as unknown as KindFold<S>;
      let state = fold.initialState;
      let maxDay = '';
      let maxRecordedAtMs = -Infinity;
      this.events.forEach((event, index) => {
        state = fold.evolve(state, event);
        if (event.day > maxDay) maxDay = event.day;
        if (event.recordedAtMs > maxRecordedAtMs) maxRecordedAtMs = event.recordedAtMs;
        if ((index + 1) % this.checkpointEvery === 0) this.kept!.push({ index, state, maxDay, maxRecordedAtMs });
      });
    }
    return this.kept;
  }

  /** The fold of every event: the answer for any cut that holds them all. */
  get state(): S {
    if (this.hotState === undefined) this.hotState = JSON.parse(decode(this.stateText!)) as S;
    return this.hotState;
  }

  get events(): readonly KeptEvent[] {
    if (this.hotEvents === undefined) this.hotEvents = unpackEvents(decode(this.eventsText!));
    return this.hotEvents;
  }

  /** Adds an event whose fold `state` was computed already (so that a failing evolve leaves the entity untouched). */
  add(event: KeptEvent, state: S): void {
    void this.checkpoints; // a cold entity makes its checkpoints before it grows
    const events = this.events as KeptEvent[];
    if (event.recordedAtMs < this.maxRecordedAtMs) this.recordedAtOrdered = false;
    events.push(event);
    this.eventCount = events.length;
    this.hotState = state;
    this.stateText = undefined;
    this.eventsText = undefined;
    this.lastPosition = event.position;
    if (event.day < this.minDay) this.minDay = event.day;
    if (event.day > this.maxDay) this.maxDay = event.day;
    if (event.recordedAtMs < this.minRecordedAtMs) this.minRecordedAtMs = event.recordedAtMs;
    if (event.recordedAtMs > this.maxRecordedAtMs) this.maxRecordedAtMs = event.recordedAtMs;
    this.remember();
  }

  private remember(): void {
    const index = this.eventCount - 1;
    if ((index + 1) % this.checkpointEvery === 0) {
      this.kept!.push({ index, state: this.hotState!, maxDay: this.maxDay, maxRecordedAtMs: this.maxRecordedAtMs });
    }
  }

  /** The state as JSON for a snapshot; kept, so that an unchanged entity is not encoded again. */
  packedState(): string | BytesRange {
    this.stateText ??= JSON.stringify(this.hotState);
    return this.stateText;
  }

  /**
   * The events as JSON for a snapshot; kept, like the state. The event objects are let go: the text is smaller,
   * and a cut or an audit trail that needs them parses it again.
   */
  packedEvents(): string | BytesRange {
    this.eventsText ??= packEvents(this.hotEvents!);
    this.hotEvents = undefined;
    return this.eventsText;
  }

  /** An entity as a snapshot held it: cold until used. */
  static cold<S>(
    kind: EntityKind,
    id: string,
    bounds: EntityBounds,
    cold: { recordedAtOrdered: boolean; state: BytesRange; events: BytesRange; checkpointEvery: number },
  ): Entity<S> {
    const entity = new Entity<S>(kind, id, bounds, cold.checkpointEvery);
    entity.recordedAtOrdered = cold.recordedAtOrdered;
    entity.kept = bounds.eventCount < cold.checkpointEvery ? [] : undefined;
    entity.stateText = cold.state;
    entity.eventsText = cold.events;
    return entity;
  }
}

export interface EntityBounds {
  firstPosition: bigint;
  lastPosition: bigint;
  minDay: IsoDate;
  maxDay: IsoDate;
  minRecordedAtMs: number;
  maxRecordedAtMs: number;
  eventCount: number;
}

function decode(text: string | BytesRange): string {
  return typeof text === 'string' ? text : asBuffer(text.bytes).toString('utf8', text.start, text.end);
}

/** The fold of every kept event from the start: what a test compares `state` with. */
export function refold<S>(entity: Entity<S>, fold: KindFold<S>): S {
  return entity.events.reduce((state, event) => fold.evolve(state, event), fold.initialState);
}

type PackedEvent = [type: string, data: unknown, occurredAt: string, position: string, eventId: string, recordedAt: string, actorId: string, actorRole: string];

function packEvents(events: readonly KeptEvent[]): string {
  return JSON.stringify(
    events.map((e): PackedEvent => [e.type, e.data, e.occurredAt, e.position.toString(), e.eventId, e.recordedAt, e.actor.id, e.actor.role]),
  );
}

function unpackEvents(json: string): KeptEvent[] {
  return (JSON.parse(json) as PackedEvent[]).map(([type, data, occurredAt, position, eventId, recordedAt, actorId, actorRole]) => ({
    type,
    data,
    occurredAt,
    position: BigInt(position),
    eventId,
    day: berlinDate(occurredAt),
    recordedAt,
    recordedAtMs: Date.parse(recordedAt),
    actor: internActor(actorId, actorRole),
  }));
}

const actors = new Map<string, Actor>();

/** Actors repeat across events: one object each keeps the index small. */
export function internActor(id: string, role: string): Actor {
  const key = `${role}\u0000${id}`;
  let actor = actors.get(key);
  if (!actor) {
    actor = { id, role: role as Actor['role'] };
    if (actors.size < 100_000) actors.set(key, actor);
  }
  return actor;
}
