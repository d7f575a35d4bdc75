import Database from 'better-sqlite3';
import fc from 'fast-check';
import { patronDecider } from '../../src/domain/patron/decider';
import { DomainRuleViolated } from '../../src/domain/shared/errors';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store';
import type { StoredEvent } from '../../src/store/port';
import { InvalidCommandOptions, PreconditionFailed } from '../../src/ledger/errors';
import { eventHash, findChainBreak, GENESIS_HASH } from '../../src/ledger/hash-chain';
import { Ledger, type ExecuteOptions } from '../../src/ledger/ledger';
import { tempStore } from '../support/temp-store';

const office: ExecuteOptions = { actor: { id: 'key-office', role: 'office' } };
const STREAM = 'patron-main';
const panter = { patronId: '00000000-0000-4000-8000-000000000001', name: 'Dirk Panter', office: 'Staatsminister für Wirtschaft und Arbeit', startDate: '2024-12-20' };
const statement = (statementId: string, issuedOn = '2025-09-12') => ({
  type: 'IssueStatement' as const,
  data: { statementId, text: 'Nur gemeinsam sichern wir Sachsens Fachkräftebedarf.', language: 'de', occasion: 'Neukonstituierung', issuedOn },
});

async function readStream(store: { readStream: (s: string) => AsyncIterable<StoredEvent> }, stream = STREAM): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const e of store.readStream(stream)) out.push(e);
  return out;
}

