import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedStore, type EmbeddedEventStore, type EmbeddedStoreOptions } from '../../src/store/embedded/embedded-store';
import type { EventToAppend } from '../../src/store/port';

/** A temp directory per test and the stores opened in it; `cleanup` closes them and removes the directory. */
export function embeddedFixture() {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-embedded-'));
  const path = join(directory, 'ledger.db');
  const stores: EmbeddedEventStore[] = [];
  return {
    directory,
    path,
    async open(options: Partial<EmbeddedStoreOptions> = {}): Promise<EmbeddedEventStore> {
      const store = await openEmbeddedStore({ path, ...options });
      stores.push(store);
      return store;
    },
    async cleanup(): Promise<void> {
      for (const store of stores) await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export function event(type: string, data: unknown = { type }, eventId: string = randomUUID()): EventToAppend {
  return { eventId, type, data, metadata: {} };
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

export async function failure(attempt: Promise<unknown> | (() => Promise<unknown>)): Promise<unknown> {
  try {
    await (typeof attempt === 'function' ? attempt() : attempt);
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure, but it succeeded');
}
