import type { EventMetadata } from '../ledger/envelope';
import type { StoredEvent } from '../store/port';
import { facetsAt, outside, stateAt, wholly, type ResolvedCut } from './as-of';
import { effectiveDay } from './effective-day';
import { CHECKPOINT_EVERY, Entity, internActor, type KeptEvent, type Listed } from './entity';
import { facetsOf } from './facets';
import { packIndex, unpackIndex } from './index-snapshot';
import {
  entityKinds,
  entityOfStream,
  foldOf,
  isDomainEventType,
  referencesOf,
  type EntityKind,
  type KindFold,
  type StateOf,
} from './kinds';
import { LogIndex } from './log-index';
import { SnapshotMismatch, type Projection } from './projection';

export interface EntityIndexOptions {
  /** keep an entity's state every this many of its events (default 32): bounds the refold of a long stream */
  checkpointEvery?: number;
}

/**
 * The entity index: every stream's entity (events kept, state folded with its decider's evolve) and a log index of
 * positions and recordedAt, from which the views answer any cut (see as-of.ts) without replaying the log.
 */
export class EntityIndex implements Projection {
  readonly name = 'entities';
  private byKind = emptyKinds();
  /** the same entities in arrays, in the order of their first events: what lists walk through */
  private ordered = emptyLists();
  private readonly log = new LogIndex();
  /** `kind:id` → streams whose events refer to it (see referencesOf) */
  private links = new Map<string, Set<string>>();
  private readonly checkpointEvery: number;

  constructor(options: EntityIndexOptions = {}) {
    this.checkpointEvery = Math.max(1, Math.floor(options.checkpointEvery ?? CHECKPOINT_EVERY));
  }

  apply(event: StoredEvent): void {
    const meta = event.metadata as Partial<EventMetadata>;
    const parsedMs = typeof meta.recordedAt === 'string' ? Date.parse(meta.recordedAt) : NaN;
    const recordedAtMs = Number.isFinite(parsedMs) ? parsedMs : (this.log.lastRecordedAtMs ?? 0);
    const ref = entityOfStream(event.stream);
    if (ref && isDomainEventType(event.type)) this.keep(ref.kind, ref.id, event, meta, recordedAtMs);
    this.log.push(event.position, recordedAtMs);
  }

  private keep(kind: EntityKind, id: string, event: StoredEvent, meta: Partial<EventMetadata>, recordedAtMs: number): void {
    const recordedAt = typeof meta.recordedAt === 'string' && Number.isFinite(Date.parse(meta.recordedAt)) ? meta.recordedAt : new Date(recordedAtMs).toISOString();
    const occurredAt = typeof meta.occurredAt === 'string' ? meta.occurredAt : recordedAt;
    const actor = meta.actor && typeof meta.actor === 'object' ? meta.actor : undefined;
    const kept: KeptEvent = {
      type: event.type,
      data: event.data,
      occurredAt,
      position: event.position,
      eventId: event.eventId,
      day: effectiveDay(occurredAt),
      recordedAt,
      recordedAtMs,
      actor: internActor(String(actor?.id ?? 'unknown'), String(actor?.role ?? 'system')),
    };
    const fold = foldOf(kind) as KindFold<unknown>;
    const entity = this.byKind[kind].get(id);
    // evolve first: if it throws, the index is left as it was
    const state = fold.evolve(entity ? entity.state : fold.initialState, kept);
    if (entity) {
      entity.add(kept, state);
    } else {
      const created = Entity.first(kind, id, kept, state, this.checkpointEvery);
      this.byKind[kind].set(id, created);
      this.ordered[kind].push(created);
    }
    for (const key of referencesOf(kind, event.type, event.data)) {
      let set = this.links.get(key);
      if (!set) this.links.set(key, (set = new Set()));
      set.add(event.stream);
    }
  }

  /** The entity of a kind, or undefined when its stream has no event. */
  entity<K extends EntityKind>(kind: K, id: string): Entity<StateOf<K>> | undefined {
    return this.byKind[kind].get(id) as Entity<StateOf<K>> | undefined;
  }

  /** An entity's state at the cut; undefined when it did not exist there. */
  stateOf<K extends EntityKind>(kind: K, id: string, cut: ResolvedCut): StateOf<K> | undefined {
    const entity = this.entity(kind, id);
    return entity ? stateAt(entity, cut, foldOf(kind)) : undefined;
  }

