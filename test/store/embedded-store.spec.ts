import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store';
import { APPLICATION_ID, SCHEMA_VERSION } from '../../src/store/embedded/schema';
import { ConcurrencyConflict, StoreCorrupted, StoreUnavailable } from '../../src/store/errors';
import { collect, embeddedFixture, event, failure } from './embedded-fixture';

let fixture: ReturnType<typeof embeddedFixture>;
beforeEach(() => {
  fixture = embeddedFixture();
});
afterEach(async () => {
  await fixture.cleanup();
});

describe('embedded store: the file', () => {
  it('creates its directory and a WAL-mode file marked as ours, at the current schema version', async () => {
    const path = join(fixture.directory, 'a', 'b', 'ledger.db');
    const store = await fixture.open({ path });
    expect(store.description).toBe(`embedded (${path})`);
    await store.append('s-1', [event('A')], 'no-stream');
    expect(existsSync(`${path}-wal`)).toBe(true);

    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(raw.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
      const columns = (raw.pragma('table_info(events)') as { name: string }[]).map((c) => c.name);
      expect(columns).toEqual(['position', 'stream', 'revision', 'event_id', 'type', 'data', 'metadata']);
      expect(raw.prepare('SELECT data, metadata FROM events').get()).toEqual({ data: '{"type":"A"}', metadata: '{}' });
    } finally {
      raw.close();
    }
  });

  it('uses row numbers as positions and has no head while empty', async () => {
    const store = await fixture.open();
    expect(await store.headPosition()).toBeNull();
    expect(await store.append('s-1', [event('A'), event('B')], 'no-stream')).toEqual({ revision: 1n, position: 2n });
    expect(await store.append('s-2', [event('C')], 'no-stream')).toEqual({ revision: 0n, position: 3n });
    expect(await store.headPosition()).toBe(3n);
  });

  it('works in memory', async () => {
    const store = await openEmbeddedStore({ path: ':memory:' });
    try {
      await store.append('s-1', [event('A')], 'no-stream');
      expect((await collect(store.readAll())).map((e) => e.type)).toEqual(['A']);
    } finally {
      await store.close();
    }
  });

  it('refuses a path it cannot open as StoreUnavailable', async () => {
    writeFileSync(join(fixture.directory, 'plain-file'), 'x');
    expect(await failure(openEmbeddedStore({ path: join(fixture.directory, 'plain-file', 'ledger.db') }))).toBeInstanceOf(StoreUnavailable);
    mkdirSync(join(fixture.directory, 'a-directory'));
    expect(await failure(openEmbeddedStore({ path: join(fixture.directory, 'a-directory') }))).toBeInstanceOf(StoreUnavailable);
  });

  it('refuses a file that is not a database as StoreCorrupted', async () => {
    writeFileSync(fixture.path, 'this is not a SQLite file, but long enough to have a header of sorts.'.repeat(20));
    expect(await failure(fixture.open())).toBeInstanceOf(StoreCorrupted);
  });

  it('refuses somebody else’s SQLite file and a schema newer than it knows', async () => {
    const foreign = new Database(fixture.path);
    foreign.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY)');
    foreign.close();
    expect(await failure(fixture.open())).toBeInstanceOf(StoreUnavailable);

    const newer = join(fixture.directory, 'newer.db');
    await (await fixture.open({ path: newer })).close();
    const raw = new Database(newer);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const error = await failure(fixture.open({ path: newer }));
    expect(error).toBeInstanceOf(StoreUnavailable);
    expect((error as Error).message).toMatch(/schema version/);
  });

  it('answers StoreUnavailable when another process holds the write lock past the busy timeout', async () => {
    const store = await fixture.open({ busyTimeoutMs: 50 });
    const other = new Database(fixture.path);
    try {
      other.exec('BEGIN IMMEDIATE');
      expect(await failure(store.append('s-1', [event('A')], 'no-stream'))).toBeInstanceOf(StoreUnavailable);
      other.exec('ROLLBACK');
      expect((await store.append('s-1', [event('A')], 'no-stream')).revision).toBe(0n);
    } finally {
      other.close();
    }
  });

  it('answers StoreCorrupted for a row it cannot parse', async () => {
    const store = await fixture.open();
    await store.append('s-1', [event('A'), event('B')], 'no-stream');
    const raw = new Database(fixture.path);
    raw.prepare("UPDATE events SET data = '{not json' WHERE revision = 1").run();
    raw.close();
    expect(await failure(collect(store.readStream('s-1')))).toBeInstanceOf(StoreCorrupted);
    expect(await failure(collect(store.readAll()))).toBeInstanceOf(StoreCorrupted);
    expect((await collect(store.readStream('s-1', { maxCount: 1 }))).map((e) => e.type)).toEqual(['A']);

    const again = new Database(fixture.path);
    again.prepare("UPDATE events SET data = '{}', metadata = '[1]' WHERE revision = 1").run();
    again.close();
    expect(await failure(collect(store.readStream('s-1')))).toBeInstanceOf(StoreCorrupted);
  });

  it('refuses every call after close with StoreUnavailable, and closing twice is harmless', async () => {
    const store = await fixture.open({ pageSize: 1 });
    await store.append('s-1', [event('A'), event('B')], 'no-stream');
    const reading = store.readAll()[Symbol.asyncIterator]();
    expect((await reading.next()).done).toBe(false);
    await store.close();
    await store.close();
    expect(await failure(store.append('s-1', [event('C')], 1n))).toBeInstanceOf(StoreUnavailable);
    expect(await failure(collect(store.readStream('s-1')))).toBeInstanceOf(StoreUnavailable);
    expect(await failure(collect(store.readAll()))).toBeInstanceOf(StoreUnavailable);
    expect(await failure(store.headPosition())).toBeInstanceOf(StoreUnavailable);
    expect(await failure(store.subscribe()[Symbol.asyncIterator]().next())).toBeInstanceOf(StoreUnavailable);
    // a read begun before close fails at its next page
    expect(await failure(reading.next())).toBeInstanceOf(StoreUnavailable);
  });
});