describe('the ledger', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    t = await tempStore();
  });
  afterEach(() => t.cleanup());

  it('wraps every event in the envelope and chains the hashes', async () => {
    const ledger = new Ledger(t.store, { clock: () => new Date('2025-09-12T11:30:00Z') });
    const result = await ledger.execute(STREAM, patronDecider, { type: 'AppointPatron', data: panter }, { ...office, correlationId: 'req-1' });
    expect(result.revision).toBe(0n);
    expect(typeof result.position).toBe('bigint');
    await ledger.execute(STREAM, patronDecider, statement('00000000-0000-4000-8000-0000000000a1'), office);

    const events = await readStream(t.store);
    expect(events.map((e) => e.type)).toEqual(['PatronAppointed', 'StatementIssued']);
    const [first, second] = events as [StoredEvent, StoredEvent];
    expect(first.metadata).toMatchObject({
      recordedAt: '2025-09-12T11:30:00.000Z',
      occurredAt: '2024-12-20',
      actor: { id: 'key-office', role: 'office' },
      correlationId: 'req-1',
      causationId: 'req-1',
      schemaVersion: 1,
      prevHash: GENESIS_HASH,
    });
    expect(first.metadata.hash).toBe(eventHash(first));
    expect(second.metadata.prevHash).toBe(first.metadata.hash);
    expect(findChainBreak(events)).toBeUndefined();
  });

  it('refuses a recordedAt from the caller and appends nothing', async () => {
    const ledger = new Ledger(t.store);
    const options = { ...office, recordedAt: '2020-01-01T00:00:00Z' } as unknown as ExecuteOptions;
    await expect(ledger.execute(STREAM, patronDecider, { type: 'AppointPatron', data: panter }, options)).rejects.toThrow(InvalidCommandOptions);
    expect(await t.store.headPosition()).toBeNull();
  });

  it('never stamps a recordedAt earlier than the last one in the log, even when the clock steps back', async () => {
    let now = new Date('2025-09-12T12:00:00Z');
    const ledger = new Ledger(t.store, { clock: () => now });
    await ledger.execute(STREAM, patronDecider, { type: 'AppointPatron', data: panter }, office);
    now = new Date('2025-09-12T11:00:00Z');
    await ledger.execute('patron-other', patronDecider, { type: 'AppointPatron', data: panter }, office);
    // a fresh ledger (a restart) on the same log, with its clock even further back
    const restarted = new Ledger(t.store, { clock: () => new Date('2025-01-01T00:00:00Z') });
    await restarted.execute(STREAM, patronDecider, statement('00000000-0000-4000-8000-0000000000a2'), office);
    const stamps: string[] = [];
    for await (const e of t.store.readAll()) stamps.push(e.metadata.recordedAt as string);
    expect(stamps).toEqual(['2025-09-12T12:00:00.000Z', '2025-09-12T12:00:00.000Z', '2025-09-12T12:00:00.000Z']);
  });

  it('appends a retried command with the same idempotency key only once, also after a restart', async () => {
    const ledger = new Ledger(t.store);
    const first = await ledger.execute(STREAM, patronDecider, { type: 'AppointPatron', data: panter }, { ...office, idempotencyKey: 'k-1' });
    const again = await ledger.execute(STREAM, patronDecider, { type: 'AppointPatron', data: panter }, { ...office, idempotencyKey: 'k-1' });
    expect(again).toMatchObject({ appended: false, revision: first.revision, position: first.position });
    const restarted = new Ledger(t.store);
    const afterRestart = await restarted.execute(STREAM, patronDecider, { type: 'AppointPatron', data: panter }, { ...office, idempotencyKey: 'k-1' });
    expect(afterRestart).toMatchObject({ appended: false, revision: first.revision, position: first.position });
    expect(await readStream(t.store)).toHaveLength(1);
  });

  it('checks If-Match before any domain rule', async () => {
    const ledger = new Ledger(t.store);
    await ledger.execute(STREAM, patronDecider, { type: 'AppointPatron', data: panter }, office);
    // a statement before the first patron's start breaks a rule, but the stale revision is reported first
    const early = statement('00000000-0000-4000-8000-0000000000a3', '2020-01-01');
    await expect(ledger.execute(STREAM, patronDecider, early, { ...office, ifMatch: 5n })).rejects.toThrow(PreconditionFailed);
    await expect(ledger.execute(STREAM, patronDecider, early, { ...office, ifMatch: 0n })).rejects.toThrow(DomainRuleViolated);
    const ok = await ledger.execute(STREAM, patronDecider, statement('00000000-0000-4000-8000-0000000000a4'), { ...office, ifMatch: 0n });
    expect(ok.revision).toBe(1n);
  });

  it('retries on a conflict when no If-Match was given, so concurrent writers both succeed', async () => {
    const a = new Ledger(t.store);
    const b = new Ledger(t.store);
    await a.execute(STREAM, patronDecider, { type: 'AppointPatron', data: panter }, office);
    await b.load(STREAM, patronDecider); // b caches revision 0
    await a.execute(STREAM, patronDecider, statement('00000000-0000-4000-8000-0000000000b1'), office);
    const late = await b.execute(STREAM, patronDecider, statement('00000000-0000-4000-8000-0000000000b2'), office);
    expect(late.revision).toBe(2n);
    const events = await readStream(t.store);
    expect(events.map((e) => Number(e.revision))).toEqual([0, 1, 2]);
    expect(findChainBreak(events)).toBeUndefined();
  });

  it('does not read a stream the caller says it just made up, and reads it after all when the id was taken', async () => {
    const reads = jest.spyOn(t.store, 'readStream');
    const ledger = new Ledger(t.store);
    const fresh = await ledger.execute('patron-fresh', patronDecider, { type: 'AppointPatron', data: panter }, { ...office, newStream: true });
    expect(fresh).toMatchObject({ appended: true, revision: 0n });
    expect(reads.mock.calls.filter(([stream]) => stream === 'patron-fresh')).toEqual([]);

    // the id is taken: the first attempt (on the empty stream) conflicts, the second reads and meets the real state
    await new Ledger(t.store).execute(STREAM, patronDecider, { type: 'AppointPatron', data: panter }, office);
    reads.mockClear();
    const taken = ledger.execute(STREAM, patronDecider, { type: 'AppointPatron', data: panter }, { ...office, newStream: true });
    await expect(taken).rejects.toMatchObject({ rule: 'patron-succession-order' });
    expect(reads.mock.calls.filter(([stream]) => stream === STREAM)).toHaveLength(1);
    expect(await readStream(t.store)).toHaveLength(1);
  });

  it('reads a stream first under an idempotency key, even when told it is new, so that a retry finds its events', async () => {
    const ledger = new Ledger(t.store);
    const options = { ...office, idempotencyKey: 'k-new', newStream: true as const };
    const first = await ledger.execute(STREAM, patronDecider, { type: 'AppointPatron', data: panter }, options);
    const again = await new Ledger(t.store).execute(STREAM, patronDecider, { type: 'AppointPatron', data: panter }, options);
    expect(again).toMatchObject({ appended: false, revision: first.revision, position: first.position });
  });

  it('decides on a cached stream without reading it; a stale cache conflicts and is read', async () => {
    const a = new Ledger(t.store);
    const b = new Ledger(t.store);
    await b.execute(STREAM, patronDecider, { type: 'AppointPatron', data: panter }, office);
    const reads = jest.spyOn(t.store, 'readStream');
    await b.execute(STREAM, patronDecider, statement('00000000-0000-4000-8000-0000000000c1'), office);
    expect(reads).not.toHaveBeenCalled();
    await a.execute(STREAM, patronDecider, statement('00000000-0000-4000-8000-0000000000c2'), office);
    reads.mockClear();
    const late = await b.execute(STREAM, patronDecider, statement('00000000-0000-4000-8000-0000000000c3'), office);
    expect(late.revision).toBe(3n);
    expect(reads).toHaveBeenCalledTimes(1);
    expect(findChainBreak(await readStream(t.store))).toBeUndefined();
  });

  it('checks a refusal met on a cached state against the stored stream before answering it', async () => {
    const b = new Ledger(t.store);
    expect(await b.exists(STREAM, patronDecider)).toBe(false); // b caches the empty stream
    await new Ledger(t.store).execute(STREAM, patronDecider, { type: 'AppointPatron', data: panter }, office);
    // on the cached (empty) stream a statement is refused: there is no patron; the stored stream has one
    const issued = await b.execute(STREAM, patronDecider, statement('00000000-0000-4000-8000-0000000000c4'), office);
    expect(issued).toMatchObject({ appended: true, revision: 1n });
  });

  it('checks If-Match against the stored stream when the cached revision differs', async () => {
    const b = new Ledger(t.store);
    await b.execute(STREAM, patronDecider, { type: 'AppointPatron', data: panter }, office);
    await new Ledger(t.store).execute(STREAM, patronDecider, statement('00000000-0000-4000-8000-0000000000c5'), office);
    const ok = await b.execute(STREAM, patronDecider, statement('00000000-0000-4000-8000-0000000000c6'), { ...office, ifMatch: 1n });
    expect(ok.revision).toBe(2n);
    await expect(b.execute(STREAM, patronDecider, statement('00000000-0000-4000-8000-0000000000c7'), { ...office, ifMatch: 1n })).rejects.toThrow(
      PreconditionFailed,
    );
  });

  it('answers whether a stream exists, from its cache once it has events', async () => {
    const ledger = new Ledger(t.store);
    expect(await ledger.exists(STREAM, patronDecider)).toBe(false);
    await ledger.execute(STREAM, patronDecider, { type: 'AppointPatron', data: panter }, office);
    const reads = jest.spyOn(t.store, 'readStream');
    expect(await ledger.exists(STREAM, patronDecider)).toBe(true);
    expect(reads).not.toHaveBeenCalled();
    // another process's stream: read
    await new Ledger(t.store).execute('patron-other', patronDecider, { type: 'AppointPatron', data: panter }, office);
    reads.mockClear();
    expect(await ledger.exists('patron-other', patronDecider)).toBe(true);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('detects one changed byte anywhere in a stored event', async () => {
    const ledger = new Ledger(t.store);
    await ledger.execute(STREAM, patronDecider, { type: 'AppointPatron', data: panter }, office);
    for (let i = 0; i < 3; i++) await ledger.execute(STREAM, patronDecider, statement(`00000000-0000-4000-8000-00000000000${i}`), office);
    await t.store.close();

    const db = new Database(t.path);
    const rows = db.prepare('SELECT position, stream, event_id, type, data, metadata FROM events ORDER BY position').all() as Record<string, string | number>[];
    const columns = ['stream', 'event_id', 'type', 'data', 'metadata'] as const;
    const update = (column: string) => db.prepare(`UPDATE events SET ${column} = ? WHERE position = ?`);
    fc.assert(
      fc.property(fc.nat(rows.length - 1), fc.constantFrom(...columns), fc.nat(), fc.integer({ min: 1, max: 94 }), (rowIndex, column, offset, delta) => {
        const row = rows[rowIndex]!;
        const original = String(row[column]);
        const at = offset % original.length;
        const changedChar = String.fromCharCode(((original.charCodeAt(at) - 32 + delta) % 95) + 32);
        const changed = original.slice(0, at) + changedChar + original.slice(at + 1);
        update(column).run(changed, row.position);
        try {
          let broken: ReturnType<typeof findChainBreak> | 'unreadable' = undefined;
          const events: StoredEvent[] = [];
          try {
            for (const r of db.prepare('SELECT * FROM events ORDER BY position').all() as Record<string, string | number | bigint>[]) {
              events.push({
                position: BigInt(r.position!),
                stream: String(r.stream),
                revision: BigInt(r.revision!),
                eventId: String(r.event_id),
                type: String(r.type),
                data: JSON.parse(String(r.data)),
                metadata: JSON.parse(String(r.metadata)),
              });
            }
          } catch {
            broken = 'unreadable'; // the change broke the JSON: the store reports the row as corrupt
          }
          if (broken === undefined) {
            const byStream = new Map<string, StoredEvent[]>();
            for (const e of events) byStream.set(e.stream, [...(byStream.get(e.stream) ?? []), e]);
            for (const streamEvents of byStream.values()) broken ??= findChainBreak(streamEvents);
          }
          expect(broken).toBeDefined();
        } finally {
          update(column).run(original, row.position);
        }
      }),
      { numRuns: 300 },
    );
    db.close();
    // untouched again, the ledger reads back intact
    const reopened = await openEmbeddedStore({ path: t.path });
    expect(findChainBreak(await readStream(reopened))).toBeUndefined();
    await reopened.close();
  });
});