  /**
   * Calls `each` for every entity of a kind that existed at the cut, with its state there, in the order of their
   * first events. Entities are kept in that order, so a knownAt cut stops at the first one recorded after it.
   */
  forEachAt<K extends EntityKind>(kind: K, cut: ResolvedCut, each: (state: StateOf<K>, entity: Entity<StateOf<K>>) => void): void {
    const bound = cut.recordedAtMs === undefined ? undefined : this.log.lastPositionRecordedBy(cut.recordedAtMs);
    if (bound === null) return;
    const fold = foldOf(kind);
    for (const entity of this.ordered[kind] as Entity<StateOf<K>>[]) {
      if (bound !== undefined && entity.firstPosition > bound) break;
      const state = stateAt(entity, cut, fold);
      if (state !== undefined) each(state, entity);
    }
  }

  /**
   * The entities of a kind that exist at the cut (status not 'none'), with their facets there. An entity wholly
   * inside the cut answers with its current facets, without its state being read.
   */
  listAt<K extends EntityKind>(kind: K, cut: ResolvedCut): Listed<StateOf<K>>[] {
    const listed: Listed<StateOf<K>>[] = [];
    const bound = cut.recordedAtMs === undefined ? undefined : this.log.lastPositionRecordedBy(cut.recordedAtMs);
    if (bound === null) return listed;
    const fold = foldOf(kind);
    const entities = this.ordered[kind] as Entity<StateOf<K>>[];
    for (let i = 0; i < entities.length; i++) {
      const entity = entities[i]!;
      if (bound !== undefined && entity.firstPosition > bound) break;
      if (wholly(entity, cut)) {
        if (entity.facets.status !== 'none') listed.push(entity.listed);
      } else if (!outside(entity, cut)) {
        let at = facetsAt(entity, cut);
        if (at === null) {
          const state = stateAt(entity, cut, fold);
          at = state === undefined ? undefined : facetsOf(kind, entity.id, state);
        }
        if (at !== undefined && at.status !== 'none') listed.push({ entity, facets: at, whole: false });
      }
    }
    return listed;
  }

  /** The state at the cut of an entity listAt listed for it. */
  stateOfListed<S>(item: Listed<S>, cut: ResolvedCut): S {
    return item.whole ? item.entity.state : stateAt(item.entity, cut, foldOf(item.entity.kind) as unknown as KindFold<S>)!;
  }

  /** The same as forEachAt, as a list. */
  statesOf<K extends EntityKind>(kind: K, cut: ResolvedCut): { entity: Entity<StateOf<K>>; state: StateOf<K> }[] {
    const found: { entity: Entity<StateOf<K>>; state: StateOf<K> }[] = [];
    this.forEachAt(kind, cut, (state, entity) => found.push({ entity, state }));
    return found;
  }

  /** The ids of entities of `kind` whose events refer to `target` (`meeting:<id>`, `partner:<id>`). */
  linked(kind: EntityKind, target: string): string[] {
    const streams = this.links.get(target);
    if (!streams) return [];
    const ids: string[] = [];
    for (const stream of streams) {
      const ref = entityOfStream(stream);
      if (ref && ref.kind === kind && this.byKind[kind].has(ref.id)) ids.push(ref.id);
    }
    return ids;
  }

  count(kind: EntityKind): number {
    return this.byKind[kind].size;
  }

  /** How many events the log index holds (every event applied, also those no entity keeps). */
  get size(): number {
    return this.log.size;
  }

  /** See LogIndex.lastPositionRecordedBy: where a knownAt cut ends in the log. */
  lastPositionRecordedBy(ms: number): bigint | null {
    return this.log.lastPositionRecordedBy(ms);
  }

  snapshot(): unknown {
    const entities = (Object.keys(entityKinds) as EntityKind[]).flatMap((kind) => this.ordered[kind]);
    return packIndex(entities, this.log.snapshot(), this.links);
  }

  restore(value: unknown): void {
    const { entities, log, links } = unpackIndex(value, this.checkpointEvery);
    this.reset();
    for (const entity of entities) {
      if (!this.byKind[entity.kind]) throw new SnapshotMismatch(`unknown entity kind ${entity.kind}`);
      this.byKind[entity.kind].set(entity.id, entity);
      this.ordered[entity.kind].push(entity);
    }
    this.log.restore(log);
    this.links = links;
  }

  reset(): void {
    this.byKind = emptyKinds();
    this.ordered = emptyLists();
    this.log.reset();
    this.links = new Map();
  }
}

function emptyLists(): Record<EntityKind, Entity[]> {
  const kinds = {} as Record<EntityKind, Entity[]>;
  for (const kind of Object.keys(entityKinds) as EntityKind[]) kinds[kind] = [];
  return kinds;
}

function emptyKinds(): Record<EntityKind, Map<string, Entity>> {
  const kinds = {} as Record<EntityKind, Map<string, Entity>>;
  for (const kind of Object.keys(entityKinds) as EntityKind[]) kinds[kind] = new Map();
  return kinds;
}
