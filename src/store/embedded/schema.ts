import type Database from 'better-sqlite3';
import { StoreUnavailable } from '../errors';

/**
 * Marks the file as ours (PRAGMA application_id, "ALZL"), so that opening some other SQLite file as the ledger
 * is refused instead of sprouting an events table inside it.
 */
export const APPLICATION_ID = 0x414c5a4c;

/**
 * Migrations in order; `PRAGMA user_version` is the number applied. Append new ones, never edit an applied one:
 * installations that ran it will not run it again.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE events (
     position INTEGER PRIMARY KEY AUTOINCREMENT,
     stream   TEXT    NOT NULL,
     revision INTEGER NOT NULL,
     event_id TEXT    NOT NULL UNIQUE,
     type     TEXT    NOT NULL,
     data     TEXT    NOT NULL,
     metadata TEXT    NOT NULL
   );
   CREATE UNIQUE INDEX events_stream_revision ON events (stream, revision);`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Per-connection settings. WAL with synchronous=FULL: a commit is on disk when it returns. The store then hands the
 * fsync to WalSync (synchronous=NORMAL, the WAL synced off the event loop before an append resolves).
 */
export function configureConnection(db: Database.Database, busyTimeoutMs: number): void {
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  if (!db.memory) {
    const mode = String(db.pragma('journal_mode = WAL', { simple: true }));
    if (mode.toLowerCase() !== 'wal') throw new StoreUnavailable(`${db.name}: cannot switch to WAL (journal mode ${mode})`);
  }
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
}

/**
 * Brings the file to SCHEMA_VERSION. Runs in an IMMEDIATE transaction and re-reads the version inside it,
 * so two processes opening a new file at once migrate it once.
 */
export function migrate(db: Database.Database): void {
  const run = db.transaction(() => {
    const applicationId = Number(db.pragma('application_id', { simple: true }));
    const version = Number(db.pragma('user_version', { simple: true }));
    if (applicationId !== APPLICATION_ID && (applicationId !== 0 || version !== 0 || hasTables(db))) {
      throw new StoreUnavailable(`${db.name} is not an event store file of this ledger`);
    }
    if (version > SCHEMA_VERSION) {
      throw new StoreUnavailable(`${db.name} has schema version ${version}; this program knows up to ${SCHEMA_VERSION}`);
    }
    for (const sql of MIGRATIONS.slice(version)) db.exec(sql);
    if (version < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
    if (applicationId === 0) db.pragma(`application_id = ${APPLICATION_ID}`);
  });
  run.immediate();
}

function hasTables(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' LIMIT 1").get() !== undefined;
}
