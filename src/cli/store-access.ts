import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';
import { StoreError } from '../store/errors';
import { openStore } from '../store/open-store';
import type { EventStore } from '../store/port';
import { LedgerMissing, UsageError } from './exit-codes';

/** The store options every subcommand takes (global options of the program). */
export interface StoreOptions {
  db?: string;
  eventstoreUrl?: string;
}

/** Where the ledger lives: the embedded file (its directory holds every file of the installation) or EventStoreDB. */
export interface StoreLocation {
  ledgerDb: string;
  eventStoreUrl: string | undefined;
  /** the directory of LEDGER_DB: snapshot, signing key and idempotency records live here */
  directory: string;
  /** the read models' snapshot the server writes (what reports restore from, never write) */
  snapshotPath: string;
}

/**
 * The server's snapshot file (src/api/server.ts, snapshotPathFor; a test keeps the two equal, and this module does
 * not import the API so that a report does not load express). A snapshot holds positions of one store only.
 */
export function snapshotFileFor(eventStoreUrl: string | undefined): string {
  return eventStoreUrl ? 'read-models.eventstoredb.snapshot' : 'read-models.snapshot';
}

/** `--db` over LEDGER_DB, `--eventstore-url` over EVENTSTORE_URL; the defaults are the server's (config.ts). */
export function locateStore(options: StoreOptions, env: Record<string, string | undefined>): StoreLocation {
  const config = loadConfig({ LEDGER_DB: options.db ?? env.LEDGER_DB, EVENTSTORE_URL: options.eventstoreUrl ?? env.EVENTSTORE_URL });
  const ledgerDb = path.resolve(config.ledgerDb);
  const directory = path.dirname(ledgerDb);
  return { ledgerDb, eventStoreUrl: config.eventStoreUrl, directory, snapshotPath: path.join(directory, snapshotFileFor(config.eventStoreUrl)) };
}

/** For commands that read: a missing ledger file is an error, never a new empty ledger. */
export async function openExistingStore(location: StoreLocation): Promise<EventStore> {
  if (!location.eventStoreUrl) {
    if (!existsSync(location.ledgerDb)) throw new LedgerMissing(location.ledgerDb);
    if (!statSync(location.ledgerDb).isFile()) throw new UsageError(`${location.ledgerDb} is not a ledger file`);
  }
  return open(location);
}

/** For `seed` and `serve`: the embedded store's file is created when missing. */
export async function openOrCreateStore(location: StoreLocation): Promise<EventStore> {
  return open(location);
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

/** Runs `work` on the store and closes it, also when `work` fails. */
export async function usingStore<T>(store: EventStore, work: (store: EventStore) => Promise<T>): Promise<T> {
  try {
    return await work(store);
  } finally {
    await store.close().catch(() => undefined);
  }
}
