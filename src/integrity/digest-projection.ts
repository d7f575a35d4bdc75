import { NotFound } from '../domain/shared/errors';
import { SnapshotMismatch, type Projection } from '../projections/projection';
import { StoreCorrupted } from '../store/errors';
import type { StoredEvent } from '../store/port';
import { InvalidProofRequest } from './errors';
import { EventIdIndex } from './event-id-index';
import { HASH_BYTES, hashLeaf, isHexHash, sha256 } from './merkle-hashing';
import { MerkleTree } from './merkle-tree';

/** The Merkle tree's root at a size: what a signed digest signs. */
export interface TreeDigest {
  size: number;
  rootHash: string;
}

/** GET /v1/ledger/proofs/inclusion (API.md). */
export interface InclusionProof {
  eventId: string;
  leafIndex: number;
  treeSize: number;
  /**
   * The event's hash as stored (metadata.hash), not the RFC 6962 leaf hash: `verifyInclusion(leafIndex, treeSize,
   * leafHash, auditPath, rootHash)` takes it as it is and computes SHA-256(0x00 ‖ its 32 bytes) itself.
   */
  leafHash: string;
  auditPath: string[];
  rootHash: string;
}

/** GET /v1/ledger/proofs/consistency (API.md). */
export interface ConsistencyProof {
  fromSize: number;
  toSize: number;
  fromRoot: string;
  toRoot: string;
  proof: string[];
}

export const LEDGER_DIGEST_PROJECTION = 'ledger-digest';

const MAGIC = Buffer.from('ALDG', 'ascii');
const FORMAT_VERSION = 1;

/**
 * The ledger's Merkle tree as a read model: fed every event in log order by the projection runner, it answers the
 * digest and the proofs at any size up to the events applied, in O(log² n).
 *
 * Memory, about 120 bytes an event (plus up to half as much again of spare capacity while growing): the tree's 64,
 * the event hashes' 32 (an inclusion proof answers with the hash as stored, and a leaf hash cannot be turned back
 * into it), and an EventIdIndex's 24 for the lookup by event id (the store port has no lookup by id, so the
 * projection keeps its own, compactly).
 *
 * An event without a well-formed metadata.hash (64 hex digits) cannot become a leaf: apply throws StoreCorrupted,
 * which stops the runner at that event (a ledger whose log was altered answers no digest rather than a wrong one);
 * verifyLedger names the event.
 */
export class LedgerDigestProjection implements Projection {
  readonly name = LEDGER_DIGEST_PROJECTION;
  private tree = new MerkleTree();
  private ids = new EventIdIndex();
  private hashes: Buffer = Buffer.alloc(1024 * HASH_BYTES);

  /** Events applied: the tree's size. */
  get size(): number {
    return this.tree.size;
  }

