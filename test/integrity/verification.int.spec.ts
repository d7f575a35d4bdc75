import { LedgerDigestProjection } from '../../src/integrity/digest-projection';
import { MerkleTree } from '../../src/integrity/merkle-tree';
import { verifyLedger, type BadEvent } from '../../src/integrity/verification';
import { GENESIS_HASH, eventHash, findChainBreak } from '../../src/ledger/hash-chain';
import type { EventStore, StoredEvent } from '../../src/store/port';
import { prng } from '../support/prng';
import { chainedEvents, readLog, storedLedger } from './ledger-fixture';

const N = 50;

interface Row {
  position: number;
  stream: string;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
}

type Ledger = Awaited<ReturnType<typeof storedLedger>>;

function rows(ledger: Ledger): Row[] {
  return ledger.raw.prepare('SELECT * FROM events ORDER BY position').all() as Row[];
}

function rowAt(ledger: Ledger, position: number): Row {
  return ledger.raw.prepare('SELECT * FROM events WHERE position = ?').get(position) as Row;
}

function writeRow(ledger: Ledger, row: Row): void {
  ledger.raw
    .prepare('UPDATE events SET stream = ?, revision = ?, event_id = ?, type = ?, data = ?, metadata = ? WHERE position = ?')
    .run(row.stream, row.revision, row.event_id, row.type, row.data, row.metadata, row.position);
}

/** Exchanges the contents of two rows (positions stay), through a placeholder so no unique index objects. */
function swapRows(ledger: Ledger, p: number, q: number): void {
  const [a, b] = [rowAt(ledger, p), rowAt(ledger, q)];
  ledger.raw.transaction(() => {
    writeRow(ledger, { ...a, stream: 'swap-placeholder', event_id: 'swap-placeholder' });
    writeRow(ledger, { ...a, position: q });
    writeRow(ledger, { ...b, position: p });
  })();
}

/** The oracle: the hash chain's own checker over each stream in log order; the earliest break in the log. */
function expectedBreak(log: readonly StoredEvent[]): BadEvent | undefined {
  const byStream = new Map<string, StoredEvent[]>();
  for (const event of log) byStream.set(event.stream, [...(byStream.get(event.stream) ?? []), event]);
  let first: BadEvent | undefined;
  for (const events of byStream.values()) {
    const found = findChainBreak(events);
    if (!found) continue;
    const event = events.find((e) => e.eventId === found.eventId) as StoredEvent;
    if (first === undefined || event.position < BigInt(first.position)) {
      first = { position: String(event.position), stream: event.stream, revision: Number(event.revision), eventId: event.eventId, reason: found.reason };
    }
  }
  return first;
}

