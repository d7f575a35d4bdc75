import { randomUUID } from 'node:crypto';
import {
  AccessDeniedError,
  ANY,
  InvalidArgumentError,
  NO_STREAM,
  STREAM_EXISTS,
  StreamDeletedError,
  UnavailableError,
} from '@eventstore/db-client';
import { ConcurrencyConflict, StoreCorrupted, StoreError, StoreUnavailable } from '../../src/store/errors';
import { INTERNAL_STREAM_PREFIX, openEventStoreDbStore } from '../../src/store/eventstoredb';
import { translateClientError } from '../../src/store/eventstoredb/errors';
import { fromClientActualRevision, toClientExpectedRevision } from '../../src/store/eventstoredb/revisions';
import type { StoredEvent } from '../../src/store/port';
import { collect, esdbFixture, event, events, eventually, failure, Reader, streamName } from '../support/esdb-double/testing';

let fixture: ReturnType<typeof esdbFixture>;
beforeEach(() => {
  fixture = esdbFixture();
});
afterEach(async () => {
  await fixture.cleanup();
});

const json = (value: unknown) => Uint8Array.from(Buffer.from(JSON.stringify(value), 'utf8'));
const types = (found: StoredEvent[]) => found.map((e) => e.type);

describe('EventStoreDB adapter: the store', () => {
  it('names the server in its description, leaving out credentials and settings', async () => {
    const single = await openEventStoreDbStore({ connectionString: 'esdb://localhost:2113?tls=false' });
    const cluster = await openEventStoreDbStore({
      connectionString: 'esdb://admin:changeit@node1:2113,node2:2113,node3:2113?tls=false&nodePreference=leader',
    });
    try {
      expect(single.description).toBe('EventStoreDB (localhost:2113)');
      expect(cluster.description).toBe('EventStoreDB (node1:2113,node2:2113,node3:2113)');
    } finally {
      await single.close();
      await cluster.close();
    }
  });

  it('writes every event as a JSON event with our id, type, data and metadata', async () => {
    const double = await fixture.start();
    const store = await fixture.open(double);
    const stream = streamName('partner');
    const written = [
      { eventId: randomUUID(), type: 'PartnerAdmitted', data: { name: 'Müller' }, metadata: { actor: { id: 'u-1' }, schemaVersion: 1 } },
      { eventId: randomUUID(), type: 'PartnerRenamed', data: ['a', 1, null], metadata: {} },
    ];
    await store.append(stream, written, 'no-stream');

    const stored = double.log.stream(stream) ?? [];
    expect(stored.map((e) => ({ id: e.id, type: e.type, contentType: e.contentType }))).toEqual(
      written.map((e) => ({ id: e.eventId, type: e.type, contentType: 'application/json' })),
    );
    expect(stored.map((e) => Buffer.from(e.data).toString())).toEqual(written.map((e) => JSON.stringify(e.data)));
    expect(stored.map((e) => Buffer.from(e.metadata).toString())).toEqual(written.map((e) => JSON.stringify(e.metadata)));
  });

  it("numbers revisions from 0 and gives EventStoreDB's commit positions as positions", async () => {
    const double = await fixture.start();
    const store = await fixture.open(double);
    const stream = streamName('board');
    const result = await store.append(stream, events('E', 0, 3), 'no-stream');
    const read = await collect(store.readStream(stream));
    const logged = double.log.stream(stream) ?? [];
    expect(read.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
    expect(read.map((e) => e.position)).toEqual(logged.map((e) => e.position));
    expect(result).toEqual({ revision: 2n, position: logged[2]!.position });
    expect(await store.headPosition()).toBe(logged[2]!.position);
  });

  it("leaves EventStoreDB's own events and the ledger's internal streams out of the global log", async () => {
    const double = await fixture.start();
    const store = await fixture.open(double);
    const stream = streamName('partner');
    const internal = `${INTERNAL_STREAM_PREFIX}checkpoints`;
    await store.append(stream, [event('A')], 'no-stream');
    // what the server and its projections write next to ours
    const link = { id: randomUUID(), type: '$>', data: json(`0@${stream}`), metadata: new Uint8Array() };
    double.appendRaw('$ce-partner', link);
    double.appendRaw(`$$${stream}`, { id: randomUUID(), type: '$metadata', data: json({ $maxCount: 10 }), metadata: new Uint8Array() });
    double.appendRaw('$settings', { id: randomUUID(), type: 'update', data: json({}), metadata: json({}) });
    double.appendRaw(stream, { id: randomUUID(), type: '$system-type', data: json({}), metadata: json({}) });
    await store.append(internal, [event('CheckpointStored')], 'any');
    const last = await store.append(stream, [event('B')], 'any');
    double.appendRaw('$et-B', { ...link, id: randomUUID() });

    const mine = (e: StoredEvent) => !e.stream.startsWith('$') && !e.type.startsWith('$') && !e.stream.startsWith(INTERNAL_STREAM_PREFIX);
    const log = await collect(store.readAll());
    expect(log.every(mine)).toBe(true);
    expect(types(log)).toEqual(['A', 'B']);
    expect(types(await collect(store.readAll({ direction: 'backwards' })))).toEqual(['B', 'A']);
    expect(await store.headPosition()).toBe(last.position);

    const subscription = store.subscribe();
    expect(types(await new Reader(subscription).untilCaughtUp())).toEqual(['A', 'B']);
    await subscription.close();

    // the streams themselves read as written
    expect(types(await collect(store.readStream(internal)))).toEqual(['CheckpointStored']);
    expect(types(await collect(store.readStream(stream)))).toEqual(['A', '$system-type', 'B']);
  });

  it('reads without collecting: the server waits for the reader, and stopping early ends the server call', async () => {
    const double = await fixture.start();
    const store = await fixture.open(double);
    const stream = streamName('meeting');
    for (let from = 0; from < 3000; from += 500) await store.append(stream, events('E', from, from + 500), 'any');

    for (const read of [() => store.readAll(), () => store.readStream(stream)]) {
      const iterator = read()[Symbol.asyncIterator]();
      expect((await iterator.next()).done).toBe(false);
      await eventually(() => double.activeReads.some((r) => r.kind === 'read' && r.waiting), 2000, 'the server waiting for the reader');
      expect(double.activeReads.find((r) => r.kind === 'read')!.sent).toBeLessThan(3000);
      await iterator.return!(undefined);
      await eventually(() => double.activeReads.length === 0, 2000, 'the server call ending');
    }
  });

  it('refuses caller bugs before anything reaches the server', async () => {
    const double = await fixture.start();
    const store = await fixture.open(double);
    const stream = streamName();
    const before = double.log.events.length;
    expect(await failure(store.append(stream, [], 'no-stream'))).toBeInstanceOf(TypeError);
    expect(await failure(store.append('', [event('A')], 'no-stream'))).toBeInstanceOf(TypeError);
    expect(await failure(store.append(stream, [{ ...event('A'), eventId: 'not-a-uuid' }], 'no-stream'))).toBeInstanceOf(TypeError);
    const twice = event('A');
    expect(await failure(store.append(stream, [twice, twice], 'no-stream'))).toBeInstanceOf(TypeError);
    expect(await failure(store.append(stream, [{ ...event('A'), metadata: [] as never }], 'no-stream'))).toBeInstanceOf(TypeError);
    expect(await failure(store.append(stream, [{ ...event('A'), data: undefined }], 'no-stream'))).toBeInstanceOf(TypeError);
    expect(await failure(store.append(stream, [event('A')], -1n))).toBeInstanceOf(RangeError);
    expect(await failure(store.append(stream, [event('A')], 'later' as never))).toBeInstanceOf(RangeError);
    expect(await failure(collect(store.readStream(stream, { fromRevision: -1n })))).toBeInstanceOf(RangeError);
    expect(await failure(collect(store.readStream(stream, { maxCount: 1.5 })))).toBeInstanceOf(RangeError);
    expect(await failure(collect(store.readAll({ maxCount: -1 })))).toBeInstanceOf(RangeError);
    expect(double.log.events.length).toBe(before);
    expect(await collect(store.readAll({ maxCount: 0 }))).toEqual([]);
  });

  it('reports events it did not write in the ledger’s shape as StoreCorrupted', async () => {
    const double = await fixture.start();
    const store = await fixture.open(double);
    const binary = streamName('partner');
    double.appendRaw(binary, { id: randomUUID(), type: 'Binary', contentType: 'application/octet-stream', data: Uint8Array.of(1, 2), metadata: new Uint8Array() });
    const noMetadata = streamName('partner');
    double.appendRaw(noMetadata, { id: randomUUID(), type: 'Bare', data: json({}), metadata: new Uint8Array() });
    const corrupted = (await failure(collect(store.readStream(binary)))) as StoreCorrupted;
    expect(corrupted).toBeInstanceOf(StoreCorrupted);
    const [stored] = double.log.stream(binary) ?? [];
    expect(corrupted.at).toEqual({ position: stored!.position, stream: binary, revision: 0n, eventId: stored!.id });
    expect(await failure(collect(store.readStream(noMetadata)))).toBeInstanceOf(StoreCorrupted);
    expect(await failure(collect(store.readAll()))).toBeInstanceOf(StoreCorrupted);
    // a reader can go on after the event it cannot read
    const rest = await failure(collect(store.readAll({ after: corrupted.at!.position })));
    expect((rest as StoreCorrupted).at?.stream).toBe(noMetadata);
  });

  it('is unavailable once closed; closing twice is harmless', async () => {
    const double = await fixture.start();
    const store = await fixture.open(double);
    const stream = streamName();
    await store.append(stream, [event('A')], 'no-stream');
    const open = store.subscribe();
    await new Reader(open).untilCaughtUp();
    const pending = open[Symbol.asyncIterator]().next();
    await store.close();
    await store.close();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(await failure(store.append(stream, [event('B')], 0n))).toBeInstanceOf(StoreUnavailable);
    expect(await failure(collect(store.readStream(stream)))).toBeInstanceOf(StoreUnavailable);
    expect(await failure(collect(store.readAll()))).toBeInstanceOf(StoreUnavailable);
    expect(await failure(store.headPosition())).toBeInstanceOf(StoreUnavailable);
    const late = store.subscribe()[Symbol.asyncIterator]();
    expect(await failure(late.next())).toBeInstanceOf(StoreUnavailable);
    expect(await late.next()).toEqual({ done: true, value: undefined });
  });

  it('appends through Streams.Append when the server offers no BatchAppend, with the same answers', async () => {
    const double = await fixture.start({ batchAppend: false, serverVersion: '21.6.0' });
    const store = await fixture.open(double);
    const stream = streamName();
    const first = await store.append(stream, events('E', 0, 2), 'no-stream');
    expect(first.revision).toBe(1n);
    expect(await store.append(stream, [event('C')], 1n)).toMatchObject({ revision: 2n });
    const conflict = (await failure(store.append(stream, [event('D')], 'no-stream'))) as ConcurrencyConflict;
    expect(conflict).toBeInstanceOf(ConcurrencyConflict);
    expect([conflict.expected, conflict.actual]).toEqual(['no-stream', 2n]);
    const missing = (await failure(store.append(streamName(), [event('A')], 'exists'))) as ConcurrencyConflict;
    expect([missing.expected, missing.actual]).toEqual(['exists', 'no-stream']);
  });

  it('treats a batch retried right away with the same expectation as appended once, as EventStoreDB promises', async () => {
    const double = await fixture.start();
    const store = await fixture.open(double);
    const stream = streamName();
    await store.append(stream, [event('A')], 'no-stream');
    for (const [expected, batch] of [
      ['any', events('B', 0, 2)],
      ['exists', events('C', 0, 2)],
      [4n, events('D', 0, 1)],
    ] as const) {
      const first = await store.append(stream, batch, expected);
      expect(await store.append(stream, batch, expected)).toEqual(first);
    }
    expect(types(await collect(store.readStream(stream)))).toEqual(['A', 'B0', 'B1', 'C0', 'C1', 'D0']);
  });
});

describe('EventStoreDB adapter: expected revisions and errors', () => {
  it('maps expected revisions in one place', () => {
    expect(toClientExpectedRevision('no-stream')).toBe(NO_STREAM);
    expect(toClientExpectedRevision('exists')).toBe(STREAM_EXISTS);
    expect(toClientExpectedRevision('any')).toBe(ANY);
    expect(toClientExpectedRevision(0n)).toBe(0n);
    expect(toClientExpectedRevision(41n)).toBe(41n);
    expect(() => toClientExpectedRevision(-1n)).toThrow(RangeError);
    expect(() => toClientExpectedRevision(3 as never)).toThrow(RangeError);
  });

  it("reads the client's actual revision, including the string 'no_stream', without trusting its type", () => {
    expect(fromClientActualRevision('no_stream')).toBe('no-stream');
    expect(fromClientActualRevision(7n)).toBe(7n);
    expect(fromClientActualRevision(-1n)).toBe('no-stream');
    expect(fromClientActualRevision(-1)).toBe('no-stream');
    expect(fromClientActualRevision(3)).toBe(3n);
    expect(fromClientActualRevision('12')).toBe(12n);
    expect(fromClientActualRevision(undefined)).toBe('no-stream');
    expect(fromClientActualRevision('not a number')).toBe('no-stream');
  });

  it("translates the client's errors into the store's", () => {
    expect(translateClientError(new UnavailableError(undefined, 'down'), 'x')).toBeInstanceOf(StoreUnavailable);
    expect(translateClientError(new AccessDeniedError(undefined, 'denied'), 'x')).toBeInstanceOf(StoreUnavailable);
    expect(translateClientError(new InvalidArgumentError('bad'), 'x')).toBeInstanceOf(TypeError);
    const deleted = translateClientError(new StreamDeletedError(undefined, 's'), 'x');
    expect(deleted).toBeInstanceOf(StoreError);
    expect(deleted).not.toBeInstanceOf(StoreUnavailable);
    expect(translateClientError(new Error('Failed to discover after 10 attempts.'), 'x')).toBeInstanceOf(StoreUnavailable);
    const ours = new StoreCorrupted('x');
    expect(translateClientError(ours, 'x')).toBe(ours);
    const bug = new TypeError('a bug of ours');
    expect(translateClientError(bug, 'x')).toBe(bug);
  });
});
