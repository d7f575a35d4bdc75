import { randomUUID } from 'node:crypto';
import { ConcurrencyConflict } from '../../src/store/errors';
import type {
  EventStore,
  EventToAppend,
  ExpectedRevision,
  StoredEvent,
  Subscription,
  SubscriptionMessage,
} from '../../src/store/port';

/**
 * What an adapter's spec file gives the contract: a fresh store per test. `reopen` (optional) opens a new store
 * over the same data after the test closed the first one. `cleanup` closes whatever is still open (including
 * stores the test already closed) and removes every file the store made.
 */
export interface StoreUnderTest {
  store: EventStore;
  reopen?: () => Promise<EventStore>;
  cleanup: () => Promise<void>;
}

/**
 * The event store contract every adapter passes. It asks no more than EventStoreDB promises, and it does not
 * assume the log holds only this test's events: streams have unique names, reads of the log start at the head
 * seen before the test wrote, and checks look at this test's streams only. Position values are the store's own:
 * only their type and order are checked.
 */
export function describeEventStoreContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`event store contract: ${name}`, () => {
    let ctx: StoreUnderTest;
    let store: EventStore;

    beforeEach(async () => {
      ctx = await makeStore();
      store = ctx.store;
    });
    afterEach(async () => {
      await ctx.cleanup();
    });

    describe('append', () => {
      it('starts a new stream with no-stream and continues it with the last revision', async () => {
        const stream = streamName();
        const first = await store.append(stream, [event('A'), event('B')], 'no-stream');
        expect(first.revision).toBe(1n);
        expect(typeof first.position).toBe('bigint');

        const second = await store.append(stream, [event('C')], 1n);
        expect(second.revision).toBe(2n);
        expect(second.position).toBeGreaterThan(first.position);
        expect((await collect(store.readStream(stream))).map((e) => e.type)).toEqual(['A', 'B', 'C']);
      });

      it('refuses a wrong revision with the actual one, and writes nothing of the batch', async () => {
        const stream = streamName();
        await store.append(stream, [event('A'), event('B')], 'no-stream');

        await expectConflict(store.append(stream, [event('C'), event('D')], 0n), stream, 0n, 1n);
        await expectConflict(store.append(stream, [event('C')], 5n), stream, 5n, 1n);
        await expectConflict(store.append(stream, [event('C')], 'no-stream'), stream, 'no-stream', 1n);
        expect((await collect(store.readStream(stream))).map((e) => e.type)).toEqual(['A', 'B']);
      });

      it("reports 'no-stream' as the actual revision of a missing stream", async () => {
        const stream = streamName();
        await expectConflict(store.append(stream, [event('A')], 0n), stream, 0n, 'no-stream');
        await expectConflict(store.append(stream, [event('A')], 'exists'), stream, 'exists', 'no-stream');
        expect(await collect(store.readStream(stream))).toEqual([]);
      });

      it("appends with 'exists' to a stream that exists", async () => {
        const stream = streamName();
        await store.append(stream, [event('A')], 'no-stream');
        expect((await store.append(stream, [event('B')], 'exists')).revision).toBe(1n);
      });

      it("appends with 'any' to a missing and to an existing stream", async () => {
        const stream = streamName();
        expect((await store.append(stream, [event('A')], 'any')).revision).toBe(0n);
        expect((await store.append(stream, [event('B'), event('C')], 'any')).revision).toBe(2n);
      });

      it('appends nothing for a retried batch (same ids, same expectation) and returns the same result', async () => {
        const stream = streamName();
        const batch = [event('A'), event('B')];
        const first = await store.append(stream, batch, 'no-stream');
        expect(await store.append(stream, batch, 'no-stream')).toEqual(first);

        const next = [event('C')];
        const third = await store.append(stream, next, 1n);
        expect(await store.append(stream, next, 1n)).toEqual(third);

        const read = await collect(store.readStream(stream));
        expect(read.map((e) => e.eventId)).toEqual([...batch, ...next].map((e) => e.eventId));
      });

      it('lets exactly one of concurrent appends with the same expected revision win', async () => {
        const stream = streamName();
        await store.append(stream, [event('A')], 'no-stream');
        const attempts = await Promise.allSettled(
          Array.from({ length: 5 }, (_, i) => store.append(stream, [event(`B${i}`), event(`C${i}`)], 0n)),
        );
        const won = attempts.filter((a) => a.status === 'fulfilled');
        const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
        expect(won).toHaveLength(1);
        for (const a of lost) expect(a.reason).toBeInstanceOf(ConcurrencyConflict);
        expect(await collect(store.readStream(stream))).toHaveLength(3);
      });

      it('lets exactly one of concurrent no-stream appends create the stream', async () => {
        const stream = streamName();
        const attempts = await Promise.allSettled(
          Array.from({ length: 4 }, (_, i) => store.append(stream, [event(`A${i}`)], 'no-stream')),
        );
        expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
        expect(await collect(store.readStream(stream))).toHaveLength(1);
      });
    });

    describe('reading', () => {
      it('reads back exactly what was written', async () => {
        const stream = streamName();
        const written: EventToAppend[] = [
          {
            eventId: randomUUID(),
            type: 'PartnerAdmitted',
            data: {
              name: 'Bäckerei Müller & Söhne – Dresden',
              quote: '„Fachkräfte“ für Sachsen ✓ 😀 漢字 \u2028 "quoted" \\ back',
              nested: { list: [1, -2.5, 0, 1e21, true, false, null, 'x'], empty: {}, none: [], deep: { a: { b: { c: 'd' } } } },
              emptyText: '',
            },
            metadata: { recordedAt: '2024-03-01T10:00:00.000Z', actor: { id: 'u-1', role: 'office' }, schemaVersion: 1 },
          },
          { eventId: randomUUID(), type: 'PartnerRenamed', data: { name: 'Müller GmbH' }, metadata: {} },
        ];
        const result = await store.append(stream, written, 'no-stream');

        const read = await collect(store.readStream(stream));
        expect(read.map(({ position: _position, ...rest }) => rest)).toEqual(
          written.map((e, i) => ({ stream, revision: BigInt(i), eventId: e.eventId, type: e.type, data: e.data, metadata: e.metadata })),
        );
        for (const e of read) expect(typeof e.position).toBe('bigint');
        expect(read[0]!.position).toBeLessThan(read[1]!.position);
        expect(read[1]!.position).toBe(result.position);
      });

      it('reads a stream forwards, backwards, from a revision and up to a count', async () => {
        const stream = streamName();
        await store.append(stream, ['E0', 'E1', 'E2', 'E3', 'E4'].map((t) => event(t)), 'no-stream');
        const types = async (options: Parameters<EventStore['readStream']>[1]) =>
          (await collect(store.readStream(stream, options))).map((e) => e.type);

        expect(await types(undefined)).toEqual(['E0', 'E1', 'E2', 'E3', 'E4']);
        expect(await types({ direction: 'forwards', fromRevision: 2n })).toEqual(['E2', 'E3', 'E4']);
        expect(await types({ fromRevision: 1n, maxCount: 2 })).toEqual(['E1', 'E2']);
        expect(await types({ direction: 'backwards' })).toEqual(['E4', 'E3', 'E2', 'E1', 'E0']);
        expect(await types({ direction: 'backwards', fromRevision: 2n })).toEqual(['E2', 'E1', 'E0']);
        expect(await types({ direction: 'backwards', maxCount: 2 })).toEqual(['E4', 'E3']);
        expect(await types({ fromRevision: 5n })).toEqual([]);
        const revisions = (await collect(store.readStream(stream, { direction: 'backwards', fromRevision: 3n, maxCount: 2 }))).map((e) => e.revision);
        expect(revisions).toEqual([3n, 2n]);
      });

      it('reads a missing stream as empty', async () => {
        const stream = streamName();
        expect(await collect(store.readStream(stream))).toEqual([]);
        expect(await collect(store.readStream(stream, { direction: 'backwards' }))).toEqual([]);
      });

      it('reads the log across streams in append order, after a position, and backwards', async () => {
        const before = await store.headPosition();
        const [a, b] = [streamName(), streamName()];
        await store.append(a, [event('A0')], 'no-stream');
        await store.append(b, [event('B0'), event('B1')], 'no-stream');
        await store.append(a, [event('A1')], 0n);
        const mine = (events: StoredEvent[]) => events.filter((e) => e.stream === a || e.stream === b);

        const log = mine(await collect(store.readAll(before === null ? {} : { after: before })));
        expect(log.map((e) => e.type)).toEqual(['A0', 'B0', 'B1', 'A1']);
        expect(log.map((e) => e.revision)).toEqual([0n, 0n, 1n, 1n]);
        for (let i = 1; i < log.length; i++) expect(log[i]!.position).toBeGreaterThan(log[i - 1]!.position);
        expect(mine(await collect(store.readAll())).map((e) => e.type)).toEqual(['A0', 'B0', 'B1', 'A1']);

        expect(mine(await collect(store.readAll({ after: log[1]!.position }))).map((e) => e.type)).toEqual(['B1', 'A1']);
        expect(mine(await collect(store.readAll({ after: log[1]!.position, maxCount: 1 }))).map((e) => e.type)).toEqual(['B1']);
        expect(await collect(store.readAll({ after: log[3]!.position }))).toEqual([]);

        const backwards = mine(await collect(store.readAll({ direction: 'backwards' })));
        expect(backwards.map((e) => e.type)).toEqual(['A1', 'B1', 'B0', 'A0']);
      });

      it('reports the head position of the log', async () => {
        const stream = streamName();
        await store.append(stream, [event('A')], 'no-stream');
        const result = await store.append(stream, [event('B'), event('C')], 0n);
        const head = await store.headPosition();
        expect(typeof head).toBe('bigint');
        expect(head!).toBeGreaterThanOrEqual(result.position);
      });
    });

    describe('subscribe', () => {
      it('catches up from the start, says so once, then delivers live appends in order until closed', async () => {
        const [a, b] = [streamName(), streamName()];
        await store.append(a, [event('A0')], 'no-stream');
        await store.append(b, [event('B0')], 'no-stream');
        await store.append(a, [event('A1')], 0n);
        const mine = (e: StoredEvent) => e.stream === a || e.stream === b;

        const subscription = store.subscribe();
        try {
          const reader = new Reader(subscription);
          const caughtUp = await reader.untilCaughtUp();
          expect(caughtUp.filter(mine).map((e) => e.type)).toEqual(['A0', 'B0', 'A1']);

          await store.append(b, [event('B1'), event('B2')], 0n);
          await store.append(a, [event('A2')], 1n);
          const live = await reader.events(3, mine);
          expect(live.map((e) => e.type)).toEqual(['B1', 'B2', 'A2']);
          expect(live.map((e) => e.revision)).toEqual([1n, 2n, 2n]);
          expect(live[0]!.position).toBeGreaterThan(caughtUp[caughtUp.length - 1]!.position);

          await subscription.close();
          expect(await reader.next()).toEqual({ done: true, value: undefined });
        } finally {
          await subscription.close();
        }
      });

      it('catches up from a position, excluding it', async () => {
        const stream = streamName();
        await store.append(stream, [event('E0'), event('E1'), event('E2')], 'no-stream');
        const [, second] = await collect(store.readStream(stream));

        const subscription = store.subscribe({ after: second!.position });
        try {
          const caughtUp = await new Reader(subscription).untilCaughtUp();
          expect(caughtUp.filter((e) => e.stream === stream).map((e) => e.type)).toEqual(['E2']);
        } finally {
          await subscription.close();
        }
      });

      it('delivers events appended while it catches up exactly once, in order', async () => {
        const before = await store.headPosition();
        const stream = streamName();
        await store.append(stream, [event('E0'), event('E1')], 'no-stream');
        const subscription = store.subscribe(before === null ? {} : { after: before });
        try {
          const reader = new Reader(subscription);
          const first = await reader.events(1, (e) => e.stream === stream);
          await store.append(stream, [event('E2'), event('E3')], 1n);
          const seen = [...first, ...(await reader.events(3, (e) => e.stream === stream))];
          expect(seen.map((e) => e.type)).toEqual(['E0', 'E1', 'E2', 'E3']);
          expect(reader.caughtUpCount).toBeLessThanOrEqual(1);
        } finally {
          await subscription.close();
        }
      });

      it('ends a pending next() promptly when closed', async () => {
        const subscription = store.subscribe({ after: (await store.headPosition()) ?? undefined });
        const reader = new Reader(subscription);
        await reader.untilCaughtUp();
        const pending = reader.next();
        await subscription.close();
        expect(await within(pending, 1000, 'the pending next() after close()')).toEqual({ done: true, value: undefined });
      });

      it('ends when the consumer stops iterating (return(), as a for-await break calls it)', async () => {
        const before = await store.headPosition();
        const stream = streamName();
        await store.append(stream, [event('E0')], 'no-stream');
        const subscription = store.subscribe(before === null ? {} : { after: before });
        const iterator = subscription[Symbol.asyncIterator]();
        for (;;) {
          const result = await within(iterator.next(), 5000, 'the next subscription message');
          if (result.done || result.value.kind === 'caught-up') break;
        }
        await within(iterator.return!(), 1000, 'return()');
        expect(await within(iterator.next(), 1000, 'next() after return()')).toEqual({ done: true, value: undefined });
        await subscription.close();
      });
    });

    describe('reopening', () => {
      it('shows everything written before the store was closed (when the adapter can reopen)', async () => {
        if (!ctx.reopen) return;
        const [a, b] = [streamName(), streamName()];
        await store.append(a, [event('A0'), event('A1')], 'no-stream');
        await store.append(b, [event('B0')], 'no-stream');
        const before = { a: await collect(store.readStream(a)), b: await collect(store.readStream(b)), head: await store.headPosition() };
        await store.close();

        const again = await ctx.reopen();
        try {
          expect(await collect(again.readStream(a))).toEqual(before.a);
          expect(await collect(again.readStream(b))).toEqual(before.b);
          expect(await again.headPosition()).toBe(before.head);
          await expectConflict(again.append(a, [event('A2')], 0n), a, 0n, 1n);
          const next = await again.append(a, [event('A2')], 1n);
          expect(next.revision).toBe(2n);
          expect(next.position).toBeGreaterThan(before.head!);
        } finally {
          await again.close();
        }
      });
    });
  });
}

