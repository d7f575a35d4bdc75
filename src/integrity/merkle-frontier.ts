import { EMPTY_ROOT, hashChildren, hashLeaf } from './merkle-hashing';

/**
 * The root of the RFC 6962 tree over a stream of leaves, in O(log n) memory: the roots of the complete subtrees
 * that the leaves so far fall into (one per 1-bit of the count, widest first). RFC 9162's MTH of n leaves folds
 * exactly these from the right, so the root at every size passed through is available on the way, without keeping
 * the 64 bytes a leaf of a MerkleTree. For a verifier that reads the whole log once.
 */
export class MerkleFrontier {
  private count = 0;
  private readonly subtrees: Buffer[] = [];

  get size(): number {
    return this.count;
  }

  /** Appends an event by its hash (the 32 bytes, not hex). */
  appendEventHash(eventHash: Uint8Array): void {
    this.appendLeafHash(hashLeaf(eventHash));
  }

  appendLeafHash(leafHash: Buffer): void {
    let node = leafHash;
    // each trailing 1-bit of the count closes a pair of equal subtrees into one twice as wide
    for (let n = this.count; n % 2 === 1; n = (n - 1) / 2) node = hashChildren(this.subtrees.pop() as Buffer, node);
    this.subtrees.push(node);
    this.count += 1;
  }

  /** The root (hex) over the leaves appended so far. */
  root(): string {
    const last = this.subtrees.length - 1;
    if (last < 0) return EMPTY_ROOT;
    let root = this.subtrees[last] as Buffer;
    for (let i = last - 1; i >= 0; i--) root = hashChildren(this.subtrees[i] as Buffer, root);
    return root.toString('hex');
  }
}