describe('verifyLedger on a stored ledger', () => {
  let ledger: Ledger;
  let intactRoot: string;

  beforeAll(async () => {
    ledger = await storedLedger(N, 5, 42);
    const hashes = (await readLog(ledger.store)).map((e) => e.metadata.hash as string);
    intactRoot = MerkleTree.fromEventHashes(hashes).root();
  });
  afterAll(() => ledger.cleanup());

  it('passes an intact ledger, with the root of the digest projection', async () => {
    const result = await verifyLedger(ledger.store);
    expect(result).toEqual({ ok: true, checkedEvents: N, size: N, rootHash: intactRoot });
    const projection = new LedgerDigestProjection();
    for await (const event of ledger.store.readAll()) projection.apply(event);
    expect(projection.digest()).toEqual({ size: N, rootHash: result.rootHash });
  });

  it('compares with an expected digest, also one taken when the log was shorter', async () => {
    const hashes = (await readLog(ledger.store)).map((e) => e.metadata.hash as string);
    const earlier = { size: 30, rootHash: MerkleTree.fromEventHashes(hashes.slice(0, 30)).root() };
    expect(await verifyLedger(ledger.store, { expected: earlier })).toMatchObject({
      ok: true,
      expectedDigest: { ...earlier, actualRootHash: earlier.rootHash, matches: true },
    });
    expect(await verifyLedger(ledger.store, { expected: { size: 0, rootHash: new MerkleTree().root() } })).toMatchObject({ ok: true });
    const wrong = await verifyLedger(ledger.store, { expected: { size: 30, rootHash: intactRoot } });
    expect(wrong).toMatchObject({ ok: false, expectedDigest: { matches: false, actualRootHash: earlier.rootHash } });
    expect(wrong.firstBad).toBeUndefined();
    const longer = await verifyLedger(ledger.store, { expected: { size: N + 1, rootHash: intactRoot } });
    expect(longer).toMatchObject({ ok: false, expectedDigest: { matches: false, actualRootHash: null } });
  });

  it('names the changed event after each of 1,000 random one-character changes to stored events', async () => {
    const random = prng(2024);
    const columns = ['stream', 'event_id', 'type', 'data', 'metadata'] as const;
    const reasons: Record<(typeof columns)[number], string[]> = {
      stream: ['revision-gap', 'prev-hash-mismatch', 'hash-mismatch', 'unreadable'],
      event_id: ['hash-mismatch'],
      type: ['hash-mismatch'],
      data: ['hash-mismatch', 'unreadable'],
      metadata: ['hash-mismatch', 'prev-hash-mismatch', 'metadata-missing', 'unreadable'],
    };
    const seen = new Map<string, number>();
    let changes = 0;
    while (changes < 1000) {
      const original = rowAt(ledger, 1 + Math.floor(random() * N));
      const column = columns[Math.floor(random() * columns.length)] as (typeof columns)[number];
      const text = original[column];
      const at = Math.floor(random() * text.length);
      const replacement = String.fromCharCode(0x20 + Math.floor(random() * 95));
      if (replacement === text[at]) continue;
      const changed = { ...original, [column]: text.slice(0, at) + replacement + text.slice(at + 1) };
      try {
        writeRow(ledger, changed);
      } catch (error) {
        // the change made the row collide with another in a unique index: not a change the file can hold
        if ((error as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) continue;
        throw error;
      }
      changes += 1;
      try {
        const result = await verifyLedger(ledger.store);
        const what = `${column} of position ${original.position}, character ${at} → ${JSON.stringify(replacement)}`;
        expect({ what, ok: result.ok }).toEqual({ what, ok: false });
        expect({ what, ...result.firstBad }).toMatchObject({
          what,
          position: String(original.position),
          stream: changed.stream,
          eventId: changed.event_id,
        });
        expect(reasons[column]).toContain(result.firstBad?.reason);
        expect(result.checkedEvents).toBe(N);
        const key = `${column}:${result.firstBad?.reason}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      } finally {
        writeRow(ledger, original);
      }
    }
    // the sample did exercise every kind of finding
    for (const reason of ['revision-gap', 'prev-hash-mismatch', 'hash-mismatch', 'metadata-missing', 'unreadable']) {
      expect([...seen.keys()].some((k) => k.endsWith(`:${reason}`))).toBe(true);
    }
    expect((await verifyLedger(ledger.store)).ok).toBe(true);
  });

  it('detects every deleted event: by the chain when its stream goes on, else by the expected digest', async () => {
    const expected = { size: N, rootHash: intactRoot };
    for (const original of rows(ledger)) {
      ledger.raw.prepare('DELETE FROM events WHERE position = ?').run(original.position);
      try {
        const result = await verifyLedger(ledger.store, { expected });
        const oracle = expectedBreak(await readLog(ledger.store));
        expect(result.ok).toBe(false);
        expect(result.expectedDigest?.matches).toBe(false);
        expect(result.firstBad).toEqual(oracle);
        const streamGoesOn = rows(ledger).some((r) => r.stream === original.stream && r.revision > original.revision);
        if (streamGoesOn) expect(result.firstBad).toMatchObject({ stream: original.stream, revision: original.revision + 1, reason: 'revision-gap' });
        else expect(result.firstBad).toBeUndefined();
      } finally {
        ledger.raw
          .prepare('INSERT INTO events (position, stream, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(original.position, original.stream, original.revision, original.event_id, original.type, original.data, original.metadata);
      }
    }
    expect((await verifyLedger(ledger.store, { expected })).ok).toBe(true);
  });

  it('detects swapped events and names the first one the chains show, else the expected digest does', async () => {
    const expected = { size: N, rootHash: intactRoot };
    const random = prng(7);
    let byChain = 0;
    for (let i = 0; i < 150; i++) {
      const p = 1 + Math.floor(random() * N);
      const q = 1 + Math.floor(random() * N);
      if (p === q) continue;
      swapRows(ledger, p, q);
      try {
        const result = await verifyLedger(ledger.store, { expected });
        const oracle = expectedBreak(await readLog(ledger.store));
        expect(result.ok).toBe(false);
        expect(result.expectedDigest?.matches).toBe(false);
        expect(result.firstBad).toEqual(oracle);
        if (oracle) byChain += 1;
      } finally {
        swapRows(ledger, p, q);
      }
    }
    expect(byChain).toBeGreaterThan(0);
    expect((await verifyLedger(ledger.store, { expected })).ok).toBe(true);
  });

  it('reads on past an event the store cannot decode', async () => {
    const original = rowAt(ledger, 20);
    writeRow(ledger, { ...original, data: original.data.slice(1) });
    try {
      const result = await verifyLedger(ledger.store);
      expect(result).toMatchObject({ ok: false, checkedEvents: N, size: N - 1 });
      expect(result.firstBad).toEqual({
        position: '20',
        stream: original.stream,
        revision: original.revision,
        eventId: original.event_id,
        reason: 'unreadable',
      });
    } finally {
      writeRow(ledger, original);
    }
  });
});

/** A store that only reads out the given log, for logs the embedded store's unique indexes would refuse. */
function logStore(log: StoredEvent[]): EventStore {
  return {
    readAll: async function* () {
      yield* log;
    },
  } as unknown as EventStore;
}

describe('verifyLedger on logs no store should hold', () => {
  const log = (): StoredEvent[] =>
    chainedEvents(12, 3, 5).map(({ stream, event }, i, all) => ({
      ...event,
      stream,
      position: BigInt(i + 1),
      revision: BigInt(all.slice(0, i).filter((e) => e.stream === stream).length),
    }));

  it('passes the intact log, and reports progress', async () => {
    const progress: number[] = [];
    const result = await verifyLedger(logStore(log()), { onProgress: (n) => progress.push(n), progressEvery: 5 });
    expect(result.ok).toBe(true);
    expect(progress).toEqual([5, 10]);
  });

  it('finds a duplicate event id', async () => {
    const events = log();
    const later = events[9] as StoredEvent;
    const earlier = events[2] as StoredEvent;
    later.eventId = earlier.eventId;
    later.metadata = { ...later.metadata, hash: eventHash(later) };
    // the stream's next event would now break on prevHash; the duplicate is found first
    expect((await verifyLedger(logStore(events))).firstBad).toEqual({
      position: '10',
      stream: later.stream,
      revision: Number(later.revision),
      eventId: earlier.eventId,
      reason: 'duplicate-event-id',
    });
  });

  it('finds missing hash metadata', async () => {
    const events = log();
    const { hash: _hash, ...withoutHash } = (events[4] as StoredEvent).metadata;
    (events[4] as StoredEvent).metadata = withoutHash;
    expect((await verifyLedger(logStore(events))).firstBad).toMatchObject({ position: '5', reason: 'metadata-missing' });
    const first = log();
    (first[0] as StoredEvent).metadata = { ...(first[0] as StoredEvent).metadata, prevHash: undefined };
    expect((await verifyLedger(logStore(first))).firstBad).toMatchObject({ position: '1', reason: 'metadata-missing' });
  });

  it('finds a first event that does not start from 64 zeros', async () => {
    const events = log();
    const first = events[0] as StoredEvent;
    first.metadata = { ...first.metadata, prevHash: GENESIS_HASH.replace(/0$/, '1') };
    first.metadata.hash = eventHash(first);
    expect((await verifyLedger(logStore(events))).firstBad).toMatchObject({ position: '1', reason: 'prev-hash-mismatch' });
  });

  it('finds positions that go backwards', async () => {
    const events = log();
    (events[6] as StoredEvent).position = 3n;
    expect((await verifyLedger(logStore(events))).firstBad).toMatchObject({ position: '3', reason: 'position-out-of-order' });
  });
});