function streamName(): string {
  return `contract-${randomUUID().replace(/-/g, '')}`;
}

function event(type: string, data: unknown = { type }): EventToAppend {
  return { eventId: randomUUID(), type, data, metadata: { test: true } };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function expectConflict(
  attempt: Promise<unknown>,
  stream: string,
  expected: ExpectedRevision,
  actual: bigint | 'no-stream',
): Promise<void> {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConcurrencyConflict);
  const conflict = error as ConcurrencyConflict;
  expect({ stream: conflict.stream, expected: conflict.expected, actual: conflict.actual }).toEqual({ stream, expected, actual });
}

/** Rejects when `promise` does not settle in time, so a broken subscription fails the test instead of hanging it. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Pulls messages one at a time, each within a deadline. */
class Reader {
  caughtUpCount = 0;
  private readonly iterator: AsyncIterator<SubscriptionMessage>;

  constructor(subscription: Subscription) {
    this.iterator = subscription[Symbol.asyncIterator]();
  }

  next(): Promise<IteratorResult<SubscriptionMessage>> {
    return this.iterator.next();
  }

  async untilCaughtUp(): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    for (;;) {
      const message = await this.message();
      if (message.kind === 'caught-up') return events;
      events.push(message.event);
    }
  }

  /** the next `count` events that `wanted` keeps, skipping other events and caught-up */
  async events(count: number, wanted: (e: StoredEvent) => boolean): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    while (events.length < count) {
      const message = await this.message();
      if (message.kind === 'event' && wanted(message.event)) events.push(message.event);
    }
    return events;
  }

  private async message(): Promise<SubscriptionMessage> {
    const result = await within(this.iterator.next(), 5000, 'the next subscription message');
    if (result.done) throw new Error('the subscription ended unexpectedly');
    if (result.value.kind === 'caught-up') this.caughtUpCount += 1;
    return result.value;
  }
}
