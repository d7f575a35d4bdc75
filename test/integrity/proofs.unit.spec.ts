import fc from 'fast-check';
import { EMPTY_ROOT, MerkleTree, eventLeafHash, hashChildren, hashLeaf } from '../../src/integrity/merkle-tree';
import { verifyConsistency, verifyInclusion, verifyLeafHashInclusion } from '../../src/integrity/proofs';
import { ct, eventHashes, hex } from './rfc6962-reference';

const N = 64;
const hashes = eventHashes(N);
const tree = MerkleTree.fromEventHashes(hashes);
const roots = Array.from({ length: N + 1 }, (_, n) => tree.root(n));
// Checks that pair every proof with every other size run over the smaller trees; the shapes repeat beyond.
const CROSS = 32;
const OTHER = 'abacaba000000000000000000000000000000000000000000060061e00123456';

const parent = (left: string, right: string): string =>
  hashChildren(Buffer.from(left, 'hex'), Buffer.from(right, 'hex')).toString('hex');
const flipBit = (h: string): string =>
  (parseInt(h.slice(0, 2), 16) ^ 0x10).toString(16).padStart(2, '0') + h.slice(2);

/** Every way of breaking a proof by one edit: one hash changed, dropped or added, two neighbours swapped. */
function mutations(p: readonly string[]): { what: string; proof: string[] }[] {
  const out: { what: string; proof: string[] }[] = [];
  p.forEach((h, i) => {
    out.push({ what: `hash ${i} changed`, proof: p.map((x, j) => (j === i ? flipBit(h) : x)) });
    out.push({ what: `hash ${i} dropped`, proof: p.filter((_, j) => j !== i) });
    out.push({ what: `extra hash before ${i}`, proof: [...p.slice(0, i), OTHER, ...p.slice(i)] });
    out.push({ what: `hash ${i} repeated`, proof: [...p.slice(0, i), h, ...p.slice(i)] });
    if (i + 1 < p.length && p[i + 1] !== h) {
      const swapped = [...p.slice(0, i), p[i + 1] as string, h, ...p.slice(i + 2)];
      out.push({ what: `hashes ${i} and ${i + 1} swapped`, proof: swapped });
    }
  });
  out.push({ what: 'extra hash at the end', proof: [...p, OTHER] });
  out.push({ what: 'empty root at the end', proof: [...p, EMPTY_ROOT] });
  return out;
}

