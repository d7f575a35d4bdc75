import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';
import { openInstallation, subjectKeysPathFor, type Installation } from '../installation';
import { StoreError } from '../store/errors';
import { openStore } from '../store/open-store';
import type { EventStore } from '../store/port';
import { LedgerMissing, UsageError } from './exit-codes';

/** The store options every subcommand takes (global options of the program). */
export interface StoreOptions {
  db?: string;
  eventstoreUrl?: string;
  subjectKeys?: string;
}

/** Where the ledger lives: the embedded file (its directory holds every file of the installation) or EventStoreDB. */
export interface StoreLocation {
  ledgerDb: string;
  eventStoreUrl: string | undefined;
  /** the directory of LEDGER_DB: snapshot, signing key and idempotency records live here */
  directory: string;
  /** the read models' snapshot the server writes (what reports restore from, never write) */
  snapshotPath: string;
  /** the data subjects' key store (LEDGER_SUBJECT_KEYS, default subject-keys.db in `directory`) */
  subjectKeys: string;
}

/**
 * The server's snapshot file (src/api/server.ts, snapshotPathFor; a test keeps the two equal, and this module does
 * not import the API so that a report does not load express). A snapshot holds positions of one store only.
 */
export function snapshotFileFor(eventStoreUrl: string | undefined): string {
  return eventStoreUrl ? 'read-models.eventstoredb.snapshot' : 'read-models.snapshot';
}

/**
 * `--db` over LEDGER_DB, `--eventstore-url` over EVENTSTORE_URL, `--subject-keys` over LEDGER_SUBJECT_KEYS; the
 * defaults are the server's (config.ts, installation.ts).
 */
export function locateStore(options: StoreOptions, env: Record<string, string | undefined>): StoreLocation {
  const config = loadConfig({
    LEDGER_DB: options.db ?? env.LEDGER_DB,
    EVENTSTORE_URL: options.eventstoreUrl ?? env.EVENTSTORE_URL,
    LEDGER_SUBJECT_KEYS: options.subjectKeys ?? env.LEDGER_SUBJECT_KEYS,
  });
  const ledgerDb = path.resolve(config.ledgerDb);
  const directory = path.dirname(ledgerDb);
  return {
    ledgerDb,
    eventStoreUrl: config.eventStoreUrl,
    directory,
    snapshotPath: path.join(directory, snapshotFileFor(config.eventStoreUrl)),
    subjectKeys: subjectKeysPathFor({ ledgerDb, subjectKeys: config.subjectKeys }),
  };
}

/** Files that live beside the ledger file and belong to it (SQLite's companions, snapshots, idempotency records, key). */
const INSTALLATION_FILES = [
  'read-models.snapshot',
  'read-models.eventstoredb.snapshot',
  'idempotency.db',
  'idempotency.db-wal',
  'idempotency.db-shm',
  'signing-key.pem',
  'subject-keys.db',
  'subject-keys.db-wal',
  'subject-keys.db-shm',
];

/**
 * Refuses an output file (`--out`, `--public-key-out`) that is one of the installation's own files: writing a report
 * or an export over the ledger file (a slip of the keyboard) would destroy every event in it.
 */
export function refuseInstallationFile(out: string, location: StoreLocation, option: string): void {
  const target = path.resolve(out);
  const ledger = location.ledgerDb;
  const keys = location.subjectKeys;
  const own = [
    ledger,
    `${ledger}-wal`,
    `${ledger}-shm`,
    `${ledger}-journal`,
    keys,
    `${keys}-wal`,
    `${keys}-shm`,
    ...INSTALLATION_FILES.map((f) => path.join(location.directory, f)),
  ];
  const targetStat = statIfExists(target);
  const clash = own.find((file) => {
    if (file === target) return true;
    const stat = targetStat && statIfExists(file);
    // the same file under another name (a symbolic link, `..` in the path)
    return stat !== undefined && targetStat !== undefined && stat.dev === targetStat.dev && stat.ino === targetStat.ino;
  });
  if (clash) throw new UsageError(`${option} ${target} is a file of the ledger at ${ledger}; write to another file`);
}

function statIfExists(file: string): { dev: number; ino: number } | undefined {
  try {
    const { dev, ino } = statSync(file);
    return { dev, ino };
  } catch {
    return undefined;
  }
}

export interface OpenOptions {
  /** the ledger's clock (recordedAt of what a command records) */
  clock?: () => Date;
}

/**
 * For commands that only read (report, replay, export, verify): a missing ledger file is an error, never a new
 * empty ledger; nothing is created (not even the key store) and nothing recorded.
 */
export async function openExistingInstallation(location: StoreLocation): Promise<Installation> {
  refuseMissingLedger(location);
  return openInstallation(installationConfig(location), { openStore: () => open(location), readOnly: true });
}

/** For `erase`: the ledger must exist; the command records. */
export async function openExistingInstallationForWriting(location: StoreLocation, options: OpenOptions = {}): Promise<Installation> {
  refuseMissingLedger(location);
  return openInstallation(installationConfig(location), { openStore: () => open(location), ...options });
}

/** For `seed`: the embedded store's file (and the key store) are created when missing. */
export async function openOrCreateInstallation(location: StoreLocation, options: OpenOptions = {}): Promise<Installation> {
  return openInstallation(installationConfig(location), { openStore: () => open(location), ...options });
}

function installationConfig(location: StoreLocation): { ledgerDb: string; eventStoreUrl: string | undefined; subjectKeys: string } {
  return { ledgerDb: location.ledgerDb, eventStoreUrl: location.eventStoreUrl, subjectKeys: location.subjectKeys };
}

/** A missing ledger file is an error, never a new empty ledger. */
function refuseMissingLedger(location: StoreLocation): void {
  if (location.eventStoreUrl) return;
  if (!existsSync(location.ledgerDb)) throw new LedgerMissing(location.ledgerDb);
  if (!statSync(location.ledgerDb).isFile()) throw new UsageError(`${location.ledgerDb} is not a ledger file`);
}

async function open(location: StoreLocation): Promise<EventStore> {
  try {
    return await openStore({ ledgerDb: location.ledgerDb, eventStoreUrl: location.eventStoreUrl });
  } catch (error) {
    // the client parses the connection string when the store is created; anything it refuses is the caller's input
    if (location.eventStoreUrl && !(error instanceof StoreError)) {
      throw new UsageError(`EVENTSTORE_URL is not a connection string EventStoreDB accepts: ${(error as Error).message}`);
    }
    throw error;
  }
}

/** Runs `work` on the installation and closes it (store and key store), also when `work` fails. */
export async function usingInstallation<T>(installation: Installation, work: (installation: Installation) => Promise<T>): Promise<T> {
  try {
    return await work(installation);
  } finally {
    await installation.close().catch(() => undefined);
  }
}
