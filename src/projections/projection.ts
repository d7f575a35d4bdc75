import v8 from 'node:v8';
import type { StoredEvent } from '../store/port';

/**
 * A read model fed from the global log. `apply` is called once per event, in log order, never concurrently.
 * `snapshot` returns a value v8.serialize can write (plain objects, arrays, Maps, Sets, bigints, typed arrays); it
 * is serialized at once, so it may share structure with the live model. Large bytes go in a SnapshotBlob at a top-level
 * property of that value: they are written as they are, not through the serializer, and come back as a view into the
 * snapshot's buffer (no copy). `restore` takes such a value back and throws SnapshotMismatch when it cannot use it
 * (the set then rebuilds every projection from the log).
 */
export interface Projection {
  readonly name: string;
  apply(event: StoredEvent): void;
  snapshot(): unknown;
  restore(snapshot: unknown): void;
  /** back to empty, as before the first event */
  reset(): void;
}

/** A chunk of a blob: text (written as UTF-8), bytes, or a range of bytes (so that no view is made for it). */
export type BlobChunk = string | Uint8Array | BytesRange;

export interface BytesRange {
  bytes: Uint8Array;
  start: number;
  end: number;
}

/**
 * Bytes a projection puts into its snapshot as they are, in chunks (strings are written as UTF-8); restored as one
 * Uint8Array view. Written straight into the snapshot's one buffer: no buffer per chunk, which on a large index
 * would make the garbage collector walk the heap again and again.
 */
export class SnapshotBlob {
  private lengths: number[] | undefined;

  constructor(readonly chunks: readonly BlobChunk[]) {}

  chunkLengths(): number[] {
    this.lengths ??= this.chunks.map((chunk) =>
      typeof chunk === 'string' ? Buffer.byteLength(chunk, 'utf8') : 'bytes' in chunk ? chunk.end - chunk.start : chunk.byteLength,
    );
    return this.lengths;
  }

  get byteLength(): number {
    return this.chunkLengths().reduce((sum, length) => sum + length, 0);
  }
}

interface BlobMarker {
  snapshotBlob: number;
}

/** A snapshot that does not fit the read models of this program (other format, other projections, other folds). */
export class SnapshotMismatch extends Error {
  override readonly name = 'SnapshotMismatch';
}

/** The last event applied: where the set resumes, and how a restart checks the snapshot belongs to the log. */
export interface Checkpoint {
  position: bigint;
  stream: string;
  revision: bigint;
  eventId: string;
}

const FORMAT = 'allianz-ledger/read-models';
const FORMAT_VERSION = 2;
/** "ALZRM" and the format version: a file that does not start so is not a snapshot */
const MAGIC = Buffer.from(`ALZRM${String(FORMAT_VERSION).padStart(3, '0')}`, 'latin1');

/**
 * The file: MAGIC, the header's length (u32, little-endian), the header (v8), then the blobs one after the other;
 * the header names each blob's length.
 */
interface SetSnapshot {
  format: string;
  version: number;
  checkpoint: Checkpoint | null;
  applied: number;
  parts: [name: string, value: unknown][];
  blobs: number[];
}

/**
 * The read models that share one checkpoint. The checkpoint lives inside the snapshot, so a read model and its
 * checkpoint are written together (and a rename makes that atomic on disk). Further read models (the integrity
 * module's Merkle tree) join by being passed in `projections`.
 */
export class ReadModelSet {
  private last: Checkpoint | null = null;
  private count = 0;

  constructor(readonly projections: readonly Projection[]) {
    const names = projections.map((p) => p.name);
    if (new Set(names).size !== names.length) throw new Error(`projection names must be distinct: ${names.join(', ')}`);
  }

  /** the position of the last event applied, or null before the first */
  get position(): bigint | null {
    return this.last?.position ?? null;
  }

  get checkpoint(): Checkpoint | null {
    return this.last ? { ...this.last } : null;
  }

  /** events applied since the set was empty */
  get applied(): number {
    return this.count;
  }

  /**
   * Applies an event to every projection. An event at or before the checkpoint was applied already and is skipped
   * (false), so a resumed subscription never applies one twice. A projection that throws leaves the set unusable:
   * the runner stops, and a restart resumes from the last snapshot.
   */
  apply(event: StoredEvent): boolean {
    if (this.last !== null && event.position <= this.last.position) return false;
    for (const projection of this.projections) projection.apply(event);
    this.last = { position: event.position, stream: event.stream, revision: event.revision, eventId: event.eventId };
    this.count += 1;
    return true;
  }

