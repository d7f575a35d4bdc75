import fs from 'node:fs';
import Database from 'better-sqlite3';
import { StoreUnavailable } from '../../src/store/errors';
import { embeddedFixture, event, failure } from './embedded-fixture';

/**
 * The embedded store's fsync runs off the event loop (WalSync): the connection commits with synchronous=NORMAL and
 * the WAL is fdatasynced on the thread pool when several appends are committed together. These tests hold that
 * fdatasync back to see that no append is answered before the sync that covers it has finished, that appends
 * committed meanwhile share the next sync, and that a failed sync fails its appends and every later one. A lone
 * append with no sync running is synced at once, on the event loop (no thread hop).
 */

let fixture: ReturnType<typeof embeddedFixture>;
const realFdatasync = fs.fdatasync;
let held: Array<{ release(error?: NodeJS.ErrnoException): void }>;

beforeEach(() => {
  fixture = embeddedFixture();
  held = [];
  jest.spyOn(fs, 'fdatasync').mockImplementation(((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
    held.push({ release: (error) => (error ? callback(error) : realFdatasync(fd, callback)) });
  }) as typeof fs.fdatasync);
});
afterEach(async () => {
  for (const h of held.splice(0)) h.release();
  jest.restoreAllMocks();
  await fixture.cleanup();
});

/** Lets the event loop turn until `done()` holds (at most 100 turns). */
async function turnsUntil(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!done()) throw new Error('the condition never held');
}

async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

function settled<T>(promise: Promise<T>): { readonly done: boolean } {
  const state = { done: false };
  promise.then(
    () => (state.done = true),
    () => (state.done = true),
  );
  return state;
}

describe('embedded store: the fsync off the event loop', () => {
  it('answers an append only once the WAL is synced, and appends committed meanwhile share the next sync', async () => {
    const store = await fixture.open();
    const first = Promise.all([store.append('s-1', [event('A')], 'no-stream'), store.append('s-0', [event('Z')], 'no-stream')]);
    const firstSettled = settled(first);
    await turnsUntil(() => held.length === 1);

    // committed (another connection sees it) but not answered while its sync runs
    const committed = () => {
      const other = new Database(fixture.path, { readonly: true });
      try {
        return other.prepare('SELECT count(*) FROM events').pluck().get();
      } finally {
        other.close();
      }
    };
    expect(committed()).toBe(2);
    const later = [store.append('s-2', [event('B')], 'no-stream'), store.append('s-3', [event('C')], 'no-stream')];
    const laterSettled = later.map(settled);
    await turns(5);
    // committed while the first sync runs (alone or not, they wait for a sync on the thread pool), and no second
    // sync started beside it
    expect(committed()).toBe(4);
    expect(held).toHaveLength(1);
    expect(firstSettled.done).toBe(false);

    held[0]!.release();
    expect(await first).toEqual([
      { revision: 0n, position: 1n },
      { revision: 0n, position: 2n },
    ]);
    await turnsUntil(() => held.length === 2);
    expect(laterSettled.map((s) => s.done)).toEqual([false, false]);
    held[1]!.release();
    expect(await Promise.all(later)).toEqual([
      { revision: 0n, position: 3n },
      { revision: 0n, position: 4n },
    ]);
  });

  it('syncs a lone append at once, on the event loop', async () => {
    const store = await fixture.open();
    expect(await store.append('s-1', [event('A')], 'no-stream')).toEqual({ revision: 0n, position: 1n });
    expect(held).toHaveLength(0);
  });

  it('fails the appends a failed sync covered, and every later append', async () => {
    const store = await fixture.open();
    const appending = store.append('s-1', [event('A')], 'no-stream');
    const beside = store.append('s-0', [event('Z')], 'no-stream');
    await turnsUntil(() => held.length === 1);
    held.shift()!.release(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    expect(await failure(beside)).toBeInstanceOf(StoreUnavailable);
    const error = await failure(appending);
    expect(error).toBeInstanceOf(StoreUnavailable);
    expect((error as Error).message).toContain('cannot sync');
    // after a failed fsync the kernel may have dropped the pages: no later sync can be trusted
    expect(await failure(store.append('s-2', [event('B')], 'no-stream'))).toBeInstanceOf(StoreUnavailable);
  });

  it('waits for the sync when it is closed with appends in flight', async () => {
    const store = await fixture.open();
    const appending = store.append('s-1', [event('A')], 'no-stream');
    void store.append('s-0', [event('Z')], 'no-stream');
    await turnsUntil(() => held.length === 1);
    const closing = store.close();
    const closeSettled = settled(closing);
    await turns(5);
    expect(closeSettled.done).toBe(false);
    held.shift()!.release();
    await closing;
    expect(await appending).toEqual({ revision: 0n, position: 1n });
  });
});
