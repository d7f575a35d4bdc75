import { createServer } from 'node:net';
import { StoreUnavailable } from '../../src/store/errors';
import type { StoredEvent } from '../../src/store/port';
import { collect, esdbFixture, event, events, failure, Reader, streamName } from '../support/esdb-double/testing';

let fixture: ReturnType<typeof esdbFixture>;
beforeEach(() => {
  fixture = esdbFixture();
});
afterEach(async () => {
  await fixture.cleanup();
});

const fastRetry = { subscription: { retryInitialMs: 20, retryMaxMs: 200, bufferSize: 16 } };
const types = (found: StoredEvent[]) => found.map((e) => e.type);
const numbered = (prefix: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`);

describe('EventStoreDB adapter: the connection drops in the middle of a subscription', () => {
  it('resubscribes from the last event it received and delivers every event exactly once, in order', async () => {
    const double = await fixture.start();
    const store = await fixture.open(double, fastRetry);
    const stream = streamName('partner');
    for (let from = 0; from < 2000; from += 100) await store.append(stream, events('E', from, from + 100), from === 0 ? 'no-stream' : BigInt(from - 1));

    const subscription = store.subscribe();
    const reader = new Reader(subscription);
    const before = await reader.events(100);
    // the rest of the history is on its way: in the client's buffers, in flight, or not yet sent
    const [sending] = double.activeReads.filter((read) => read.kind === 'subscription');
    expect(sending!.sent).toBeLessThan(2000);
    await double.simulateOutage();
    await double.restore();
    const after = await reader.events(1900);
    expect(types([...before, ...after])).toEqual(numbered('E', 0, 2000));

    await store.append(stream, events('E', 2000, 2005), 1999n);
    const live = await reader.events(5);
    expect(types(live)).toEqual(numbered('E', 2000, 2005));
    expect(reader.caughtUpCount).toBe(1);
    expect(reader.seen.findIndex((m) => m.kind === 'caught-up')).toBe(2000);
    await subscription.close();
  });

  it('keeps retrying while the server is down and picks up events written meanwhile by another client', async () => {
    const double = await fixture.start();
    const store = await fixture.open(double, fastRetry);
    const stream = streamName('board');
    await store.append(stream, events('E', 0, 3), 'no-stream');
    const subscription = store.subscribe();
    const reader = new Reader(subscription);
    expect(types(await reader.untilCaughtUp()).filter((t) => t.startsWith('E'))).toEqual(['E0', 'E1', 'E2']);

    await double.simulateOutage();
    await new Promise((resolve) => setTimeout(resolve, 500)); // several failed attempts
    await double.restore();
    const other = await fixture.open(double);
    await other.append(stream, events('E', 3, 6), 2n);

    expect(types(await reader.events(3))).toEqual(['E3', 'E4', 'E5']);
    expect(reader.caughtUpCount).toBe(1);
    await subscription.close();
  });

  it('lets a subscriber that stopped with the server resume from its own checkpoint, missing nothing and repeating nothing', async () => {
    const double = await fixture.start();
    const writer = await fixture.open(double);
    const stream = streamName('meeting');
    await writer.append(stream, events('E', 0, 40), 'no-stream');

    const consumer = await fixture.open(double, fastRetry);
    const handled: StoredEvent[] = [];
    let checkpoint: bigint | undefined;
    const first = consumer.subscribe();
    const reader = new Reader(first);
    for (const e of await reader.events(15)) {
      handled.push(e);
      checkpoint = e.position; // stored only after the handler finished
    }
    await double.simulateOutage();
    await consumer.close(); // the subscriber's process ends with the server

    await double.restore();
    await writer.append(stream, events('E', 40, 45), 39n);
    const restarted = await fixture.open(double, fastRetry);
    const second = restarted.subscribe({ after: checkpoint });
    const resumed = new Reader(second);
    handled.push(...(await resumed.untilCaughtUp()));
    expect(types(handled)).toEqual(numbered('E', 0, 45));
    await second.close();
  });

  it('says caught-up once, after the history, when the drop comes before it caught up', async () => {
    const double = await fixture.start({ caughtUp: false });
    const store = await fixture.open(double, fastRetry);
    const stream = streamName('group');
    await store.append(stream, events('E', 0, 200), 'no-stream');
    const subscription = store.subscribe();
    const reader = new Reader(subscription);
    await reader.events(20);
    await double.simulateOutage();
    await double.restore();
    const rest = await reader.untilCaughtUp();
    expect(types(rest)).toEqual(numbered('E', 20, 200));
    await store.append(stream, [event('LIVE')], 199n);
    expect(types(await reader.events(1))).toEqual(['LIVE']);
    expect(reader.caughtUpCount).toBe(1);
    await subscription.close();
  });
});

describe('EventStoreDB adapter: the server is unreachable', () => {
  it('fails a write while the server is down with StoreUnavailable within seconds, and writes again after it is back', async () => {
    const double = await fixture.start();
    const store = await fixture.open(double);
    const stream = streamName('partner');
    await store.append(stream, [event('A')], 'no-stream');

    await double.simulateOutage();
    const started = Date.now();
    const error = await failure(store.append(stream, [event('B')], 0n));
    expect(error).toBeInstanceOf(StoreUnavailable);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await failure(collect(store.readStream(stream)))).toBeInstanceOf(StoreUnavailable);
    expect(await failure(store.headPosition())).toBeInstanceOf(StoreUnavailable);

    await double.restore();
    expect((await store.append(stream, [event('B')], 0n)).revision).toBe(1n);
    expect(types(await collect(store.readStream(stream)))).toEqual(['A', 'B']);
  });

  it('fails a write to a server that accepts connections but never answers within its deadline', async () => {
    const double = await fixture.start();
    const store = await fixture.open(double, { timeoutMs: 1000 });
    const stream = streamName('partner');
    await store.append(stream, [event('A')], 'no-stream');

    double.simulateHang();
    for (const attempt of [
      () => store.append(stream, [event('B')], 0n),
      () => collect(store.readStream(stream)),
      () => collect(store.readAll()),
      () => store.headPosition(),
    ]) {
      const started = Date.now();
      expect(await failure(attempt())).toBeInstanceOf(StoreUnavailable);
      expect(Date.now() - started).toBeLessThan(2500);
    }
    await double.restore();
  });

  it('fails a write when nothing listens at the address, without hanging', async () => {
    const port = await freePort();
    const store = await fixture.open(`esdb://127.0.0.1:${port}?tls=false`, { timeoutMs: 2000 });
    const started = Date.now();
    expect(await failure(store.append(streamName(), [event('A')], 'no-stream'))).toBeInstanceOf(StoreUnavailable);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('keeps a subscription waiting through a hang and delivers once the server answers again', async () => {
    const double = await fixture.start();
    const store = await fixture.open(double, { ...fastRetry, timeoutMs: 500 });
    const stream = streamName('patron');
    double.simulateHang();
    const subscription = store.subscribe();
    const reader = new Reader(subscription);
    await new Promise((resolve) => setTimeout(resolve, 1200)); // the head read timed out at least once
    await double.restore();
    await store.append(stream, [event('A')], 'no-stream');
    const found = await reader.untilCaughtUp();
    const later = found.some((e) => e.stream === stream) ? [] : await reader.events(1, (e) => e.stream === stream);
    expect(types([...found, ...later].filter((e) => e.stream === stream))).toEqual(['A']);
    await subscription.close();
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
