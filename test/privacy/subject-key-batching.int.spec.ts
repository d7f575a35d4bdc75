import Database from 'better-sqlite3';
import fs, { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHandlers } from '../../src/handlers';
import { SubjectKeyStore } from '../../src/privacy/subject-key-store';
import type { EventToAppend } from '../../src/store/port';
import { protectedLedger, type ProtectedLedger } from './support/protected-ledger';

/**
 * Group commit of new subject keys: the keys asked for in one turn of the event loop go to disk in one transaction
 * (one fsync shared by concurrent commands), each before any ciphertext under it is appended, and a batch that fails
 * fails every command waiting on it without appending anything.
 */

const office = { actor: { id: 'office-1', role: 'office' as const } };

function application(n: number) {
  return { organisation: { name: `Betrieb ${n}`, category: 'employer' as const }, contact: { name: `Person ${n}`, email: `person${n}@example.org` }, channel: 'email' as const, receivedOn: '2025-10-01' };
}

/**
 * The transactions committed to a WAL-mode SQLite file since its WAL was last reset: the frames whose header carries
 * the database size (only a transaction's last frame does), counted straight from the WAL file.
 */
function walCommits(dbPath: string): number {
  const wal = readFileSync(`${dbPath}-wal`);
  if (wal.length < 32) return 0;
  const pageSize = wal.readUInt32BE(8);
  const [salt1, salt2] = [wal.readUInt32BE(16), wal.readUInt32BE(20)];
  let commits = 0;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    if (wal.readUInt32BE(at + 8) !== salt1 || wal.readUInt32BE(at + 12) !== salt2) break; // a frame of an older generation
    if (wal.readUInt32BE(at + 4) !== 0) commits += 1;
  }
  return commits;
}

describe('new subject keys are group-committed', () => {
  const fixture = protectedLedger('ledger-key-batch-');
  let t: ProtectedLedger['t'];
  let keyPath: string;
  let keys: ProtectedLedger['keys'];
  let ledger: ProtectedLedger['ledger'];
  beforeEach(() => ({ t, keyPath, keys, ledger } = fixture));
  const events = () => fixture.events();

  function storedKeys(): number {
    const db = new Database(keyPath, { readonly: true });
    try {
      return db.prepare('SELECT count(*) FROM subject_keys').pluck().get() as number;
    } finally {
      db.close();
    }
  }

  it('stores the keys of several concurrent new subjects in one transaction', async () => {
    const h = createHandlers(ledger);
    await h.partners.apply(application(0), office);
    const before = walCommits(keyPath);

    await Promise.all([1, 2, 3, 4, 5].map((n) => h.partners.apply(application(n), office)));

    expect(storedKeys()).toBe(6);
    expect(walCommits(keyPath) - before).toBe(1);
    // one at a time, each new subject is a transaction of its own (so the count above can tell the difference)
    await h.partners.apply(application(6), office);
    await h.partners.apply(application(7), office);
    expect(walCommits(keyPath) - before).toBe(3);
  });

  it('hands concurrent callers for one subject the same key, from one insert', async () => {
    const subjectId = '00000000-0000-4000-8000-00000000a001';
    const [a, b] = await Promise.all([keys.keyFor(subjectId), keys.keyFor(subjectId)]);
    expect(a.equals(b)).toBe(true);
    expect(keys.get(subjectId)!.equals(a)).toBe(true);
    expect(storedKeys()).toBe(1);
  });

  it('has every new key on disk before the event holding ciphertext under it is appended', async () => {
    const seenAtAppend: Array<{ subjectId: string; keyStored: boolean }> = [];
    const append = t.store.append.bind(t.store);
    jest.spyOn(t.store, 'append').mockImplementation((stream: string, batch: readonly EventToAppend[], expected) => {
      // another connection sees only what is committed (and synchronous=FULL commits only once it is on disk)
      const other = new Database(keyPath, { readonly: true });
      try {
        for (const event of batch) {
          const subjectId = (event.data as { contact?: { subjectId?: string } }).contact?.subjectId;
          if (subjectId) seenAtAppend.push({ subjectId, keyStored: other.prepare('SELECT 1 FROM subject_keys WHERE subject_id = ?').get(subjectId) !== undefined });
        }
      } finally {
        other.close();
      }
      return append(stream, batch, expected);
    });
    const h = createHandlers(ledger);
    await Promise.all([1, 2, 3].map((n) => h.partners.apply(application(n), office)));
    expect(seenAtAppend).toHaveLength(3);
    expect(seenAtAppend.filter((s) => !s.keyStored)).toEqual([]);
  });

  it('fails every command of a failed batch and appends none of them', async () => {
    const h = createHandlers(ledger);
    const saboteur = new Database(keyPath);
    saboteur.exec(`CREATE TRIGGER refuse_keys BEFORE INSERT ON subject_keys BEGIN SELECT RAISE(ABORT, 'disk refused the key'); END;`);
    try {
      const outcomes = await Promise.allSettled([1, 2, 3].map((n) => h.partners.apply(application(n), office)));
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
      for (const o of outcomes) expect((o as PromiseRejectedResult).reason).toMatchObject({ message: expect.stringContaining('disk refused the key') });
      expect(await events()).toEqual([]);
      expect(storedKeys()).toBe(0);
    } finally {
      saboteur.exec('DROP TRIGGER refuse_keys');
      saboteur.close();
    }
    // the store is not left broken: the next batch goes through
    await h.partners.apply(application(4), office);
    expect((await events()).map((e) => e.type)).toEqual(['PartnerApplied']);
  });

  it('refuses a key whose subject is erased between the request and the commit', async () => {
    const subjectId = '00000000-0000-4000-8000-00000000a002';
    const asked = keys.keyFor(subjectId);
    keys.erase(subjectId);
    await expect(asked).rejects.toThrow(`subject ${subjectId} was erased`);
    expect(keys.get(subjectId)).toBeUndefined();
    await expect(keys.keyFor(subjectId)).rejects.toThrow('was erased');
    expect(storedKeys()).toBe(0);
  });

  it('writes keys already asked for when closed, and refuses new ones after', async () => {
    const subjectId = '00000000-0000-4000-8000-00000000a003';
    const asked = keys.keyFor(subjectId);
    keys.close();
    const key = await asked;
    keys = SubjectKeyStore.open(keyPath);
    expect(keys.get(subjectId)!.equals(key)).toBe(true);
    const closed = SubjectKeyStore.open(':memory:');
    closed.close();
    await expect(closed.keyFor(subjectId)).rejects.toThrow('is closed');
  });
});

