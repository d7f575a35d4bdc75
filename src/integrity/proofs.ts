import { EMPTY_ROOT, hashChildren, hashLeaf, isHexHash } from './merkle-hashing';

/**
 * Proof verification an auditor can run with nothing but these functions and a digest they keep: RFC 9162's
 * algorithms (§2.1.3.2, §2.1.4.2) step by step, never by rebuilding a tree. Hashes are 64 hex digits (either case),
 * sizes and indices non-negative safe integers. Anything malformed makes the answer false; nothing throws.
 */

// No tree of at most 2^53 leaves has a longer proof; refusing longer arrays up front bounds the work per call.
const MAX_PROOF_HASHES = 2 * 53;

function isSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function parseProof(proof: unknown): Buffer[] | null {
  if (!Array.isArray(proof) || proof.length > MAX_PROOF_HASHES) return null;
  const hashes: Buffer[] = [];
  // Indexed, not every/map, which skip the holes of a sparse array.
  for (let i = 0; i < proof.length; i++) {
    const hex: unknown = proof[i];
    if (!isHexHash(hex)) return null;
    hashes.push(Buffer.from(hex, 'hex'));
  }
  return hashes;
}

const isOdd = (x: number): boolean => x % 2 === 1;
// Right shift without the 32-bit truncation of `>>`.
const half = (x: number): number => Math.floor(x / 2);

/**
 * RFC 9162 §2.1.3.2 from the leaf's RFC 6962 leaf hash: the root the audit path leads to, or null if the path does
 * not fit a leaf at `leafIndex` in a tree of `treeSize`.
 */
function rootFromInclusionPath(leafIndex: number, treeSize: number, leafHash: Buffer, path: Buffer[]): Buffer | null {
  if (leafIndex >= treeSize) return null;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) return null;
    if (isOdd(fn) || fn === sn) {
      r = hashChildren(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : null;
}

/**
 * Whether `auditPath` proves that the leaf with RFC 6962 leaf hash `leafHashHex` (already SHA-256(0x00 ‖ data)) is
 * leaf `leafIndex` of the tree of `treeSize` leaves whose root is `rootHex`. For leaves that are not event hashes.
 */
export function verifyLeafHashInclusion(
  leafIndex: number,
  treeSize: number,
  leafHashHex: string,
  auditPath: readonly string[],
  rootHex: string,
): boolean {
  if (!isSize(leafIndex) || !isSize(treeSize) || !isHexHash(leafHashHex) || !isHexHash(rootHex)) return false;
  const path = parseProof(auditPath);
  if (path === null) return false;
  const root = rootFromInclusionPath(leafIndex, treeSize, Buffer.from(leafHashHex, 'hex'), path);
  return root !== null && root.equals(Buffer.from(rootHex, 'hex'));
}

/**
 * Whether `auditPath` (an inclusion proof, leaf to root) proves that the event whose hash is `eventHashHex` is leaf
 * `leafIndex` of the ledger tree of `treeSize` events with root `rootHex`. Takes the event's own hash, as found in
 * its metadata, and hashes it as a leaf (SHA-256(0x00 ‖ the 32 bytes)) before running RFC 9162 §2.1.3.2.
 */
export function verifyInclusion(
  leafIndex: number,
  treeSize: number,
  eventHashHex: string,
  auditPath: readonly string[],
  rootHex: string,
): boolean {
  if (!isHexHash(eventHashHex)) return false;
  const leafHash = hashLeaf(Buffer.from(eventHashHex, 'hex')).toString('hex');
  return verifyLeafHashInclusion(leafIndex, treeSize, leafHash, auditPath, rootHex);
}

/**
 * Whether `proof` shows that the tree of `toSize` leaves with root `toRootHex` extends the tree of `fromSize` leaves
 * with root `fromRootHex` (RFC 9162 §2.1.4.2). The RFC's algorithm covers 0 < fromSize < toSize; the two cases it
 * leaves out have nothing to prove, so they need an empty proof and:
 * - fromSize = toSize: the same root twice;
 * - fromSize = 0: `fromRootHex` the empty tree's root (SHA-256 of ''), since the empty tree is a prefix of every
 *   tree; `toRootHex` is then only checked for shape (and to be the empty root too when toSize = 0).
 */
export function verifyConsistency(
  fromSize: number,
  toSize: number,
  fromRootHex: string,
  toRootHex: string,
  proof: readonly string[],
): boolean {
  if (!isSize(fromSize) || !isSize(toSize) || fromSize > toSize) return false;
  if (!isHexHash(fromRootHex) || !isHexHash(toRootHex)) return false;
  const path = parseProof(proof);
  if (path === null) return false;
  const fromRoot = Buffer.from(fromRootHex, 'hex');
  const toRoot = Buffer.from(toRootHex, 'hex');
  const emptyRoot = Buffer.from(EMPTY_ROOT, 'hex');

  if (fromSize === 0) {
    return path.length === 0 && fromRoot.equals(emptyRoot) && (toSize > 0 || toRoot.equals(emptyRoot));
  }
  if (fromSize === toSize) return path.length === 0 && fromRoot.equals(toRoot);

  if (path.length === 0) return false;
  // An old tree that is a complete subtree is itself the first node of the proof, so the proof leaves it out.
  if (isPowerOfTwo(fromSize)) path.unshift(fromRoot);
  let fn = fromSize - 1;
  let sn = toSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0] as Buffer;
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return fr.equals(fromRoot) && sr.equals(toRoot) && sn === 0;
}

function isPowerOfTwo(x: number): boolean {
  let n = x;
  while (n > 1 && !isOdd(n)) n = half(n);
  return n === 1;
}
