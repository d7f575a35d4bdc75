import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { floorLog2, largestPowerOfTwoBelow } from '../../src/integrity/merkle-hashing';
import { EMPTY_ROOT, MerkleTree, eventLeafHash, hashChildren, hashLeaf } from '../../src/integrity/merkle-tree';
import { ct, eventHashes, hex, mth, path, proof } from './rfc6962-reference';

const N = 64;
const hashes = eventHashes(N);
const leafData = hashes.map((h) => Buffer.from(h, 'hex'));

function appendAll(tree: MerkleTree, items: readonly string[]): MerkleTree {
  for (const item of items) tree.append(item);
  return tree;
}

describe('hashing', () => {
  it('the empty root is SHA-256 of the empty string', () => {
    expect(EMPTY_ROOT).toBe(ct.emptyRoot);
    expect(new MerkleTree().root()).toBe(ct.emptyRoot);
    expect(new MerkleTree().root(0)).toBe(ct.emptyRoot);
  });

  it('leaves are prefixed 0x00 and nodes 0x01', () => {
    const event = hashes[0] as string;
    const expectedLeaf = createHash('sha256').update(Buffer.concat([Buffer.of(0), Buffer.from(event, 'hex')]));
    expect(eventLeafHash(event)).toBe(expectedLeaf.digest('hex'));
    const [l, r] = [hashLeaf(Buffer.from('l')), hashLeaf(Buffer.from('r'))];
    const expectedNode = createHash('sha256').update(Buffer.concat([Buffer.of(1), l, r])).digest('hex');
    expect(hashChildren(l, r).toString('hex')).toBe(expectedNode);
    expect(() => hashChildren(l.subarray(1), r)).toThrow(TypeError);
  });

  it('splits at the largest power of two below the size, also beyond 32 bits', () => {
    const cases: [number, number][] = [[2, 1], [3, 2], [4, 2], [5, 4], [8, 4], [9, 8], [1000, 512],
      [2 ** 32, 2 ** 31], [2 ** 32 + 1, 2 ** 32], [2 ** 40 + 3, 2 ** 40], [Number.MAX_SAFE_INTEGER, 2 ** 52]];
    for (const [n, k] of cases) expect(largestPowerOfTwoBelow(n)).toBe(k);
    expect(floorLog2(1)).toBe(0);
    expect(floorLog2(2 ** 33 - 1)).toBe(32);
    expect(floorLog2(2 ** 33)).toBe(33);
  });
});

describe('Certificate Transparency vectors (through leaf hashes)', () => {
  const ctLeafHashes = ct.leaves.map(hashLeaf);

  it('gives the published root after every append and for every historical size', () => {
    const tree = new MerkleTree();
    ctLeafHashes.forEach((leaf, i) => {
      expect(tree.appendLeafHash(leaf)).toBe(i);
      expect(tree.root()).toBe(ct.roots[i]);
    });
    ct.roots.forEach((root, i) => expect(tree.root(i + 1)).toBe(root));
    expect(MerkleTree.fromLeafHashes(ctLeafHashes).root()).toBe(ct.roots[7]);
    expect(MerkleTree.fromLeafHashes(ctLeafHashes.map(hex)).root()).toBe(ct.roots[7]);
  });

  it('gives the published inclusion and consistency proofs', () => {
    const tree = MerkleTree.fromLeafHashes(ctLeafHashes);
    for (const v of ct.inclusion) expect(tree.inclusionProof(v.index, v.size)).toEqual(v.path);
    for (const v of ct.consistency) expect(tree.consistencyProof(v.from, v.to)).toEqual(v.proof);
  });
});

