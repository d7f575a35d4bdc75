import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreUnavailable } from '../store/errors';
import { newSubjectKey } from './cipher';

/**
 * The data subjects' keys, kept outside the event log (a separate SQLite file beside the ledger by default).
 * Deleting a key erases the subject's data for good: the events keep only ciphertext. So that a deleted key is gone
 * from the disk and not only from the table, the file runs with `secure_delete` (freed cells are overwritten with
 * zeros) and every erasure ends with a WAL checkpoint that truncates the log file holding older page images.
 *
 * Losing this file loses every subject's data: back it up with the ledger (README, "Personal data and erasure").
 */
export class SubjectKeyStore {
  private readonly db: Database.Database;
  private readonly cache = new Map<string, Buffer>();
  private readonly statements: {
    get: Database.Statement<[string], { key: Buffer }>;
    insert: Database.Statement<[string, Buffer, string]>;
    remove: Database.Statement<[string]>;
    markErased: Database.Statement<[string, string]>;
    erased: Database.Statement<[string], { erased_at: string }>;
  };

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

  /** The subject's key, created (durably, before any ciphertext uses it) when it has none. Refused once erased. */
  keyFor(subjectId: string, now: Date = new Date()): Buffer {
    const existing = this.get(subjectId);
    if (existing) return existing;
    if (this.isErased(subjectId)) throw new Error(`subject ${subjectId} was erased; no new data can be recorded under its id`);
    this.statements.insert.run(subjectId, newSubjectKey(), now.toISOString());
    return this.get(subjectId)!;
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
    // the WAL still holds the page as it was before the delete: fold it in and cut the file to zero length
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return removed;
  }

  close(): void {
    this.cache.clear();
    if (this.db.open) this.db.close();
  }
}
