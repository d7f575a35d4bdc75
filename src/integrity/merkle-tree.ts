import {
  EMPTY_ROOT,
  HASH_BYTES,
  floorLog2,
  hashChildren,
  hashLeaf,
  largestPowerOfTwoBelow,
  parseHexHash,
  sha256,
  toHashBytes,
} from './merkle-hashing';

export { EMPTY_ROOT, eventLeafHash, hashChildren, hashLeaf } from './merkle-hashing';

function requireSize(value: number, what: string, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${what} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
}

const MAGIC = Buffer.from('ALMT', 'ascii');
const FORMAT_VERSION = 1;
const HEADER_BYTES = 16;

/** Number of stored nodes at `level` in a tree of `size` leaves. */
function nodesAt(size: number, level: number): number {
  return Math.floor(size / 2 ** level);
}

/**
 * The RFC 6962 / RFC 9162 Merkle tree over the log: leaf i is SHA-256(0x00 ‖ the 32 bytes of event i's hash), an
 * interior node SHA-256(0x01 ‖ left ‖ right), split at the largest power of two below the size.
 *
 * Storage: `levels[l]` holds, in one flat buffer, the roots of the complete subtrees of 2^l leaves that exist so far
 * (level 0 the leaf hashes). Such a node never changes once its last leaf is in, so appends only add nodes (amortised
 * one hash more than the leaf's), and the hash of any range the RFC recursion visits, at any historical size, is a
 * fold of at most log2(n) stored nodes. That makes root(size) O(log n) and proofs O(log² n) hashes, at 64 bytes a
 * leaf (up to half as much again of spare capacity while growing).
 */
export class MerkleTree {
  private leafCount = 0;
  private readonly levels: Buffer[] = [];

  /** A tree over events' hashes (hex, log order), built level by level rather than append by append. */
  static fromEventHashes(eventHashes: readonly string[]): MerkleTree {
    const leaves = Buffer.alloc(eventHashes.length * HASH_BYTES);
    eventHashes.forEach((hex, i) => {
      leaves.set(hashLeaf(parseHexHash(hex, `event hash ${i}`)), i * HASH_BYTES);
    });
    return MerkleTree.fromLeafLevel(leaves);
  }

  /** A tree over ready-made leaf hashes (for leaves that are not event hashes, such as RFC test vectors). */
  static fromLeafHashes(leafHashes: readonly (Uint8Array | string)[]): MerkleTree {
    const leaves = Buffer.alloc(leafHashes.length * HASH_BYTES);
    leafHashes.forEach((leaf, i) => leaves.set(toHashBytes(leaf, `leaf hash ${i}`), i * HASH_BYTES));
    return MerkleTree.fromLeafLevel(leaves);
  }

  private static fromLeafLevel(leaves: Buffer): MerkleTree {
    const tree = new MerkleTree();
    const size = leaves.length / HASH_BYTES;
    tree.leafCount = size;
    if (size === 0) return tree;
    tree.levels.push(leaves);
    for (let level = 1; nodesAt(size, level) > 0; level++) {
      const below = tree.levels[level - 1] as Buffer;
      const count = nodesAt(size, level);
      const nodes = Buffer.alloc(count * HASH_BYTES);
      for (let i = 0; i < count; i++) {
        const left = below.subarray(2 * i * HASH_BYTES, (2 * i + 1) * HASH_BYTES);
        const right = below.subarray((2 * i + 1) * HASH_BYTES, (2 * i + 2) * HASH_BYTES);
        nodes.set(hashChildren(left, right), i * HASH_BYTES);
      }
      tree.levels.push(nodes);
    }
    return tree;
  }