describe('against the RFC text (naive MTH, PATH and PROOF), sizes 1..64', () => {
  const full = appendAll(new MerkleTree(), hashes);

  it('roots, at every size and for every historical size of a larger tree', () => {
    const grown = new MerkleTree();
    for (let n = 1; n <= N; n++) {
      grown.append(hashes[n - 1] as string);
      const expected = hex(mth(leafData.slice(0, n)));
      expect(grown.root()).toBe(expected);
      expect(full.root(n)).toBe(expected);
    }
  });

  it('every inclusion proof', () => {
    for (let n = 1; n <= N; n++) {
      for (let i = 0; i < n; i++) {
        expect(full.inclusionProof(i, n)).toEqual(path(i, leafData.slice(0, n)).map(hex));
      }
    }
  });

  it('every consistency proof; from 0 and equal sizes give an empty proof', () => {
    for (let n = 1; n <= N; n++) {
      expect(full.consistencyProof(0, n)).toEqual([]);
      for (let m = 1; m <= n; m++) {
        expect(full.consistencyProof(m, n)).toEqual(proof(m, leafData.slice(0, n)).map(hex));
      }
    }
    expect(full.consistencyProof(0, 0)).toEqual([]);
    expect(full.consistencyProof(N, N)).toEqual([]);
  });

  it('defaults to the current size', () => {
    expect(full.inclusionProof(5)).toEqual(full.inclusionProof(5, N));
    expect(full.consistencyProof(7)).toEqual(full.consistencyProof(7, N));
    expect(full.leafHash(3)).toBe(eventLeafHash(hashes[3] as string));
  });

  it('matches for random trees of up to 300 leaves (property)', () => {
    const many = eventHashes(300, 'property');
    const manyData = many.map((h) => Buffer.from(h, 'hex'));
    const tree = appendAll(new MerkleTree(), many);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: many.length }).chain((n) =>
          fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 1, max: n })),
        ),
        ([n, i, m]) => {
          const d = manyData.slice(0, n);
          expect(tree.root(n)).toBe(hex(mth(d)));
          expect(tree.inclusionProof(i, n)).toEqual(path(i, d).map(hex));
          expect(tree.consistencyProof(m, n)).toEqual(proof(m, d).map(hex));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('building', () => {
  it('from an array equals appending one by one, for every size', () => {
    for (let n = 0; n <= N; n++) {
      const bulk = MerkleTree.fromEventHashes(hashes.slice(0, n));
      const incremental = appendAll(new MerkleTree(), hashes.slice(0, n));
      expect(bulk.size).toBe(n);
      expect(bulk.root()).toBe(incremental.root());
      expect(bulk.toBuffer().equals(incremental.toBuffer())).toBe(true);
    }
  });

  it('a bulk-built tree keeps growing correctly', () => {
    const tree = MerkleTree.fromEventHashes(hashes.slice(0, 37));
    appendAll(tree, hashes.slice(37));
    expect(tree.root()).toBe(hex(mth(leafData)));
  });

  it('accepts either case of hex and answers in lowercase', () => {
    const upper = MerkleTree.fromEventHashes(hashes.slice(0, 5).map((h) => h.toUpperCase()));
    expect(upper.root()).toBe(MerkleTree.fromEventHashes(hashes.slice(0, 5)).root());
    expect(upper.root()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses malformed hashes', () => {
    const tree = new MerkleTree();
    for (const bad of ['', 'abc', 'z'.repeat(64), `${hashes[0] as string}00`, (hashes[0] as string).slice(2)]) {
      expect(() => tree.append(bad)).toThrow(TypeError);
    }
    expect(() => tree.appendLeafHash(Buffer.alloc(31))).toThrow(TypeError);
    expect(() => MerkleTree.fromEventHashes(['nope'])).toThrow(TypeError);
    expect(() => MerkleTree.fromLeafHashes([Buffer.alloc(33)])).toThrow(TypeError);
    expect(tree.size).toBe(0);
  });

  it('refuses sizes and indices outside the tree', () => {
    const tree = MerkleTree.fromEventHashes(hashes.slice(0, 8));
    const calls: (() => unknown)[] = [
      () => tree.root(9),
      () => tree.root(-1),
      () => tree.root(1.5),
      () => tree.root(Number.NaN),
      () => tree.inclusionProof(8, 8),
      () => tree.inclusionProof(-1, 8),
      () => tree.inclusionProof(0, 9),
      () => tree.inclusionProof(0, 0),
      () => new MerkleTree().inclusionProof(0),
      () => tree.consistencyProof(5, 3),
      () => tree.consistencyProof(0, 9),
      () => tree.consistencyProof(-1, 3),
      () => tree.leafHash(8),
    ];
    for (const call of calls) expect(call).toThrow(RangeError);
  });
});

describe('saving and restoring', () => {
  it('round-trips every size, and the restored tree answers and grows like the original', () => {
    for (let n = 0; n <= N; n++) {
      const original = appendAll(new MerkleTree(), hashes.slice(0, n));
      const restored = MerkleTree.fromBuffer(original.toBuffer());
      expect(restored.size).toBe(n);
      expect(restored.root()).toBe(original.root());
      if (n > 0) {
        expect(restored.inclusionProof(n - 1)).toEqual(original.inclusionProof(n - 1));
        expect(restored.consistencyProof(1)).toEqual(original.consistencyProof(1));
      }
      appendAll(restored, hashes.slice(n));
      expect(restored.root()).toBe(hex(mth(leafData)));
    }
  });

  it('reads from a view into a larger buffer', () => {
    const saved = MerkleTree.fromEventHashes(hashes.slice(0, 11)).toBuffer();
    const padded = Buffer.concat([Buffer.alloc(7), saved, Buffer.alloc(5)]);
    const view = new Uint8Array(padded.buffer, padded.byteOffset + 7, saved.length);
    expect(MerkleTree.fromBuffer(view).root()).toBe(hex(mth(leafData.slice(0, 11))));
  });

  it('refuses damaged or foreign bytes', () => {
    const saved = MerkleTree.fromEventHashes(hashes.slice(0, 13)).toBuffer();
    const damaged = (mutate: (b: Buffer) => void): Buffer => {
      const copy = Buffer.from(saved);
      mutate(copy);
      return copy;
    };
    const bad = [
      Buffer.alloc(0),
      saved.subarray(0, saved.length - 1),
      Buffer.concat([saved, Buffer.alloc(32)]),
      damaged((b) => (b[0] = 0x42)),
      damaged((b) => (b[4] = 2)),
      damaged((b) => (b[6] = 1)),
      damaged((b) => b.writeBigUInt64BE(14n, 8)),
      damaged((b) => b.writeBigUInt64BE(2n ** 60n, 8)),
      damaged((b) => (b[40] = (b[40] as number) ^ 1)),
      damaged((b) => (b[b.length - 1] = (b[b.length - 1] as number) ^ 1)),
    ];
    for (const bytes of bad) expect(() => MerkleTree.fromBuffer(bytes)).toThrow(/not a saved Merkle tree/);
  });
});

describe('memory', () => {
  it('stays well under 300 bytes a leaf while growing', () => {
    const tree = new MerkleTree();
    const leaf = Buffer.alloc(32);
    for (let i = 0; i < 100_000; i++) {
      leaf.writeUInt32BE(i, 0);
      tree.appendLeafHash(leaf);
    }
    expect(tree.allocatedBytes / tree.size).toBeLessThan(140);
    expect(MerkleTree.fromBuffer(tree.toBuffer()).allocatedBytes / tree.size).toBeLessThan(70);
  });
});
