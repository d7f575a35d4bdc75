import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { StoreUnavailable } from '../store/errors';

/**
 * The first answer to each idempotent write, kept durably so that a retry gets it again, also after a restart.
 * Records are keyed by (caller id, SHA-256 of the Idempotency-Key) and hold the request's fingerprint, the status,
 * the headers that matter (ETag, Location) and the body: write answers hold ids, revisions and positions only,
 * so no personal data is kept here.
 */

export interface StoredAnswer {
  /** SHA-256 of method, path and canonical body: the same key with another request is refused */
  requestHash: string;
  status: number;
  headers: Record<string, string>;
  /** the JSON body as sent */
  body: string;
  createdAt: number;
}

export interface IdempotencyStore {
  find(callerId: string, idempotencyKey: string): StoredAnswer | undefined;
  /** Stores the answer unless one is stored already; returns the one that is stored (the first wins). */
  remember(callerId: string, idempotencyKey: string, answer: Omit<StoredAnswer, 'createdAt'>): StoredAnswer;
  /** Drops records older than `maxAgeMs`; answers how many. */
  prune(maxAgeMs: number): number;
  close(): void;
}

/** `idempotency.db` in the directory of LEDGER_DB (every file of an installation lives there). */
export function idempotencyPathFor(ledgerDb: string): string {
  return ledgerDb === ':memory:' ? ':memory:' : join(dirname(resolve(ledgerDb)), 'idempotency.db');
}

export interface IdempotencyStoreOptions {
  path: string;
  /** records older than this are dropped when the store opens (default 30 days; a retry comes within minutes) */
  retentionMs?: number;
  clock?: () => number;
}

const DAY_MS = 86_400_000;

export function openIdempotencyStore(options: IdempotencyStoreOptions): IdempotencyStore {
  return SqliteIdempotencyStore.open(options);
}

class SqliteIdempotencyStore implements IdempotencyStore {
  private readonly statements;

  private constructor(
    private readonly db: Database.Database,
    private readonly clock: () => number,
  ) {
    this.statements = {
      find: db.prepare(
        'SELECT request_hash, status, headers, body, created_at FROM idempotency_answers WHERE caller_id = ? AND key_hash = ?',
      ),
      insert: db.prepare(
        `INSERT INTO idempotency_answers (caller_id, key_hash, request_hash, status, headers, body, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (caller_id, key_hash) DO NOTHING`,
      ),
      prune: db.prepare('DELETE FROM idempotency_answers WHERE created_at < ?'),
    };
  }

  static open(options: IdempotencyStoreOptions): SqliteIdempotencyStore {
    const memory = options.path === ':memory:';
    const path = memory ? options.path : resolve(options.path);
    let db: Database.Database | undefined;
    try {
      if (!memory) mkdirSync(dirname(path), { recursive: true });
      db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('busy_timeout = 5000');
      db.exec(`CREATE TABLE IF NOT EXISTS idempotency_answers (
        caller_id TEXT NOT NULL,
        key_hash TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        status INTEGER NOT NULL,
        headers TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (caller_id, key_hash)
      ) WITHOUT ROWID`);
      db.exec('CREATE INDEX IF NOT EXISTS idempotency_answers_created ON idempotency_answers (created_at)');
      const store = new SqliteIdempotencyStore(db, options.clock ?? Date.now);
      store.prune(options.retentionMs ?? 30 * DAY_MS);
      return store;
    } catch (error) {
      db?.close();
      throw new StoreUnavailable(`idempotency records at ${path}: ${(error as Error).message}`, error);
    }
  }

  find(callerId: string, idempotencyKey: string): StoredAnswer | undefined {
    const row = this.run(() => this.statements.find.get(callerId, keyHash(idempotencyKey))) as
      | { request_hash: string; status: number; headers: string; body: string; created_at: number }
      | undefined;
    if (!row) return undefined;
    return {
      requestHash: row.request_hash,
      status: row.status,
      headers: JSON.parse(row.headers) as Record<string, string>,
      body: row.body,
      createdAt: row.created_at,
    };
  }

  remember(callerId: string, idempotencyKey: string, answer: Omit<StoredAnswer, 'createdAt'>): StoredAnswer {
    const createdAt = this.clock();
    this.run(() =>
      this.statements.insert.run(callerId, keyHash(idempotencyKey), answer.requestHash, answer.status, JSON.stringify(answer.headers), answer.body, createdAt),
    );
    return this.find(callerId, idempotencyKey) ?? { ...answer, createdAt };
  }

  prune(maxAgeMs: number): number {
    return this.run(() => this.statements.prune.run(this.clock() - maxAgeMs).changes);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private run<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw new StoreUnavailable(`idempotency records: ${(error as Error).message}`, error);
    }
  }
}

function keyHash(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey, 'utf8').digest('hex');
}
