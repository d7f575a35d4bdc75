import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreUnavailable } from '../store/errors';
import { translateError } from '../store/embedded/rows';
import { WalSync } from '../store/embedded/wal-sync';
import { newSubjectKey } from './cipher';

/** A subject's key waiting for the next group commit, with everyone who asked for it in this turn. */
interface PendingKey {
  key: Buffer;
  createdAt: string;
  result: Promise<Buffer>;
  /** set when the subject is erased while its stored key waits for the sync */
  erasedMeanwhile?: true;
  resolve(key: Buffer): void;
  reject(error: unknown): void;
}

/**
 * The data subjects' keys, kept outside the event log (a separate SQLite file beside the ledger by default).
 * Deleting a key erases the subject's data for good: the events keep only ciphertext. So that a deleted key is gone
 * from the disk and not only from the table, the file runs with `secure_delete` (freed cells are overwritten with
 * zeros) and every erasure ends with a WAL checkpoint that truncates the log file holding older page images.
 *
 * Group commit: new keys asked for in the same turn of the event loop are inserted in one transaction, so that
 * concurrent commands share one fsync here (the fsync is the cost of a new key), and the fsync runs off the event
 * loop (WalSync) instead of each command paying its own on it before reaching the event store. No key is handed out
 * before its transaction is on disk, so no ciphertext under it can be appended first; a failed transaction fails
 * every caller of its batch. An erasure is on disk when `erase` returns.
 *
 * Losing this file loses every subject's data: back it up with the ledger (README, "Personal data and erasure").
 */
export class SubjectKeyStore {
  private readonly db: Database.Database;
  private readonly cache = new Map<string, Buffer>();
  private pending = new Map<string, PendingKey>();
  private flushScheduled = false;
  /** undefined in memory: nothing to sync */
  private readonly walSync: WalSync | undefined;
  /** batches written and waiting for their sync */
  private readonly syncing = new Set<Map<string, PendingKey>>();
  private readonly statements: {
    get: Database.Statement<[string], { key: Buffer }>;
    insert: Database.Statement<[string, Buffer, string]>;
    remove: Database.Statement<[string]>;
    markErased: Database.Statement<[string, string]>;
    erased: Database.Statement<[string], { erased_at: string }>;
  };
  /**
   * Inserts a batch of keys; answers, per subject, the key stored (another process's, or one stored before this
   * process asked, if there was one) or 'erased'.
   */
  private readonly insertBatch: (batch: Map<string, PendingKey>) => Map<string, Buffer | 'erased'>;

