import { berlinDate } from '../domain/shared/dates';
import type { EventMetadata } from '../ledger/envelope';
import type { StoredEvent } from '../store/port';
import { stateAt, wholly, type ResolvedCut } from './as-of';
import { CHECKPOINT_EVERY, Entity, internActor, type KeptEvent } from './entity';
import { dayNumber, FacetTable, type FacetEntry } from './facet-table';
import { facetsOf } from './facets';
import { KindColumns } from './kind-columns';
import { ListedAt, type ListedItem } from './listed-at';
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
  /** per kind, what lists at a cut read (see KindColumns), with the facet combinations they refer to */
  private columns = emptyColumns();
  private facetTable = new FacetTable();
  private readonly log = new LogIndex();
  /** `kind:id` → streams whose events refer to it (see referencesOf) */
  private links = new Map<string, Set<string>>();
  private readonly checkpointEvery: number;
  private readonly refolds = new WeakMap<ResolvedCut, { applied: number; states: Map<Entity, unknown> }>();

  constructor(options: EntityIndexOptions = {}) {
    this.checkpointEvery = Math.max(1, Math.floor(options.checkpointEvery ?? CHECKPOINT_EVERY));
  }

  apply(event: StoredEvent): void {
    const meta = event.metadata as Partial<EventMetadata>;
    const parsedMs = typeof meta.recordedAt === 'string' ? Date.parse(meta.recordedAt) : NaN;
    const valid = Number.isFinite(parsedMs);
    const recordedAtMs = valid ? parsedMs : (this.log.lastRecordedAtMs ?? 0);
    const ref = entityOfStream(event.stream);
    if (ref && isDomainEventType(event.type)) {
      const recordedAt = valid ? (meta.recordedAt as string) : new Date(recordedAtMs).toISOString();
      this.keep(ref.kind, ref.id, event, meta, recordedAt, recordedAtMs, this.log.size);
    }
    this.log.push(event.position, recordedAtMs);
  }

  private keep(
    kind: EntityKind,
    id: string,
    event: StoredEvent,
    meta: Partial<EventMetadata>,
    recordedAt: string,
    recordedAtMs: number,
    ordinal: number,
  ): void {
    const occurredAt = typeof meta.occurredAt === 'string' ? meta.occurredAt : recordedAt;
    const actor = meta.actor && typeof meta.actor === 'object' ? meta.actor : undefined;
    const kept: KeptEvent = {
      type: event.type,
      data: event.data,
      occurredAt,
      position: event.position,
      eventId: event.eventId,
      day: berlinDate(occurredAt),
      recordedAt,
      recordedAtMs,
      actor: internActor(String(actor?.id ?? 'unknown'), String(actor?.role ?? 'system')),
    };
    const fold = foldOf(kind) as KindFold<unknown>;
    const entity = this.byKind[kind].get(id);
    // evolve first: if it throws, the index is left as it was
    const state = fold.evolve(entity ? entity.state : fold.initialState, kept);
    const columns = this.columns[kind];
    const facets = facetsOf(kind, state);
    // most events leave the facets as they were: reuse the code without building the table's key
    const previous = entity ? columns.eventCode[columns.lastEvent[entity.number]!]! : -1;
    const was = previous < 0 ? undefined : this.facetTable.entry(previous);
    const code = was && was.status === facets.status && was.kind === facets.kind && was.day === facets.day ? previous : this.facetTable.code(facets);
    if (entity) {
      entity.add(kept, state);
      columns.addEvent(entity.number, dayNumber(kept.day), recordedAtMs, code);
    } else {
      const created = Entity.first(kind, id, kept, state, this.checkpointEvery);
      created.number = columns.addEntity(ordinal, dayNumber(kept.day), recordedAtMs, code);
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
    return entity ? this.refolded(entity, cut) : undefined;
  }

  /**
   * stateAt, remembered for the cut object: one answer looks at the same entity again and again (the groups of
   * every partner on a page, the resolutions that formed each group), and a refold of a large group is not cheap.
   * A cut is made per request, so the memory goes with it.
   */
  private refolded<S>(entity: Entity<S>, cut: ResolvedCut): S | undefined {
    if (wholly(entity, cut)) return entity.state;
    let memo = this.refolds.get(cut);
    // an event applied since (a cut kept across an await) may change the fold: start again
    if (!memo || memo.applied !== this.log.size) this.refolds.set(cut, (memo = { applied: this.log.size, states: new Map() }));
    if (memo.states.has(entity)) return memo.states.get(entity) as S | undefined;
    const state = stateAt(entity, cut, foldOf(entity.kind) as unknown as KindFold<S>);
    memo.states.set(entity, state);
    return state;
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
   * The entities of a kind that exist at the cut (status not 'none') and whose facets there pass `keep`. An entity
   * wholly inside the cut answers with its current facets; one whose events inside the cut are its first k (the
   * usual case) with its facets after event k; only the rest (a back-dated event after a later-dated one) is
   * refolded. A pass over the kind's columns, with no object per entity.
   */
  listAt<K extends EntityKind>(kind: K, cut: ResolvedCut, keep?: (facets: FacetEntry, id: string) => boolean): ListedAt<StateOf<K>> {
    const entities = this.ordered[kind] as Entity<StateOf<K>>[];
    const listed = new ListedAt(entities, this.facetTable);
    this.scan(kind, cut, (n, code, whole) => {
      const facets = this.facetTable.entry(code);
      if (facets.status !== 'none' && (!keep || keep(facets, entities[n]!.id))) listed.push(n, code, whole);
    });
    return listed;
  }

  /** Calls `each` with the facets at the cut of every entity of a kind that exists there (what counts need). */
  facetsAt(kind: EntityKind, cut: ResolvedCut, each: (facets: FacetEntry) => void): void {
    this.scan(kind, cut, (_n, code) => {
      const facets = this.facetTable.entry(code);
      if (facets.status !== 'none') each(facets);
    });
  }

  /** Every entity of the kind with at least one event inside the cut: its number, its facet code there, and whether all its events are inside. */
  private scan(kind: EntityKind, cut: ResolvedCut, visit: (entity: number, code: number, whole: boolean) => void): void {
    const c = this.columns[kind];
    const day = cut.day === undefined ? Infinity : dayNumber(cut.day);
    const ms = cut.recordedAtMs ?? Infinity;
    const lastOrdinal = cut.recordedAtMs === undefined ? Infinity : this.log.lastOrdinalRecordedBy(cut.recordedAtMs);
    const { firstOrdinal, minDay, maxDay, minRecordedAt, maxRecordedAt, firstEvent, lastEvent, eventDay, eventRecordedAt, eventNext, eventCode } = c;
    for (let n = 0; n < c.entityCount; n++) {
      // entities are in the order of their first events: past the cut's end of the log, none is inside
      if (firstOrdinal[n]! > lastOrdinal) break;
      if (maxDay[n]! <= day && maxRecordedAt[n]! <= ms) {
        visit(n, eventCode[lastEvent[n]!]!, true);
        continue;
      }
      if (minDay[n]! > day || minRecordedAt[n]! > ms) continue;
      let lastInside = -1;
      let prefix = true;
      for (let e = firstEvent[n]!; e !== -1; e = eventNext[e]!) {
        if (eventDay[e]! <= day && eventRecordedAt[e]! <= ms) {
          if (!prefix) {
            lastInside = -2;
            break;
          }
          lastInside = e;
        } else prefix = false;
      }
      if (lastInside >= 0) visit(n, eventCode[lastInside]!, false);
      else if (lastInside === -2) {
        // the events inside are not a prefix: fold them
        const entity = this.ordered[kind][n]!;
        const state = stateAt(entity, cut, foldOf(kind) as KindFold<unknown>);
        if (state !== undefined) visit(n, this.facetTable.code(facetsOf(kind, state)), false);
      }
    }
  }

  /** The state at the cut of an entity listAt listed for it. */
  stateOfListed<S>(item: ListedItem<S>, cut: ResolvedCut): S {
    return item.whole ? item.entity.state : this.refolded(item.entity, cut)!;
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
    const kinds = Object.keys(entityKinds) as EntityKind[];
    const entities = kinds.flatMap((kind) => this.ordered[kind]);
    return packIndex(entities, this.log.snapshot(), this.links, {
      facets: this.facetTable.toJSON(),
      kinds: kinds.map((kind) => [kind, this.columns[kind].snapshot()]),
    });
  }

  restore(value: unknown): void {
    const { entities, log, links, columns } = unpackIndex(value, this.checkpointEvery);
    this.reset();
    for (const entity of entities) {
      if (!this.byKind[entity.kind]) throw new SnapshotMismatch(`unknown entity kind ${entity.kind}`);
      entity.number = this.ordered[entity.kind].length;
      this.byKind[entity.kind].set(entity.id, entity);
      this.ordered[entity.kind].push(entity);
    }
    this.log.restore(log);
    this.links = links;
    this.facetTable = FacetTable.from(columns.facets);
    for (const [kind, snapshot] of columns.kinds) {
      if (!this.byKind[kind as EntityKind]) throw new SnapshotMismatch(`unknown entity kind ${kind}`);
      let restored: KindColumns;
      try {
        restored = KindColumns.restore(snapshot);
      } catch (error) {
        throw new SnapshotMismatch(`the columns of ${kind} cannot be restored: ${(error as Error).message}`);
      }
      if (restored.entityCount !== this.ordered[kind as EntityKind].length) throw new SnapshotMismatch(`the columns of ${kind} do not fit its entities`);
      this.columns[kind as EntityKind] = restored;
    }
    for (const kind of Object.keys(entityKinds) as EntityKind[]) {
      if (this.columns[kind].entityCount !== this.ordered[kind].length) throw new SnapshotMismatch(`the snapshot lacks the columns of ${kind}`);
    }
  }

  reset(): void {
    this.byKind = emptyKinds();
    this.ordered = emptyLists();
    this.columns = emptyColumns();
    this.facetTable = new FacetTable();
    this.log.reset();
    this.links = new Map();
  }
}

function emptyColumns(): Record<EntityKind, KindColumns> {
  const kinds = {} as Record<EntityKind, KindColumns>;
  for (const kind of Object.keys(entityKinds) as EntityKind[]) kinds[kind] = new KindColumns();
  return kinds;
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