describe('verifyInclusion (RFC 9162 §2.1.3.2)', () => {
  it('accepts the Certificate Transparency vectors, given leaf hashes', () => {
    for (const v of ct.inclusion) {
      const leaf = hex(hashLeaf(ct.leaves[v.index] as Buffer));
      const root = ct.roots[v.size - 1] as string;
      expect(verifyLeafHashInclusion(v.index, v.size, leaf, v.path, root)).toBe(true);
      expect(verifyLeafHashInclusion(v.index, v.size, leaf, v.path.slice(1), root)).toBe(false);
    }
    const single = hex(hashLeaf(ct.leaves[0] as Buffer));
    expect(verifyLeafHashInclusion(0, 1, single, [], ct.roots[0] as string)).toBe(true);
  });

  it('accepts every proof of every leaf in every tree of 1..64 events', () => {
    for (let n = 1; n <= N; n++) {
      for (let i = 0; i < n; i++) {
        const auditPath = tree.inclusionProof(i, n);
        const [event, root] = [hashes[i] as string, roots[n] as string];
        expect(verifyInclusion(i, n, event, auditPath, root)).toBe(true);
        expect(verifyLeafHashInclusion(i, n, eventLeafHash(event), auditPath, root)).toBe(true);
      }
    }
  });

  it('refuses every proof changed by one edit', () => {
    for (let n = 1; n <= N; n++) {
      for (let i = 0; i < n; i++) {
        for (const { what, proof } of mutations(tree.inclusionProof(i, n))) {
          const accepted = verifyInclusion(i, n, hashes[i] as string, proof, roots[n] as string);
          if (accepted) throw new Error(`leaf ${i} of ${n}: accepted with ${what}`);
        }
      }
    }
  });

  it('refuses the wrong leaf, index, size or root', () => {
    const accepted: string[] = [];
    for (let n = 1; n <= CROSS; n++) {
      for (let i = 0; i < n; i++) {
        const auditPath = tree.inclusionProof(i, n);
        const event = hashes[i] as string;
        const root = roots[n] as string;
        const check = (what: string, leafIndex: number, treeSize: number, leaf: string, r: string): void => {
          if (verifyInclusion(leafIndex, treeSize, leaf, auditPath, r)) accepted.push(`leaf ${i} of ${n}: ${what}`);
        };
        check('another event', i, n, hashes[(i + 1) % N] as string, root);
        check('the leaf hash for the event hash', i, n, eventLeafHash(event), root);
        for (let j = 0; j < n + 2; j++) if (j !== i) check(`index ${j}`, j, n, event, root);
        check('the previous root', i, n, event, roots[n - 1] as string);
        check('the empty root', i, n, event, EMPTY_ROOT);
        // A path alone does not pin the size (leaf 0's path in a tree of 3 has the shape of its path in a tree of 4):
        // the signed digest ties a size to its root. Sizes whose paths have another shape are refused.
        for (const size of [2 * n, Math.floor(n / 2)]) if (size !== n) check(`size ${size}`, i, size, event, root);
        // Any other size, with that size's real root.
        for (let m = i + 1; m <= CROSS; m++) {
          if (m !== n) check(`size ${m} and its root`, i, m, event, roots[m] as string);
        }
      }
    }
    expect(accepted).toEqual([]);
  });

  it('refuses a path that runs past the top of the tree, even with a root made to match', () => {
    for (let n = 1; n <= N; n++) {
      const i = n - 1;
      const longer = [...tree.inclusionProof(i, n), OTHER];
      expect(verifyInclusion(i, n, hashes[i] as string, longer, parent(OTHER, roots[n] as string))).toBe(false);
    }
  });

  it('answers false, never throws, for malformed input', () => {
    const auditPath = tree.inclusionProof(5, 8);
    const event = hashes[5] as string;
    const root = roots[8] as string;
    const valid = [5, 8, event, auditPath, root] as const;
    expect(verifyInclusion(...valid)).toBe(true);
    const bad: unknown[][] = [
      [8, 8, event, auditPath, root],
      [-1, 8, event, auditPath, root],
      [5.5, 8, event, auditPath, root],
      [Number.NaN, 8, event, auditPath, root],
      [5, Number.POSITIVE_INFINITY, event, auditPath, root],
      [5, 2 ** 60, event, auditPath, root],
      [0, 0, event, [], EMPTY_ROOT],
      ['5', 8, event, auditPath, root],
      [5n, 8, event, auditPath, root],
      [5, 8, event.slice(1), auditPath, root],
      [5, 8, `${event}00`, auditPath, root],
      [5, 8, 'g'.repeat(64), auditPath, root],
      [5, 8, event, auditPath, root.slice(2)],
      [5, 8, event, auditPath, null],
      [5, 8, event, 'not a list', root],
      [5, 8, event, null, root],
      [5, 8, event, [...auditPath.slice(1), 42], root],
      [5, 8, event, [(auditPath[0] as string).slice(1), ...auditPath.slice(1)], root],
      [5, 8, event, Array.from({ length: 1000 }, () => OTHER), root],
      // a sparse array: its hole is not a hash
      [5, 8, event, [, ...auditPath.slice(1)], root],
      [5, 8, null, auditPath, root],
    ];
    for (const args of bad) {
      expect((verifyInclusion as (...a: unknown[]) => boolean)(...args)).toBe(false);
    }
    // Either case of hex reads the same bytes.
    const upperPath = auditPath.map((h) => h.toUpperCase());
    expect(verifyInclusion(5, 8, event.toUpperCase(), upperPath, root.toUpperCase())).toBe(true);
  });

  it('never throws, whatever it is given (property)', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), fc.anything(), fc.anything(), (a, b, c, d, e) => {
        expect((verifyInclusion as (...x: unknown[]) => boolean)(a, b, c, d, e)).toBe(false);
      }),
    );
  });
});

