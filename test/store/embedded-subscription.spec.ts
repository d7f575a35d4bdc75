import Database from 'better-sqlite3';
import { StoreCorrupted } from '../../src/store/errors';
import type { SubscriptionMessage } from '../../src/store/port';
import { embeddedFixture, event, failure } from './embedded-fixture';

let fixture: ReturnType<typeof embeddedFixture>;
beforeEach(() => {
  fixture = embeddedFixture();
});
afterEach(async () => {
  await fixture.cleanup();
});

const DONE = { done: true, value: undefined };

function label(message: IteratorResult<SubscriptionMessage>): string {
  if (message.done) return 'done';
  return message.value.kind === 'event' ? message.value.event.type : 'caught-up';
}

async function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** lets the subscription's chain of promises run (setImmediate is left real under fake timers) */
function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('embedded store: subscriptions', () => {
  it('catches up across pages, then says caught-up', async () => {
    const store = await fixture.open({ pageSize: 2 });
    const types = ['E0', 'E1', 'E2', 'E3', 'E4', 'E5', 'E6'];
    await store.append('s-1', types.map((t) => event(t)), 'no-stream');
    const subscription = store.subscribe({ after: 2n });
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) seen.push(label(await subscription[Symbol.asyncIterator]().next()));
    expect(seen).toEqual(['E2', 'E3', 'E4', 'E5', 'E6', 'caught-up']);
    await subscription.close();
  });

  it('is woken at once by an append in this process, without waiting for the poll', async () => {
    const store = await fixture.open({ pollIntervalMs: 60_000 });
    const iterator = store.subscribe()[Symbol.asyncIterator]();
    expect(label(await iterator.next())).toBe('caught-up');
    const pending = iterator.next();
    await store.append('s-1', [event('Live')], 'no-stream');
    expect(label(await settlesWithin(pending, 500))).toBe('Live');
    await iterator.return!();
  });

  it('finds appends made through another connection to the file by polling', async () => {
    const store = await fixture.open({ pollIntervalMs: 50 });
    const other = await fixture.open();
    const iterator = store.subscribe()[Symbol.asyncIterator]();
    expect(label(await iterator.next())).toBe('caught-up');
    const pending = iterator.next();
    await other.append('s-1', [event('FromElsewhere')], 'no-stream');
    expect(label(await settlesWithin(pending, 2000))).toBe('FromElsewhere');
    await iterator.return!();
  });

  it('waits for positions beyond the one it was given', async () => {
    const store = await fixture.open();
    const iterator = store.subscribe({ after: 2n })[Symbol.asyncIterator]();
    expect(label(await iterator.next())).toBe('caught-up');
    const pending = iterator.next();
    await store.append('s-1', [event('E0'), event('E1'), event('E2')], 'no-stream');
    expect(label(await settlesWithin(pending, 500))).toBe('E2');
    await iterator.return!();
  });

  it('serves concurrent next() calls one after the other, in order', async () => {
    const store = await fixture.open({ pageSize: 1 });
    await store.append('s-1', [event('E0'), event('E1')], 'no-stream');
    const subscription = store.subscribe();
    const iterator = subscription[Symbol.asyncIterator]();
    const messages = await Promise.all([iterator.next(), iterator.next(), iterator.next()]);
    expect(messages.map(label)).toEqual(['E0', 'E1', 'caught-up']);
    await subscription.close();
  });

  it('keeps one poll timer while waiting, and none once closed', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    try {
      const store = await fixture.open();
      const subscription = store.subscribe();
      const iterator = subscription[Symbol.asyncIterator]();
      await iterator.next();
      expect(jest.getTimerCount()).toBe(0);
      const pending = iterator.next();
      await flush();
      expect(jest.getTimerCount()).toBe(1);
      jest.advanceTimersByTime(200);
      await flush();
      expect(jest.getTimerCount()).toBe(1);
      await subscription.close();
      expect(await pending).toEqual(DONE);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('ends open subscriptions when the store closes', async () => {
    const store = await fixture.open();
    const iterator = store.subscribe()[Symbol.asyncIterator]();
    await iterator.next();
    const pending = iterator.next();
    await store.close();
    expect(await settlesWithin(pending, 200)).toEqual(DONE);
    expect(await iterator.next()).toEqual(DONE);
  });

  it('fails on a corrupt row and ends', async () => {
    const store = await fixture.open();
    await store.append('s-1', [event('E0'), event('E1')], 'no-stream');
    const raw = new Database(fixture.path);
    raw.prepare("UPDATE events SET metadata = 'null' WHERE revision = 1").run();
    raw.close();
    const iterator = store.subscribe()[Symbol.asyncIterator]();
    expect(label(await iterator.next())).toBe('E0');
    expect(await failure(iterator.next())).toBeInstanceOf(StoreCorrupted);
    expect(await iterator.next()).toEqual(DONE);
  });
});
