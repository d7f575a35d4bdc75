import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedStore, type EmbeddedEventStore } from '../../src/store/embedded/embedded-store';

/** A fresh embedded store in its own temp directory; `cleanup` closes it and removes the directory. */
export async function tempStore(prefix = 'ledger-test-'): Promise<{ store: EmbeddedEventStore; dir: string; path: string; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = join(dir, 'ledger.db');
  const store = await openEmbeddedStore({ path });
  return {
    store,
    dir,
    path,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