describe('a new subject key and the sync of the key store', () => {
  const realFdatasync = fs.fdatasync;
  let held: Array<() => void>;
  let dir: string;
  let keys: SubjectKeyStore;

  beforeEach(() => {
    held = [];
    jest.spyOn(fs, 'fdatasync').mockImplementation(((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
      held.push(() => realFdatasync(fd, callback));
    }) as typeof fs.fdatasync);
    dir = mkdtempSync(join(tmpdir(), 'ledger-key-sync-'));
    keys = SubjectKeyStore.open(join(dir, 'subject-keys.db'));
  });
  afterEach(() => {
    for (const release of held.splice(0)) release();
    jest.restoreAllMocks();
    keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function turnsUntil(done: () => boolean): Promise<void> {
    for (let i = 0; i < 100 && !done(); i++) await new Promise((resolve) => setImmediate(resolve));
    if (!done()) throw new Error('the condition never held');
  }

  // two keys at once: a lone key with no sync running is synced at once, on the event loop
  it('hands new keys out only once the sync that covers them has finished', async () => {
    const subjectId = '00000000-0000-4000-8000-00000000b001';
    let handedOut = false;
    const asked = keys.keyFor(subjectId).then((key) => ((handedOut = true), key));
    void keys.keyFor('00000000-0000-4000-8000-00000000b00a');
    await turnsUntil(() => held.length === 1);
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(handedOut).toBe(false);
    held.shift()!();
    expect((await asked).equals(keys.get(subjectId)!)).toBe(true);
  });

  it('refuses a key whose subject is erased while the key waits for its sync', async () => {
    const subjectId = '00000000-0000-4000-8000-00000000b002';
    const asked = keys.keyFor(subjectId);
    void keys.keyFor('00000000-0000-4000-8000-00000000b00b');
    await turnsUntil(() => held.length === 1);
    expect(keys.erase(subjectId)).toBe(true); // the key was written: the erasure deletes it
    held.shift()!();
    await expect(asked).rejects.toThrow(`subject ${subjectId} was erased`);
    expect(keys.get(subjectId)).toBeUndefined();
  });
});