describe('embedded store: appending', () => {
  it('refuses malformed batches before writing anything', async () => {
    const store = await fixture.open();
    expect(await failure(store.append('s-1', [], 'any'))).toBeInstanceOf(TypeError);
    expect(await failure(store.append('', [event('A')], 'any'))).toBeInstanceOf(TypeError);
    expect(await failure(store.append('s-1', [event('A', {}, 'e-1')], 'any'))).toBeInstanceOf(TypeError);
    const twice = event('A');
    expect(await failure(store.append('s-1', [twice, twice], 'any'))).toBeInstanceOf(TypeError);
    expect(await failure(store.append('s-1', [event('')], 'any'))).toBeInstanceOf(TypeError);
    expect(await failure(store.append('s-1', [{ ...event('A'), data: undefined }], 'any'))).toBeInstanceOf(TypeError);
    expect(await failure(store.append('s-1', [{ ...event('A'), metadata: [] as unknown as Record<string, unknown> }], 'any'))).toBeInstanceOf(TypeError);
    expect(await failure(store.append('s-1', [event('A')], -1n))).toBeInstanceOf(RangeError);
    expect(await store.headPosition()).toBeNull();
  });

  it('stores any JSON value as data and reads it back', async () => {
    const store = await fixture.open();
    const values = ['plain text', 42, -0.5, true, null, [1, 'two', { three: 3 }], { 'ä ö': { '': [] } }];
    await store.append('s-1', values.map((v) => event('V', v)), 'no-stream');
    expect((await collect(store.readStream('s-1'))).map((e) => e.data)).toEqual(values);
  });

  it('treats a retry with any expectation that held at the original write as the original append', async () => {
    const store = await fixture.open();
    const batch = [event('A'), event('B')];
    const first = await store.append('s-1', batch, 'any');
    await store.append('s-1', [event('C')], 1n);
    expect(await store.append('s-1', batch, 'any')).toEqual(first);
    expect(await store.append('s-1', batch, 'no-stream')).toEqual(first);
    expect(await store.append('s-1', batch.slice(1), 0n)).toEqual(first);

    const later = [event('D')];
    const fourth = await store.append('s-1', later, 'exists');
    expect(await store.append('s-1', later, 'exists')).toEqual(fourth);
    expect(await store.append('s-1', later, 2n)).toEqual(fourth);
    expect(await collect(store.readStream('s-1'))).toHaveLength(4);
  });

  it('refuses a stored event id anywhere else as a ConcurrencyConflict that says where it is', async () => {
    const store = await fixture.open();
    const a = event('A');
    const b = event('B');
    await store.append('s-1', [a, b], 'no-stream');

    const elsewhere = await failure(store.append('s-2', [event('X'), b], 'no-stream'));
    expect(elsewhere).toBeInstanceOf(ConcurrencyConflict);
    expect(elsewhere).toMatchObject({ stream: 's-2', expected: 'no-stream', actual: 'no-stream' });
    expect((elsewhere as Error).message).toContain(`event id ${b.eventId} is already stored as s-1@1`);
    expect(await collect(store.readStream('s-2'))).toEqual([]);

    // the ids were written at revision 0 and 1; appending them again after revision 1 is not a retry
    const again = await failure(store.append('s-1', [b], 1n));
    expect(again).toBeInstanceOf(ConcurrencyConflict);
    expect((again as Error).message).toContain('already stored as s-1@1');
    // same first id, different rest: not the same batch
    expect(await failure(store.append('s-1', [a, event('Y')], 'no-stream'))).toBeInstanceOf(ConcurrencyConflict);
    // same batch, an expectation that did not hold when it was written
    expect(await failure(store.append('s-1', [a, b], 'exists'))).toBeInstanceOf(ConcurrencyConflict);
    expect(await collect(store.readStream('s-1'))).toHaveLength(2);
  });
});