  private constructor(readonly path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    try {
      this.db = new Database(path);
      this.db.pragma('secure_delete = ON');
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS subject_keys (subject_id TEXT PRIMARY KEY, key BLOB NOT NULL, created_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS erased_subjects (subject_id TEXT PRIMARY KEY, erased_at TEXT NOT NULL);
      `);
    } catch (error) {
      throw new StoreUnavailable(`the subject key store ${path} cannot be opened: ${(error as Error).message}`, error);
    }
    this.statements = {
      get: this.db.prepare('SELECT key FROM subject_keys WHERE subject_id = ?'),
      insert: this.db.prepare('INSERT OR IGNORE INTO subject_keys (subject_id, key, created_at) VALUES (?, ?, ?)'),
      remove: this.db.prepare('DELETE FROM subject_keys WHERE subject_id = ?'),
      markErased: this.db.prepare('INSERT OR IGNORE INTO erased_subjects (subject_id, erased_at) VALUES (?, ?)'),
      erased: this.db.prepare('SELECT erased_at FROM erased_subjects WHERE subject_id = ?'),
    };
    this.insertBatch = this.db.transaction((batch: Map<string, PendingKey>) => {
      const stored = new Map<string, Buffer | 'erased'>();
      for (const [subjectId, p] of batch) {
        // looked up here, inside the write lock, not on the caller's path: one statement for a new subject, and an
        // erasure (by this process or another) that came after keyFor is seen
        if (this.statements.erased.get(subjectId) !== undefined) stored.set(subjectId, 'erased');
        else if (this.statements.insert.run(subjectId, p.key, p.createdAt).changes === 1) stored.set(subjectId, p.key);
        else stored.set(subjectId, this.statements.get.get(subjectId)!.key);
      }
      return stored;
    }).immediate;
    this.walSync = WalSync.for(this.db, `the subject key store ${path}`);
  }

  static open(path: string): SubjectKeyStore {
    return new SubjectKeyStore(path);
  }

  /** The subject's key, or undefined when it never had one or was erased. */
  get(subjectId: string): Buffer | undefined {
    const cached = this.cache.get(subjectId);
    if (cached) return cached;
    const row = this.statements.get.get(subjectId);
    if (row) this.cache.set(subjectId, row.key);
    return row?.key;
  }

  /**
   * The subject's key, created when it has none: resolves once the new key is on disk (before any ciphertext can use
   * it), together with every other key asked for in the same turn. Refused once the subject was erased.
   */
  keyFor(subjectId: string, now: Date = new Date()): Promise<Buffer> {
    const cached = this.cache.get(subjectId);
    if (cached) return Promise.resolve(cached);
    const waiting = this.pending.get(subjectId);
    if (waiting) return waiting.result;
    if (!this.db.open) return Promise.reject(new StoreUnavailable(`the subject key store ${this.path} is closed`));
    let resolve!: (key: Buffer) => void;
    let reject!: (error: unknown) => void;
    const result = new Promise<Buffer>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.pending.set(subjectId, { key: newSubjectKey(), createdAt: now.toISOString(), result, resolve, reject });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return result;
  }

  /**
   * Writes the keys asked for since the last flush in one transaction, then hands them out once they are on disk
   * (`now`: synced on the event loop, for close).
   */
  private flush(now = false): void {
    this.flushScheduled = false;
    const batch = this.pending;
    if (batch.size === 0) return;
    this.pending = new Map();
    let stored: Map<string, Buffer | 'erased'>;
    try {
      stored = this.insertBatch(batch);
    } catch (error) {
      this.fail(batch, error);
      return;
    }
    if (!this.walSync) {
      this.handOut(batch, stored);
      return;
    }
    // Synced even when nothing was inserted: a key found stored may have been committed by a batch of this process
    // still waiting for its sync, or by another process just before its own sync. A lone new key with no sync
    // running is synced at once (no thread hop: see WalSync.afterCommit), as on close.
    this.syncing.add(batch);
    this.walSync.afterCommit(now || (batch.size === 1 && !this.walSync.busy), (error) =>
      error === undefined ? this.handOut(batch, stored) : this.fail(batch, error),
    );
  }

  private fail(batch: Map<string, PendingKey>, error: unknown): void {
    this.syncing.delete(batch);
    const failure = translateError(error, `the subject key store ${this.path}: storing ${batch.size} new keys`);
    for (const p of batch.values()) p.reject(failure);
  }

  private handOut(batch: Map<string, PendingKey>, stored: Map<string, Buffer | 'erased'>): void {
    this.syncing.delete(batch);
    for (const [subjectId, p] of batch) {
      const key = stored.get(subjectId)!;
      if (key === 'erased' || p.erasedMeanwhile) {
        p.reject(erasedError(subjectId));
      } else {
        this.cache.set(subjectId, key);
        p.resolve(key);
      }
    }
  }

  isErased(subjectId: string): boolean {
    return this.statements.erased.get(subjectId) !== undefined;
  }

  /** Whether a subject is known here (has a key, or had one and was erased). */
  knows(subjectId: string): boolean {
    return this.get(subjectId) !== undefined || this.isErased(subjectId);
  }

  /** Deletes the key for good. Returns false when there was no key (never known, or already erased). */
  erase(subjectId: string, now: Date = new Date()): boolean {
    const removed = this.db.transaction(() => {
      const changes = this.statements.remove.run(subjectId).changes;
      this.statements.markErased.run(subjectId, now.toISOString());
      return changes > 0;
    })();
    this.cache.delete(subjectId);
    for (const batch of this.syncing) {
      const waiting = batch.get(subjectId);
      if (waiting) waiting.erasedMeanwhile = true;
    }
    this.walSync?.durableNow(); // should the checkpoint below not get to the end (a reader in the way)
    // the WAL still holds the page as it was before the delete: fold it in and cut the file to zero length
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return removed;
  }

  /** Writes the keys already asked for (their callers are waiting), then closes the file. Closing twice is harmless. */
  close(): void {
    if (this.db.open) this.flush(true);
    this.cache.clear();
    if (this.db.open) this.db.close();
    this.walSync?.close();
  }
}

function erasedError(subjectId: string): Error {
  return new Error(`subject ${subjectId} was erased; no new data can be recorded under its id`);
}
