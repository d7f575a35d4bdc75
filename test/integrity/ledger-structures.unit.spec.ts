import fc from 'fast-check';
import { computeEventHash } from '../../src/integrity/event-hashing';
import { EventIdIndex } from '../../src/integrity/event-id-index';
import { MerkleFrontier } from '../../src/integrity/merkle-frontier';
import { MerkleTree } from '../../src/integrity/merkle-tree';
import { canonicalCopy } from '../../src/ledger/canonical-json';
import { eventHash, type HashedContent } from '../../src/ledger/hash-chain';
import { prng } from '../support/prng';
import { uuidFrom } from './ledger-fixture';

function outcome(f: () => string): string {
  try {
    return f();
  } catch (error) {
    return `throws ${(error as Error).message}`;
  }
}

function content(data: unknown, metadata: Record<string, unknown>, revision = 3n): HashedContent {
  return { eventId: '0b7c6c8e-1f0e-4c52-9d55-3a0b1de0e0f1', stream: 'partner-abc', revision, type: 'PartnerApplied', data, metadata };
}

describe('computeEventHash', () => {
  it('equals eventHash for any JSON data and metadata, in canonical key order or not', () => {
    const json = fc.jsonValue();
    const metadata = fc.dictionary(fc.string(), fc.jsonValue());
    fc.assert(
      fc.property(json, metadata, fc.bigInt({ min: 0n, max: 2n ** 40n }), fc.boolean(), (data, md, revision, canonical) => {
        const e = canonical ? content(canonicalCopy(data), canonicalCopy({ ...md, hash: 'x' }), revision) : content(data, { ...md, hash: 'x' }, revision);
        expect(computeEventHash(e)).toBe(eventHash(e));
      }),
      { numRuns: 500 },
    );
  });

  it('equals eventHash for values JSON.parse never gives, by falling back to it', () => {
    const proto = JSON.parse('{"__proto__": {"a": 1}, "b": 2}') as unknown;
    const odd: unknown[] = [
      proto,
      { z: 1, a: 2, 10: 'x', 9: 'y' },
      { when: new Date('2025-01-01T00:00:00Z') },
      { u: undefined, n: null },
      [1, undefined, 3],
      // eslint-disable-next-line no-sparse-arrays
      [1, , 3],
      { n: Number.NaN },
      { i: Number.POSITIVE_INFINITY },
      { toJSON: () => 'replaced' },
      Object.create({ inherited: 1 }) as unknown,
      -0,
      1e21,
      'ünïcödé \u2028 \ud800',
    ];
    for (const data of odd) {
      const e = content(data, { prevHash: '0'.repeat(64), hash: 'h', __proto__x: 1 });
      expect(outcome(() => computeEventHash(e))).toBe(outcome(() => eventHash(e)));
    }
    const metaProto = JSON.parse('{"__proto__": 1, "hash": "h", "a": [1, {"y": 1, "x": 2}]}') as Record<string, unknown>;
    expect(computeEventHash(content({}, metaProto))).toBe(eventHash(content({}, metaProto)));
  });
});

describe('MerkleFrontier', () => {
  it('gives the root MerkleTree gives, at every size', () => {
    const random = prng(3);
    const hashes = Array.from({ length: 130 }, () => Array.from({ length: 64 }, () => Math.floor(random() * 16).toString(16)).join(''));
    const tree = MerkleTree.fromEventHashes(hashes);
    const frontier = new MerkleFrontier();
    expect(frontier.root()).toBe(tree.root(0));
    hashes.forEach((hash, i) => {
      frontier.appendEventHash(Buffer.from(hash, 'hex'));
      expect(frontier.size).toBe(i + 1);
      expect(frontier.root()).toBe(tree.root(i + 1));
    });
  });
});

describe('EventIdIndex', () => {
  const random = prng(11);
  const ids = Array.from({ length: 5000 }, () => uuidFrom(random));

  it('finds every id at its first index, through the table growing', () => {
    const index = new EventIdIndex();
    ids.forEach((id, i) => {
      expect(index.push(id)).toBe(-1);
      expect(index.size).toBe(i + 1);
    });
    ids.forEach((id, i) => expect(index.indexOf(id)).toBe(i));
    expect(index.indexOf(uuidFrom(prng(999)))).toBe(-1);
    expect(index.indexOf(ids[7]!.toUpperCase())).toBe(-1);
    expect(index.indexOf(42 as unknown as string)).toBe(-1);
    expect(index.allocatedBytes).toBeLessThan(5000 * 40);
  });

  it('reports a duplicate with the earlier index and keeps the first', () => {
    const index = new EventIdIndex();
    for (const id of ids.slice(0, 10)) index.push(id);
    expect(index.push(ids[4]!)).toBe(4);
    expect(index.indexOf(ids[4]!)).toBe(4);
    expect(index.size).toBe(11);
  });

  it('keeps ids that are no lowercase UUIDs by their exact spelling', () => {
    const index = new EventIdIndex();
    const upper = ids[0]!.toUpperCase();
    expect(index.push(ids[0]!)).toBe(-1);
    expect(index.push(upper)).toBe(-1);
    expect(index.push('not-a-uuid')).toBe(-1);
    expect(index.push('not-a-uuid')).toBe(2);
    expect(index.push('00000000-0000-0000-0000-000000000000')).toBe(-1);
    expect([ids[0]!, upper, 'not-a-uuid', '00000000-0000-0000-0000-000000000000'].map((id) => index.indexOf(id))).toEqual([0, 1, 2, 4]);
  });

  it('round-trips through toBuffer / fromBuffer, irregular ids and duplicates included', () => {
    const index = new EventIdIndex();
    const mixed = [...ids.slice(0, 3000), 'ABC', ids[5]!, 'ABC', ids[10]!.toUpperCase()];
    mixed.forEach((id) => index.push(id));
    const restored = EventIdIndex.fromBuffer(index.toBuffer());
    expect(restored.size).toBe(mixed.length);
    for (const id of mixed) expect(restored.indexOf(id)).toBe(index.indexOf(id));
    expect(restored.push(ids[3000]!)).toBe(-1);
    expect(restored.push('ABC')).toBe(3000);
    expect(() => EventIdIndex.fromBuffer(index.toBuffer().subarray(0, 100))).toThrow(RangeError);
    const lying = index.toBuffer();
    lying.writeBigUInt64BE(5n, 0);
    expect(() => EventIdIndex.fromBuffer(lying)).toThrow(RangeError);
  });
});
