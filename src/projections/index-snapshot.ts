import { Entity } from './entity';
import { foldFingerprint, type EntityKind } from './kinds';
import type { KindColumnsSnapshot } from './kind-columns';
import type { LogIndexSnapshot } from './log-index';
import { SnapshotBlob, SnapshotMismatch, type BlobChunk } from './projection';

/**
 * The index as a snapshot holds it: entities column by column (one value per entity, in the order of their kinds
 * and, within a kind, of their first events; strings joined by newlines), and every entity's state and events as
 * JSON bytes one after the other, so that a restore makes a handful of objects per entity and leaves the rest for
 * first use.
 */
export interface IndexSnapshot {
  fingerprint: string;
  kinds: string;
  /** JSON: a stream name could hold a newline */
  ids: string;
  minDays: string;
  maxDays: string;
  firstPositions: BigInt64Array;
  lastPositions: BigInt64Array;
  minRecordedAtMs: Float64Array;
  maxRecordedAtMs: Float64Array;
  recordedAtOrdered: Uint8Array;
  eventCounts: Float64Array;
  /** what lists at a cut read: the facet combinations, and per kind its columns (see KindColumns) */
  columns: IndexColumns;
  /** entity i's state is texts[ends[2i-1] .. ends[2i]), its events texts[ends[2i] .. ends[2i+1]) */
  texts: Uint8Array | SnapshotBlob;
  ends: Float64Array;
  log: LogIndexSnapshot;
  /** JSON of [key, streams][] */
  links: string;
}

export interface IndexColumns {
  facets: [status: string, kind: string, day: string][];
  kinds: [kind: string, columns: KindColumnsSnapshot][];
}

/** The entity index as a snapshot value: `entities` in the order of their kinds and, within one, of their first events. */
export function packIndex(entities: readonly Entity[], log: LogIndexSnapshot, links: Map<string, Set<string>>, columns: IndexColumns): IndexSnapshot {
  const texts: BlobChunk[] = [];
  for (const entity of entities) texts.push(entity.packedState(), entity.packedEvents());
  const blob = new SnapshotBlob(texts);
  const lengths = blob.chunkLengths();
  const ends = new Float64Array(entities.length * 2);
  let end = 0;
  lengths.forEach((length, i) => (ends[i] = end += length));
  return {
    fingerprint: foldFingerprint(),
    kinds: entities.map((e) => e.kind).join('\n'),
    ids: JSON.stringify(entities.map((e) => e.id)),
    minDays: entities.map((e) => e.minDay).join('\n'),
    maxDays: entities.map((e) => e.maxDay).join('\n'),
    firstPositions: BigInt64Array.from(entities, (e) => e.firstPosition),
    lastPositions: BigInt64Array.from(entities, (e) => e.lastPosition),
    minRecordedAtMs: Float64Array.from(entities, (e) => e.minRecordedAtMs),
    maxRecordedAtMs: Float64Array.from(entities, (e) => e.maxRecordedAtMs),
    recordedAtOrdered: Uint8Array.from(entities, (e) => (e.recordedAtOrdered ? 1 : 0)),
    eventCounts: Float64Array.from(entities, (e) => e.eventCount),
    columns,
    texts: blob,
    ends,
    log,
    links: JSON.stringify([...links].map(([key, streams]) => [key, [...streams]])),
  };
}

/** Cold entities (see Entity) and the rest of the index from a snapshot value; SnapshotMismatch when it does not fit. */
export function unpackIndex(
  value: unknown,
  checkpointEvery: number,
): { entities: Entity[]; log: LogIndexSnapshot; links: Map<string, Set<string>>; columns: IndexColumns } {
  const s = value as (IndexSnapshot & { texts: Uint8Array }) | null;
  if (!s || s.fingerprint !== foldFingerprint()) throw new SnapshotMismatch('the entity index was written by other fold code');
  if (!ArrayBuffer.isView(s.texts)) throw new SnapshotMismatch('the entity index snapshot lacks its texts');
  const count = s.eventCounts.length;
  const lines = (text: string) => (count === 0 ? [] : text.split('\n'));
  const [kinds, minDays, maxDays] = [lines(s.kinds), lines(s.minDays), lines(s.maxDays)];
  const ids = JSON.parse(s.ids) as string[];
  if (!s.columns || !Array.isArray(s.columns.facets) || !Array.isArray(s.columns.kinds)) throw new SnapshotMismatch('the entity index snapshot lacks its list columns');
  if ([kinds, ids, minDays, maxDays].some((column) => column.length !== count)) throw new SnapshotMismatch('entity columns differ in length');
  const entities: Entity[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const id = ids[i]!;
    const bounds = {
      firstPosition: s.firstPositions[i]!,
      lastPosition: s.lastPositions[i]!,
      minDay: minDays[i]!,
      maxDay: maxDays[i]!,
      minRecordedAtMs: s.minRecordedAtMs[i]!,
      maxRecordedAtMs: s.maxRecordedAtMs[i]!,
      eventCount: s.eventCounts[i]!,
    };
    const stateEnd = s.ends[2 * i]!;
    const eventsEnd = s.ends[2 * i + 1]!;
    entities.push(
      Entity.cold(kinds[i] as EntityKind, id, bounds, {
        recordedAtOrdered: s.recordedAtOrdered[i] === 1,
        state: { bytes: s.texts, start, end: stateEnd },
        events: { bytes: s.texts, start: stateEnd, end: eventsEnd },
        checkpointEvery,
      }),
    );
    start = eventsEnd;
  }
  const links = new Map((JSON.parse(s.links) as [string, string[]][]).map(([key, streams]) => [key, new Set(streams)]));
  return { entities, log: s.log, links, columns: s.columns };
}