  apply(event: StoredEvent): void {
    const hash = event.metadata.hash;
    if (!isHexHash(hash)) {
      const at = { position: event.position, stream: event.stream, revision: event.revision, eventId: event.eventId };
      throw new StoreCorrupted(`event ${event.stream}@${event.revision} (position ${event.position}) has no well-formed metadata.hash`, { at });
    }
    const index = this.tree.size;
    if ((index + 1) * HASH_BYTES > this.hashes.length) {
      const grown = Buffer.alloc(Math.floor((this.hashes.length * 3) / 2));
      this.hashes.copy(grown);
      this.hashes = grown;
    }
    this.hashes.write(hash, index * HASH_BYTES, HASH_BYTES, 'hex');
    this.tree.appendLeafHash(hashLeaf(this.hashes.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES)));
    this.ids.push(event.eventId);
  }

  /** The root at `size` (default: every event applied). */
  digest(size: number = this.size): TreeDigest {
    this.requireSize(size, 'size', 0);
    return { size, rootHash: this.tree.root(size) };
  }

  /**
   * Proof that the event is leaf `leafIndex` of the tree of `size` events (default: all). NotFound for an event the
   * projection has not seen; InvalidProofRequest when `size` is not 1…size or the event is not among the first `size`.
   */
  inclusionProof(eventId: string, size: number = this.size): InclusionProof {
    const leafIndex = this.ids.indexOf(eventId);
    if (leafIndex < 0) throw new NotFound('event', String(eventId));
    this.requireSize(size, 'size', 1);
    if (leafIndex >= size) {
      throw new InvalidProofRequest(`event ${eventId} is leaf ${leafIndex}, not among the first ${size} events`);
    }
    return {
      eventId,
      leafIndex,
      treeSize: size,
      leafHash: this.hashes.toString('hex', leafIndex * HASH_BYTES, (leafIndex + 1) * HASH_BYTES),
      auditPath: this.tree.inclusionProof(leafIndex, size),
      rootHash: this.tree.root(size),
    };
  }

  /** Proof that the tree of `to` events (default: all) extends the tree of `from`; needs 0 ≤ from ≤ to ≤ size. */
  consistencyProof(from: number, to: number = this.size): ConsistencyProof {
    this.requireSize(to, 'to', 0);
    this.requireSize(from, 'from', 0);
    if (from > to) throw new InvalidProofRequest(`from (${from}) must not be larger than to (${to})`);
    return {
      fromSize: from,
      toSize: to,
      fromRoot: this.tree.root(from),
      toRoot: this.tree.root(to),
      proof: this.tree.consistencyProof(from, to),
    };
  }

  /**
   * "ALDG", format version, three zero bytes, then three length-prefixed (u64 BE) parts: the tree
   * (MerkleTree.toBuffer), the event hashes (32 bytes each), the event ids (EventIdIndex.toBuffer); last SHA-256
   * of everything before it.
   */
  snapshot(): Buffer {
    const parts = [this.tree.toBuffer(), this.hashes.subarray(0, this.size * HASH_BYTES), this.ids.toBuffer()];
    const body = Buffer.alloc(8 + parts.reduce((sum, part) => sum + 8 + part.length, 0));
    MAGIC.copy(body, 0);
    body[4] = FORMAT_VERSION;
    let offset = 8;
    for (const part of parts) {
      body.writeBigUInt64BE(BigInt(part.length), offset);
      part.copy(body, offset + 8);
      offset += 8 + part.length;
    }
    return Buffer.concat([body, sha256(body)]);
  }

  /** Throws SnapshotMismatch (leaving the projection empty) for anything but an intact snapshot of this format. */
  restore(snapshot: Buffer): void {
    try {
      const { tree, hashes, ids } = readSnapshot(snapshot);
      this.tree = tree;
      this.hashes = hashes;
      this.ids = ids;
    } catch (error) {
      this.reset();
      if (error instanceof SnapshotMismatch) throw error;
      throw new SnapshotMismatch(`ledger digest snapshot: ${(error as Error).message}`);
    }
  }

  reset(): void {
    this.tree = new MerkleTree();
    this.ids = new EventIdIndex();
    this.hashes = Buffer.alloc(1024 * HASH_BYTES);
  }

  private requireSize(value: number, what: string, min: number): void {
    if (!Number.isSafeInteger(value) || value < min || value > this.size) {
      throw new InvalidProofRequest(`${what} must be a whole number from ${min} to ${this.size}, got ${String(value)}`);
    }
  }
}

function readSnapshot(snapshot: unknown): { tree: MerkleTree; hashes: Buffer; ids: EventIdIndex } {
  const fail = (why: string): never => {
    throw new SnapshotMismatch(`ledger digest snapshot: ${why}`);
  };
  if (!(snapshot instanceof Uint8Array)) return fail('not bytes');
  const data = Buffer.from(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength);
  if (data.length < 8 + HASH_BYTES || !data.subarray(0, 4).equals(MAGIC)) return fail('not a ledger digest snapshot');
  if (data[4] !== FORMAT_VERSION) return fail(`unknown format version ${String(data[4])}`);
  const body = data.subarray(0, data.length - HASH_BYTES);
  if (!sha256(body).equals(data.subarray(body.length))) return fail('checksum mismatch');
  const parts: Buffer[] = [];
  let offset = 8;
  for (let i = 0; i < 3; i++) {
    if (offset + 8 > body.length) return fail('truncated');
    const length = body.readBigUInt64BE(offset);
    if (length > BigInt(body.length - offset - 8)) return fail('truncated');
    parts.push(body.subarray(offset + 8, offset + 8 + Number(length)));
    offset += 8 + Number(length);
  }
  if (offset !== body.length) return fail('trailing bytes');
  const [treeBytes, hashBytes, idBytes] = parts as [Buffer, Buffer, Buffer];
  const tree = MerkleTree.fromBuffer(treeBytes);
  const ids = EventIdIndex.fromBuffer(idBytes);
  if (hashBytes.length !== tree.size * HASH_BYTES || ids.size !== tree.size) return fail('its parts disagree on the size');
  // the parts were written together; the last leaf checks that the hashes are the ones the tree was built from
  const last = tree.size - 1;
  if (last >= 0 && hashLeaf(hashBytes.subarray(last * HASH_BYTES)).toString('hex') !== tree.leafHash(last)) {
    return fail('the event hashes do not match the tree');
  }
  const hashes = Buffer.alloc(Math.max(1024, Math.ceil(tree.size * 1.5)) * HASH_BYTES);
  hashBytes.copy(hashes);
  return { tree, hashes, ids };
}