describe('embedded store: group commit', () => {
  it('commits appends called in one turn together, each succeeding or failing on its own, in the order called', async () => {
    const store = await fixture.open();
    const twice = event('T');
    const outcomes = await Promise.allSettled([
      store.append('s-1', [event('A')], 'no-stream'),
      store.append('s-2', [event('B'), event('C')], 'no-stream'),
      store.append('s-1', [event('D')], 'no-stream'), // s-1 exists by now: a conflict, alone
      store.append('s-1', [event('E')], 0n),
      store.append('s-3', [twice], 'no-stream'),
      store.append('s-4', [twice], 'no-stream'), // the id is stored already, in s-3
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'rejected']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyConflict);
    expect((outcomes[5] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyConflict);
    expect(outcomes.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<unknown>).value)).toEqual([
      { revision: 0n, position: 1n },
      { revision: 1n, position: 3n },
      { revision: 1n, position: 4n },
      { revision: 0n, position: 5n },
    ]);
    expect((await collect(store.readAll())).map((e) => `${e.stream}:${e.type}`)).toEqual(['s-1:A', 's-2:B', 's-2:C', 's-1:E', 's-3:T']);
  });

  it('writes appends already called when it is closed', async () => {
    const store = await fixture.open();
    const appending = store.append('s-1', [event('A')], 'no-stream');
    await store.close();
    expect(await appending).toEqual({ revision: 0n, position: 1n });
    const reopened = await fixture.open();
    expect((await collect(reopened.readAll())).map((e) => e.type)).toEqual(['A']);
  });
});

describe('embedded store: reading in pages', () => {
  it('reads streams and the log across page boundaries', async () => {
    const store = await fixture.open({ pageSize: 2 });
    const types = ['E0', 'E1', 'E2', 'E3', 'E4', 'E5', 'E6'];
    await store.append('s-1', types.map((t) => event(t)), 'no-stream');
    await store.append('s-2', [event('X')], 'no-stream');
    const read = async (iterable: AsyncIterable<{ type: string }>) => (await collect(iterable)).map((e) => e.type);

    expect(await read(store.readStream('s-1'))).toEqual(types);
    expect(await read(store.readStream('s-1', { direction: 'backwards' }))).toEqual([...types].reverse());
    expect(await read(store.readStream('s-1', { fromRevision: 1n, maxCount: 5 }))).toEqual(types.slice(1, 6));
    expect(await read(store.readStream('s-1', { direction: 'backwards', fromRevision: 4n, maxCount: 4 }))).toEqual(['E4', 'E3', 'E2', 'E1']);
    expect(await read(store.readStream('s-1', { maxCount: 0 }))).toEqual([]);
    expect(await read(store.readAll())).toEqual([...types, 'X']);
    expect(await read(store.readAll({ after: 3n, maxCount: 3 }))).toEqual(['E3', 'E4', 'E5']);
    expect(await read(store.readAll({ direction: 'backwards', maxCount: 3 }))).toEqual(['X', 'E6', 'E5']);
  });

  it('reads backwards “after” a position as the positions below it', async () => {
    const store = await fixture.open();
    await store.append('s-1', [event('E0'), event('E1'), event('E2')], 'no-stream');
    expect((await collect(store.readAll({ direction: 'backwards', after: 3n }))).map((e) => e.type)).toEqual(['E1', 'E0']);
  });

  it('refuses nonsense options', async () => {
    const store = await fixture.open();
    expect(await failure(collect(store.readStream('s-1', { maxCount: -1 })))).toBeInstanceOf(RangeError);
    expect(await failure(collect(store.readStream('s-1', { fromRevision: -1n })))).toBeInstanceOf(RangeError);
    expect(await failure(collect(store.readAll({ maxCount: 1.5 })))).toBeInstanceOf(RangeError);
    expect(await failure(openEmbeddedStore({ path: ':memory:', pageSize: 0 }))).toBeInstanceOf(RangeError);
  });
});