  snapshot(): Buffer {
    const blobs: SnapshotBlob[] = [];
    const parts = this.projections.map((p): [string, unknown] => [p.name, extractBlobs(p.snapshot(), blobs)]);
    const value: SetSnapshot = {
      format: FORMAT,
      version: FORMAT_VERSION,
      checkpoint: this.last,
      applied: this.count,
      parts,
      blobs: blobs.map((b) => b.byteLength),
    };
    const header = v8.serialize(value);
    const size = MAGIC.length + 4 + header.length + value.blobs.reduce((a, b) => a + b, 0);
    const out = Buffer.allocUnsafe(size);
    let at = MAGIC.copy(out, 0);
    at = out.writeUInt32LE(header.length, at);
    at += header.copy(out, at);
    for (const blob of blobs) {
      const lengths = blob.chunkLengths();
      blob.chunks.forEach((chunk, i) => {
        if (typeof chunk === 'string') out.write(chunk, at, 'utf8');
        else if ('bytes' in chunk) asBuffer(chunk.bytes).copy(out, at, chunk.start, chunk.end);
        else out.set(chunk, at);
        at += lengths[i]!;
      });
    }
    return out;
  }

  /** Throws SnapshotMismatch (and leaves the set empty) when the snapshot does not fit. */
  restore(buffer: Buffer): void {
    try {
      const { checkpoint, applied, parts } = decodeSnapshot(buffer);
      const names = this.projections.map((p) => p.name);
      if (parts.size !== names.length || names.some((n) => !parts.has(n))) {
        throw new SnapshotMismatch(`the snapshot holds ${[...parts.keys()].join(', ')}, not ${names.join(', ')}`);
      }
      for (const projection of this.projections) projection.restore(parts.get(projection.name));
      this.last = checkpoint;
      this.count = applied;
    } catch (error) {
      this.reset();
      throw error;
    }
  }

  reset(): void {
    for (const projection of this.projections) projection.reset();
    this.last = null;
    this.count = 0;
  }
}

/**
 * What a snapshot holds: the checkpoint, the count of events applied, and each projection's value by name (its
 * blobs as views into `buffer`). Throws SnapshotMismatch when the bytes are not a snapshot of this format.
 */
export function decodeSnapshot(buffer: Buffer): { checkpoint: Checkpoint | null; applied: number; parts: Map<string, unknown> } {
  if (buffer.length < MAGIC.length + 4 || !buffer.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new SnapshotMismatch('not a read-model snapshot of this format');
  }
  const headerLength = buffer.readUInt32LE(MAGIC.length);
  const headerStart = MAGIC.length + 4;
  let value: Partial<SetSnapshot>;
  try {
    value = v8.deserialize(buffer.subarray(headerStart, headerStart + headerLength)) as Partial<SetSnapshot>;
  } catch (error) {
    throw new SnapshotMismatch(`unreadable snapshot: ${(error as Error).message}`);
  }
  if (value?.format !== FORMAT || value.version !== FORMAT_VERSION || !Array.isArray(value.parts) || !Array.isArray(value.blobs)) {
    throw new SnapshotMismatch('not a read-model snapshot of this format');
  }
  const views: Uint8Array[] = [];
  let at = headerStart + headerLength;
  for (const length of value.blobs) {
    if (at + length > buffer.length) throw new SnapshotMismatch('the snapshot is cut short');
    views.push(buffer.subarray(at, at + length));
    at += length;
  }
  const parts = new Map(value.parts.map(([name, part]) => [name, insertBlobs(part, views)]));
  return { checkpoint: value.checkpoint ?? null, applied: value.applied ?? 0, parts };
}

/** Replaces SnapshotBlobs at the top level of a projection's snapshot value by markers, collecting their bytes. */
function extractBlobs(value: unknown, blobs: SnapshotBlob[]): unknown {
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field instanceof SnapshotBlob) {
      out[key] = { snapshotBlob: blobs.length } satisfies BlobMarker;
      blobs.push(field);
    } else out[key] = field;
  }
  return out;
}

function insertBlobs(value: unknown, views: readonly Uint8Array[]): unknown {
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const index = isPlainObject(field) && typeof field.snapshotBlob === 'number' ? field.snapshotBlob : undefined;
    if (index !== undefined && !views[index]) throw new SnapshotMismatch(`the snapshot lacks blob ${index}`);
    out[key] = index === undefined ? field : views[index];
  }
  return out;
}

/** Not by prototype: v8.deserialize makes objects of the main realm, which a test runner's realm does not share. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return Object.prototype.toString.call(value) === '[object Object]' && !(value instanceof SnapshotBlob);
}

/** A Buffer over the same memory (no copy), for Buffer's copy and toString. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
