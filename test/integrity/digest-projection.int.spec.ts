import { NotFound } from '../../src/domain/shared/errors';
import { LedgerDigestProjection } from '../../src/integrity/digest-projection';
import { InvalidProofRequest } from '../../src/integrity/errors';
import { MerkleTree } from '../../src/integrity/merkle-tree';
import { verifyConsistency, verifyInclusion } from '../../src/integrity/proofs';
import { verifyLedger } from '../../src/integrity/verification';
import { ReadModelSet, SnapshotMismatch } from '../../src/projections/projection';
import { StoreCorrupted } from '../../src/store/errors';
import type { StoredEvent } from '../../src/store/port';
import { readLog, storedLedger } from './ledger-fixture';

const N = 60;

describe('the ledger digest projection', () => {
  let ledger: Awaited<ReturnType<typeof storedLedger>>;
  let log: StoredEvent[];
  let projection: LedgerDigestProjection;
  /** roots[k]: the root over the first k events, computed independently */
  let roots: string[];

  beforeAll(async () => {
    ledger = await storedLedger(N, 4, 9);
    log = await readLog(ledger.store);
    projection = new LedgerDigestProjection();
    for (const event of log) projection.apply(event);
    const tree = MerkleTree.fromEventHashes(log.map((e) => e.metadata.hash as string));
    roots = Array.from({ length: N + 1 }, (_, k) => tree.root(k));
  });
  afterAll(() => ledger.cleanup());

  it('has the root that a full verification of the store recomputes', async () => {
    const verification = await verifyLedger(ledger.store);
    expect(projection.name).toBe('ledger-digest');
    expect(projection.digest()).toEqual({ size: N, rootHash: verification.rootHash });
    for (let k = 0; k <= N; k++) expect(projection.digest(k)).toEqual({ size: k, rootHash: roots[k] });
  });

  it('gives inclusion proofs, by event id, that verifyInclusion accepts with the stored hash', () => {
    for (const size of [1, 2, 7, 32, 33, N]) {
      log.slice(0, size).forEach((event, leafIndex) => {
        const proof = projection.inclusionProof(event.eventId, size);
        expect(proof).toMatchObject({ eventId: event.eventId, leafIndex, treeSize: size, leafHash: event.metadata.hash, rootHash: roots[size] });
        expect(verifyInclusion(proof.leafIndex, proof.treeSize, proof.leafHash, proof.auditPath, proof.rootHash)).toBe(true);
        const other = log[(leafIndex + 1) % N]?.metadata.hash as string;
        expect(verifyInclusion(proof.leafIndex, proof.treeSize, other, proof.auditPath, proof.rootHash)).toBe(false);
      });
    }
    expect(projection.inclusionProof(log[5]!.eventId)).toMatchObject({ treeSize: N, rootHash: roots[N] });
  });

  it('gives consistency proofs between every two sizes that verifyConsistency accepts', () => {
    for (let from = 0; from <= N; from++) {
      for (let to = from; to <= N; to++) {
        const proof = projection.consistencyProof(from, to);
        expect(proof).toMatchObject({ fromSize: from, toSize: to, fromRoot: roots[from], toRoot: roots[to] });
        expect(verifyConsistency(proof.fromSize, proof.toSize, proof.fromRoot, proof.toRoot, proof.proof)).toBe(true);
        if (from > 0 && from < to) {
          expect(verifyConsistency(from, to, roots[from - 1] as string, proof.toRoot, proof.proof)).toBe(false);
        }
      }
    }
    expect(projection.consistencyProof(10)).toMatchObject({ fromSize: 10, toSize: N, toRoot: roots[N] });
  });

  it('answers bad requests with NotFound and InvalidProofRequest', () => {
    expect(() => projection.inclusionProof('3f0c5d0e-6b1a-4f4e-9a57-8c2d1e7b9f10')).toThrow(NotFound);
    expect(() => projection.inclusionProof(log[40]!.eventId, 40)).toThrow(InvalidProofRequest);
    for (const size of [0, N + 1, 1.5, -1, Number.NaN]) {
      expect(() => projection.inclusionProof(log[0]!.eventId, size)).toThrow(InvalidProofRequest);
    }
    expect(() => projection.digest(N + 1)).toThrow(InvalidProofRequest);
    expect(() => projection.consistencyProof(5, 4)).toThrow(InvalidProofRequest);
    expect(() => projection.consistencyProof(0, N + 1)).toThrow(InvalidProofRequest);
    expect(() => projection.consistencyProof(-1, 3)).toThrow(RangeError);
  });

  it('refuses an event without a well-formed hash', () => {
    const fresh = new LedgerDigestProjection();
    const event = { ...log[0]!, metadata: { ...log[0]!.metadata, hash: 'not a hash' } };
    expect(() => fresh.apply(event)).toThrow(StoreCorrupted);
    expect(fresh.size).toBe(0);
  });

  it('continues after snapshot and restore with the roots and proofs it would have had', () => {
    for (const cut of [0, 1, 17, 32, N]) {
      const first = new LedgerDigestProjection();
      for (const event of log.slice(0, cut)) first.apply(event);
      const second = new LedgerDigestProjection();
      second.restore(first.snapshot());
      expect(second.digest()).toEqual({ size: cut, rootHash: roots[cut] });
      log.slice(cut).forEach((event, i) => {
        second.apply(event);
        expect(second.digest().rootHash).toBe(roots[cut + i + 1]);
      });
      for (const event of log) expect(second.inclusionProof(event.eventId)).toEqual(projection.inclusionProof(event.eventId));
      expect(second.snapshot().equals(projection.snapshot())).toBe(true);
    }
  });

  it('plugs into a read-model set, whose snapshot goes through v8 serialisation', () => {
    const set = new ReadModelSet([new LedgerDigestProjection()]);
    for (const event of log.slice(0, 25)) set.apply(event);
    const restoredProjection = new LedgerDigestProjection();
    const restored = new ReadModelSet([restoredProjection]);
    restored.restore(set.snapshot());
    for (const event of log) restored.apply(event);
    expect(restoredProjection.digest()).toEqual(projection.digest());
  });

  it('refuses a damaged or foreign snapshot and is empty afterwards', () => {
    const snapshot = projection.snapshot();
    const flipped = Buffer.from(snapshot);
    flipped[100] = (flipped[100] as number) ^ 0x01;
    const damaged = [
      flipped,
      snapshot.subarray(0, snapshot.length - 1),
      Buffer.concat([snapshot, Buffer.of(0)]),
      Buffer.from('ALDG'),
      Buffer.alloc(0),
    ];
    for (const bad of damaged) {
      const target = new LedgerDigestProjection();
      target.apply(log[0]!);
      expect(() => target.restore(bad)).toThrow(SnapshotMismatch);
      expect(target.size).toBe(0);
    }
    expect(() => new LedgerDigestProjection().restore({ not: 'bytes' } as unknown as Buffer)).toThrow(SnapshotMismatch);
    const reset = new LedgerDigestProjection();
    reset.restore(snapshot);
    reset.reset();
    expect(reset.digest()).toEqual({ size: 0, rootHash: roots[0] });
    expect(() => reset.inclusionProof(log[0]!.eventId)).toThrow(NotFound);
  });
});
