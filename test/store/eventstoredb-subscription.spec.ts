import { randomUUID } from 'node:crypto';
import { EventStoreDBClient } from '@eventstore/db-client';
import { StoreCorrupted } from '../../src/store/errors';
import { EventStoreDbSubscription } from '../../src/store/eventstoredb/subscription';
import type { StoredEvent, SubscriptionMessage } from '../../src/store/port';
import { collect, delay, esdbFixture, event, events, eventually, failure, Reader, streamName, within } from '../support/esdb-double/testing';

let fixture: ReturnType<typeof esdbFixture>;
beforeEach(() => {
  fixture = esdbFixture();
});
afterEach(async () => {
  await fixture.cleanup();
});

const json = (value: unknown) => Uint8Array.from(Buffer.from(JSON.stringify(value), 'utf8'));
const types = (found: StoredEvent[]) => found.map((e) => e.type);
const numbered = (prefix: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`);
const link = (target: string) => ({ id: randomUUID(), type: '$>', data: json(target), metadata: new Uint8Array() });

describe('EventStoreDB adapter: subscriptions', () => {
  it('holds only a bounded buffer: the server waits while the consumer does not pull', async () => {
    const double = await fixture.start();
    const store = await fixture.open(double, { subscription: { bufferSize: 8 } });
    const stream = streamName();
    for (let from = 0; from < 3000; from += 500) await store.append(stream, events('E', from, from + 500), 'any');

    const subscription = store.subscribe();
    const reader = new Reader(subscription);
    await reader.events(1);
    const [sending] = double.activeReads;
    // the server sends until the transport's windows are full, then waits for the client to read
    let sent = -1;
    while (sending!.sent !== sent) {
      sent = sending!.sent;
      await delay(200);
    }
    expect(sending!.waiting).toBe(true);
    expect(sent).toBeLessThan(3000);

    expect(types([...reader.seen.flatMap((m) => (m.kind === 'event' ? [m.event] : [])), ...(await reader.untilCaughtUp())])).toEqual(
      numbered('E', 0, 3000),
    );
    await subscription.close();
  });

  it('says caught-up on a server that does not send it, after the history and before live events', async () => {
    const double = await fixture.start({ caughtUp: false, serverVersion: '22.10.0' });
    const store = await fixture.open(double);
    const stream = streamName();
    await store.append(stream, events('E', 0, 3), 'no-stream');
    // the log ends with events the subscription never sees
    double.appendRaw('$ce-test', link(`2@${stream}`));
    double.appendRaw('$et-E2', link(`2@${stream}`));

    const subscription = store.subscribe();
    const reader = new Reader(subscription);
    expect(types(await reader.untilCaughtUp())).toEqual(['E0', 'E1', 'E2']);
    await store.append(stream, [event('LIVE')], 2n);
    expect(types(await reader.events(1))).toEqual(['LIVE']);
    expect(reader.caughtUpCount).toBe(1);
    await subscription.close();
  });

  it('says caught-up at once when nothing of the log is left to deliver', async () => {
    const double = await fixture.start({ caughtUp: false });
    const store = await fixture.open(double);
    const empty = store.subscribe();
    expect(await new Reader(empty).message()).toEqual({ kind: 'caught-up' });
    await empty.close();

    const stream = streamName();
    const written = await store.append(stream, events('E', 0, 2), 'no-stream');
    const fromHead = store.subscribe({ after: written.position });
    const reader = new Reader(fromHead);
    expect(await reader.message()).toEqual({ kind: 'caught-up' });
    await store.append(stream, [event('E2')], 1n);
    expect(types(await reader.events(1))).toEqual(['E2']);
    await fromHead.close();
  });

  it("uses the server's caught-up when the head is out of reach, after the events still in the client's buffers", async () => {
    const double = await fixture.start({ caughtUp: true });
    const store = await fixture.open(double);
    const stream = streamName();
    // few enough that the client holds the rest of them when it reads the server's caught-up
    await store.append(stream, events('E', 0, 10), 'no-stream');
    // as when the head event was scavenged after it was read: only the server can say the subscription caught up
    const client = EventStoreDBClient.connectionString(double.connectionString);
    const settings = { bufferSize: 4, retryInitialMs: 10, retryMaxMs: 50, timeoutMs: 2000 };
    const source = { client, inLedgerLog: (name: string) => name === stream, lastUnfilteredPosition: async () => 10n ** 18n };
    const subscription = new EventStoreDbSubscription(source, settings, undefined, () => undefined);
    try {
      const reader = new Reader(subscription);
      await reader.events(1);
      await delay(100);
      expect(types(await reader.untilCaughtUp())).toEqual(numbered('E', 1, 10));
      await store.append(stream, [event('LIVE')], 9n);
      expect(types(await reader.events(1))).toEqual(['LIVE']);
      expect(reader.caughtUpCount).toBe(1);
    } finally {
      await subscription.close();
      await client.dispose();
    }
  });

  it('delivers everything, once and in order, to a consumer so slow that the server drops it', async () => {
    const double = await fixture.start({ slowConsumerLimit: 20 });
    const store = await fixture.open(double, { subscription: { bufferSize: 4, retryInitialMs: 10, retryMaxMs: 50 } });
    const stream = streamName();
    const subscription = store.subscribe();
    const reader = new Reader(subscription);
    expect(await reader.message()).toEqual({ kind: 'caught-up' });
    for (let from = 0; from < 1000; from += 50) await store.append(stream, events('E', from, from + 50), 'any');
    const found: StoredEvent[] = [];
    while (found.length < 1000) {
      found.push(...(await reader.events(50)));
      await delay(5);
    }
    expect(types(found)).toEqual(numbered('E', 0, 1000));
    expect(double.counts.slowConsumersDropped).toBeGreaterThan(0);
    expect(double.counts.subscriptions).toBeGreaterThan(1);
    await subscription.close();
  });

  it('hands out one message per next(), in order, also when next() is called before the last one settled', async () => {
    const double = await fixture.start();
    const store = await fixture.open(double);
    const stream = streamName();
    const subscription = store.subscribe({ after: (await store.headPosition()) ?? undefined });
    const iterator = subscription[Symbol.asyncIterator]();
    const pending = [iterator.next(), iterator.next(), iterator.next(), iterator.next()];
    await store.append(stream, events('E', 0, 3), 'no-stream');
    const messages = (await within(Promise.all(pending), 5000, 'four messages')).map((r) => r.value as SubscriptionMessage);
    expect(messages.map((m) => (m.kind === 'event' ? m.event.type : m.kind))).toEqual(['caught-up', 'E0', 'E1', 'E2']);
    await subscription.close();
  });

  it('ends with StoreCorrupted after the events before a malformed one', async () => {
    const double = await fixture.start();
    const store = await fixture.open(double);
    const stream = streamName();
    await store.append(stream, [event('A')], 'no-stream');
    double.appendRaw(stream, { id: randomUUID(), type: 'B', contentType: 'application/octet-stream', data: Uint8Array.of(0), metadata: new Uint8Array() });
    const subscription = store.subscribe();
    const iterator = subscription[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value).toMatchObject({ kind: 'event', event: { type: 'A' } });
    expect(await failure(iterator.next())).toBeInstanceOf(StoreCorrupted);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    await eventually(() => double.activeReads.length === 0, 2000, 'the server call ending');
  });

  it('ends its server call when closed, also by the store', async () => {
    const double = await fixture.start();
    const store = await fixture.open(double);
    const subscription = store.subscribe();
    await new Reader(subscription).untilCaughtUp();
    expect(double.activeReads.map((r) => r.kind)).toEqual(['subscription']);
    await store.close();
    await eventually(() => double.activeReads.length === 0, 2000, 'the server call ending');
    expect(await collect(subscription)).toEqual([]);
  });
});