  /**
   * Restores a tree saved with `toBuffer()`. Checks the format, the length and the trailing checksum, so a damaged
   * checkpoint is refused rather than answering wrong roots; it does not rehash the tree.
   */
  static fromBuffer(data: Uint8Array): MerkleTree {
    const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const fail = (why: string): never => {
      throw new Error(`not a saved Merkle tree: ${why}`);
    };
    if (buf.length < HEADER_BYTES + HASH_BYTES) fail('too short');
    if (!buf.subarray(0, 4).equals(MAGIC)) fail('wrong magic');
    if (buf[4] !== FORMAT_VERSION) fail(`unknown format version ${String(buf[4])}`);
    if (buf[5] !== 0 || buf[6] !== 0 || buf[7] !== 0) fail('reserved bytes set');
    const size64 = buf.readBigUInt64BE(8);
    if (size64 > BigInt(Number.MAX_SAFE_INTEGER)) fail('size out of range');
    const size = Number(size64);
    if (buf.length !== MerkleTree.serializedLength(size)) fail('length does not match the size');
    const body = buf.subarray(0, buf.length - HASH_BYTES);
    if (!sha256(body).equals(buf.subarray(buf.length - HASH_BYTES))) fail('checksum mismatch');

    const tree = new MerkleTree();
    tree.leafCount = size;
    let offset = HEADER_BYTES;
    for (let level = 0; nodesAt(size, level) > 0; level++) {
      const bytes = nodesAt(size, level) * HASH_BYTES;
      tree.levels.push(Buffer.from(buf.subarray(offset, offset + bytes)));
      offset += bytes;
    }
    return tree;
  }

  private static serializedLength(size: number): number {
    let nodes = 0;
    for (let level = 0; nodesAt(size, level) > 0; level++) nodes += nodesAt(size, level);
    return HEADER_BYTES + nodes * HASH_BYTES + HASH_BYTES;
  }

  /** Number of leaves. */
  get size(): number {
    return this.leafCount;
  }

  /** Bytes held by the tree's buffers, spare capacity included. */
  get allocatedBytes(): number {
    return this.levels.reduce((sum, level) => sum + level.length, 0);
  }

  /** Appends an event by its hash (hex); returns its leaf index. */
  append(eventHashHex: string): number {
    return this.appendLeafHash(hashLeaf(parseHexHash(eventHashHex, 'event hash')));
  }

  /** Appends a ready-made leaf hash (32 bytes or hex); returns its leaf index. */
  appendLeafHash(leafHash: Uint8Array | string): number {
    const index = this.leafCount;
    this.store(0, index, toHashBytes(leafHash, 'leaf hash'));
    this.leafCount = index + 1;
    // Every odd index closes a pair, whose parent may close a pair one level up, and so on.
    let level = 0;
    let i = index;
    while (i % 2 === 1) {
      const parent = hashChildren(this.node(level, i - 1), this.node(level, i));
      level += 1;
      i = (i - 1) / 2;
      this.store(level, i, parent);
    }
    return index;
  }

  /** The leaf hash (hex) at `leafIndex`. */
  leafHash(leafIndex: number): string {
    requireSize(leafIndex, 'leaf index', 0, this.leafCount - 1);
    return this.node(0, leafIndex).toString('hex');
  }

  /** MTH of the first `size` leaves (RFC 9162 §2.1.1), hex. */
  root(size: number = this.leafCount): string {
    requireSize(size, 'tree size', 0, this.leafCount);
    return size === 0 ? EMPTY_ROOT : this.rangeHash(0, size).toString('hex');
  }

  /** PATH(leafIndex, D[treeSize]) of RFC 9162 §2.1.3.1: sibling hashes from the leaf up, hex. */
  inclusionProof(leafIndex: number, treeSize: number = this.leafCount): string[] {
    requireSize(treeSize, 'tree size', 1, this.leafCount);
    requireSize(leafIndex, 'leaf index', 0, treeSize - 1);
    const path: Buffer[] = [];
    let start = 0;
    let end = treeSize;
    while (end - start > 1) {
      const k = largestPowerOfTwoBelow(end - start);
      if (leafIndex < start + k) {
        path.push(this.rangeHash(start + k, end));
        end = start + k;
      } else {
        path.push(this.rangeHash(start, start + k));
        start += k;
      }
    }
    return path.reverse().map((hash) => hash.toString('hex'));
  }