describe('verifyConsistency (RFC 9162 §2.1.4.2)', () => {
  it('accepts the Certificate Transparency vectors', () => {
    for (const v of ct.consistency) {
      const [from, to] = [ct.roots[v.from - 1] as string, ct.roots[v.to - 1] as string];
      expect(verifyConsistency(v.from, v.to, from, to, v.proof)).toBe(true);
      expect(verifyConsistency(v.from, v.to, to, from, v.proof)).toBe(false);
    }
  });

  it('accepts every proof between every two sizes up to 64', () => {
    for (let n = 0; n <= N; n++) {
      for (let m = 0; m <= n; m++) {
        expect(verifyConsistency(m, n, roots[m] as string, roots[n] as string, tree.consistencyProof(m, n))).toBe(true);
      }
    }
  });

  it('refuses every proof changed by one edit', () => {
    for (let n = 2; n <= N; n++) {
      for (let m = 1; m < n; m++) {
        for (const { what, proof } of mutations(tree.consistencyProof(m, n))) {
          if (verifyConsistency(m, n, roots[m] as string, roots[n] as string, proof)) {
            throw new Error(`${m} to ${n}: accepted with ${what}`);
          }
        }
        expect(verifyConsistency(m, n, roots[m] as string, roots[n] as string, [])).toBe(false);
      }
    }
  });

  it('refuses wrong sizes and wrong roots', () => {
    const accepted: string[] = [];
    for (let n = 2; n <= CROSS; n++) {
      for (let m = 1; m < n; m++) {
        const proof = tree.consistencyProof(m, n);
        const [from, to] = [roots[m] as string, roots[n] as string];
        const check = (what: string, m2: number, n2: number, r1: string, r2: string): void => {
          if (verifyConsistency(m2, n2, r1, r2, proof)) accepted.push(`${m} to ${n}: ${what}`);
        };
        for (let m2 = 1; m2 < n; m2++) if (m2 !== m) check(`from size ${m2}`, m2, n, roots[m2] as string, to);
        for (let n2 = m + 1; n2 <= CROSS; n2++) if (n2 !== n) check(`to size ${n2}`, m, n2, from, roots[n2] as string);
        check('sizes reversed', n, m, to, from);
        check('roots swapped', m, n, to, from);
        check('an earlier first root', m, n, roots[m - 1] as string, to);
        check('an earlier second root', m, n, from, roots[n - 1] as string);
        check('first root changed', m, n, flipBit(from), to);
        check('second root changed', m, n, from, flipBit(to));
      }
    }
    expect(accepted).toEqual([]);
  });

  it('refuses a proof that runs past the top of the tree, even with roots made to match', () => {
    for (let n = 2; n <= N; n++) {
      for (let m = 1; m < n; m++) {
        const longer = [...tree.consistencyProof(m, n), OTHER];
        const [from, to] = [parent(OTHER, roots[m] as string), parent(OTHER, roots[n] as string)];
        expect(verifyConsistency(m, n, from, to, longer)).toBe(false);
      }
    }
  });

  it('refuses a proof that stops below the top of the tree', () => {
    // The proof from 1 to 2 leads to the right roots, but a tree of 3 is one level taller than it reaches.
    expect(verifyConsistency(1, 3, roots[1] as string, roots[2] as string, tree.consistencyProof(1, 2))).toBe(false);
    expect(verifyConsistency(2, 5, roots[2] as string, roots[4] as string, tree.consistencyProof(2, 4))).toBe(false);
  });

  it('from the empty tree and between equal sizes: an empty proof and the matching roots', () => {
    expect(verifyConsistency(0, 8, EMPTY_ROOT, roots[8] as string, [])).toBe(true);
    expect(verifyConsistency(0, 8, roots[1] as string, roots[8] as string, [])).toBe(false);
    expect(verifyConsistency(0, 8, EMPTY_ROOT, roots[8] as string, [EMPTY_ROOT])).toBe(false);
    expect(verifyConsistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])).toBe(true);
    expect(verifyConsistency(0, 0, EMPTY_ROOT, roots[1] as string, [])).toBe(false);
    expect(verifyConsistency(4, 4, roots[4] as string, roots[4] as string, [])).toBe(true);
    expect(verifyConsistency(4, 4, roots[4] as string, roots[5] as string, [])).toBe(false);
    expect(verifyConsistency(4, 4, roots[4] as string, roots[4] as string, [roots[4] as string])).toBe(false);
  });

  it('answers false, never throws, for malformed input', () => {
    const proof = tree.consistencyProof(6, 8);
    const [from, to] = [roots[6] as string, roots[8] as string];
    expect(verifyConsistency(6, 8, from, to, proof)).toBe(true);
    const bad: unknown[][] = [
      [8, 6, to, from, proof],
      [-1, 8, from, to, proof],
      [6.5, 8, from, to, proof],
      [6, Number.NaN, from, to, proof],
      [6, 2 ** 60, from, to, proof],
      ['6', 8, from, to, proof],
      [6, 8, from.slice(1), to, proof],
      [6, 8, from, `${to}0`, proof],
      [6, 8, from, undefined, proof],
      [6, 8, from, to, 'proof'],
      [6, 8, from, to, [...proof.slice(1), {}]],
      [6, 8, from, to, [(proof[0] as string).replace(/./, 'x'), ...proof.slice(1)]],
      [6, 8, from, to, Array.from({ length: 1000 }, () => OTHER)],
      // a sparse array: its hole is not a hash
      [6, 8, from, to, [, ...proof.slice(1)]],
    ];
    for (const args of bad) {
      expect((verifyConsistency as (...a: unknown[]) => boolean)(...args)).toBe(false);
    }
  });

  it('never throws, whatever it is given (property)', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), fc.anything(), fc.anything(), (a, b, c, d, e) => {
        expect((verifyConsistency as (...x: unknown[]) => boolean)(a, b, c, d, e)).toBe(false);
      }),
    );
  });

  it('proofs from a large tree verify, for random sizes (property)', () => {
    const big = MerkleTree.fromEventHashes(eventHashes(5000, 'big'));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 5000 }), fc.nat(), (a, b, k) => {
        const [m, n] = a <= b ? [a, b] : [b, a];
        expect(verifyConsistency(m, n, big.root(m), big.root(n), big.consistencyProof(m, n))).toBe(true);
        const i = k % n;
        expect(verifyLeafHashInclusion(i, n, big.leafHash(i), big.inclusionProof(i, n), big.root(n))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
