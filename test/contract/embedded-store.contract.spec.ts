import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store';
import type { EventStore } from '../../src/store/port';
import { describeEventStoreContract } from './event-store.contract';

const directories: string[] = [];

describeEventStoreContract('embedded (SQLite)', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-embedded-contract-'));
  directories.push(directory);
  const path = join(directory, 'store', 'ledger.db');
  const opened: EventStore[] = [await openEmbeddedStore({ path })];
  return {
    store: opened[0]!,
    reopen: async () => {
      const store = await openEmbeddedStore({ path });
      opened.push(store);
      return store;
    },
    cleanup: async () => {
      for (const store of opened) await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
});

afterAll(() => {
  expect(directories.filter((d) => existsSync(d))).toEqual([]);
});