  /**
   * PROOF(fromSize, D[toSize]) of RFC 9162 §2.1.4.1, hex. The RFC defines it for 0 < fromSize < toSize; for
   * fromSize = toSize and for fromSize = 0 (the empty tree is a prefix of every tree) there is nothing to prove and
   * the proof is empty. `verifyConsistency` accepts those cases with an empty proof and the matching roots.
   */
  consistencyProof(fromSize: number, toSize: number = this.leafCount): string[] {
    requireSize(toSize, 'tree size', 0, this.leafCount);
    requireSize(fromSize, 'earlier tree size', 0, toSize);
    if (fromSize === 0 || fromSize === toSize) return [];
    const proof: Buffer[] = [];
    let start = 0;
    let end = toSize;
    let wholeTree = true; // SUBPROOF's b: whether [start, end) is still the whole tree the proof is for
    for (;;) {
      if (fromSize === end) {
        if (!wholeTree) proof.push(this.rangeHash(start, end));
        break;
      }
      const k = largestPowerOfTwoBelow(end - start);
      if (fromSize - start <= k) {
        proof.push(this.rangeHash(start + k, end));
        end = start + k;
      } else {
        proof.push(this.rangeHash(start, start + k));
        start += k;
        wholeTree = false;
      }
    }
    return proof.reverse().map((hash) => hash.toString('hex'));
  }

  /**
   * The tree's state as bytes, for checkpoints: "ALMT", format version, three zero bytes, the size as a big-endian
   * u64, every level's nodes from the leaves up, then SHA-256 of everything before it.
   */
  toBuffer(): Buffer {
    const size = this.leafCount;
    const out = Buffer.alloc(MerkleTree.serializedLength(size));
    MAGIC.copy(out, 0);
    out[4] = FORMAT_VERSION;
    out.writeBigUInt64BE(BigInt(size), 8);
    let offset = HEADER_BYTES;
    for (let level = 0; nodesAt(size, level) > 0; level++) {
      const bytes = nodesAt(size, level) * HASH_BYTES;
      (this.levels[level] as Buffer).copy(out, offset, 0, bytes);
      offset += bytes;
    }
    sha256(out.subarray(0, offset)).copy(out, offset);
    return out;
  }

  /**
   * MTH of leaves [start, end). Only for ranges the RFC recursion visits, where start is a multiple of the largest
   * power of two not above end - start: those split into complete stored subtrees of decreasing width, folded from
   * the right exactly as the recursion would combine them.
   */
  private rangeHash(start: number, end: number): Buffer {
    const parts: Buffer[] = [];
    let position = start;
    let remaining = end - start;
    for (let level = floorLog2(remaining); level >= 0; level--) {
      const width = 2 ** level;
      if (remaining >= width) {
        parts.push(this.node(level, position / width));
        position += width;
        remaining -= width;
      }
    }
    let hash = parts.pop() as Buffer;
    for (let part = parts.pop(); part !== undefined; part = parts.pop()) hash = hashChildren(part, hash);
    return hash;
  }

  private node(level: number, index: number): Buffer {
    const offset = index * HASH_BYTES;
    return (this.levels[level] as Buffer).subarray(offset, offset + HASH_BYTES);
  }

  private store(level: number, index: number, hash: Uint8Array): void {
    const current = this.levels[level];
    const capacity = current === undefined ? 0 : current.length / HASH_BYTES;
    if (index >= capacity) {
      // Grow by half again: amortised O(1) copies per node, at most a third of a level left spare.
      const grown = Buffer.alloc(Math.max(index + 1, Math.floor((capacity * 3) / 2), 64) * HASH_BYTES);
      current?.copy(grown);
      this.levels[level] = grown;
    }
    (this.levels[level] as Buffer).set(hash, index * HASH_BYTES);
  }
}
