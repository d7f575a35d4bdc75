import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SubjectHandlers } from './handlers/subjects';
import { Ledger } from './ledger/ledger';
import { PersonalDataProtector } from './privacy/personal-data-protector';
import { SubjectKeyStore } from './privacy/subject-key-store';
import { openStore, type StoreConfig } from './store/open-store';
import type { EventStore, StoredEvent } from './store/port';

/** Where an installation lives: the log (embedded file or EventStoreDB) and the data subjects' key store. */
export interface InstallationConfig extends StoreConfig {
  /** LEDGER_SUBJECT_KEYS; default `subject-keys.db` in the directory of `ledgerDb` */
  subjectKeys?: string | undefined;
}

export interface InstallationOptions {
  /** the ledger's clock (recordedAt); default the wall clock */
  clock?: () => Date;
  /** opens the event store (the CLI passes its own, which refuses a missing ledger file); default openStore */
  openStore?: (config: StoreConfig) => Promise<EventStore>;
  /**
   * For commands that only read (reports, verification, export, replay): no file is created (a missing key store
   * is an empty one in memory, so personal data reads as erased) and the ledger records nothing.
   */
  readOnly?: boolean;
}

/**
 * An open installation: the event store, the one Ledger that writes to it (with personal data encrypted before
 * hashing), the key store and the protector that reveals personal data to readers allowed to see it.
 */
export interface Installation {
  store: EventStore;
  ledger: Ledger;
  keys: SubjectKeyStore;
  protector: PersonalDataProtector;
  /** the erasure of a data subject (POST /v1/subjects/{id}/erasure, `ledger erase`) */
  subjects: SubjectHandlers;
  /** the key store's file */
  keyStorePath: string;
  /** whether this opening created the key store (on a log that already holds events: a lost or misplaced key store) */
  keyStoreCreated: boolean;
  /** What a reader that follows the log calls for each event: an erasure recorded elsewhere deletes the key here too. */
  applyErasure(event: Pick<StoredEvent, 'type' | 'data'>): void;
  close(): Promise<void>;
}

/** The key store's file: LEDGER_SUBJECT_KEYS, else `subject-keys.db` beside the ledger file (in memory for `:memory:`). */
export function subjectKeysPathFor(config: Pick<InstallationConfig, 'ledgerDb' | 'subjectKeys'>): string {
  if (config.subjectKeys) return resolve(config.subjectKeys);
  if (config.ledgerDb === ':memory:') return ':memory:';
  return join(dirname(resolve(config.ledgerDb)), 'subject-keys.db');
}

/**
 * The composition root of the write side, shared by the server and every CLI command: there is no other way to a
 * Ledger that writes personal data, so none writes it in the clear.
 */
export async function openInstallation(config: InstallationConfig, options: InstallationOptions = {}): Promise<Installation> {
  const keyStorePath = subjectKeysPathFor(config);
  const store = await (options.openStore ?? openStore)({ ledgerDb: config.ledgerDb, eventStoreUrl: config.eventStoreUrl });
  const missing = keyStorePath !== ':memory:' && !existsSync(keyStorePath);
  let keys: SubjectKeyStore;
  try {
    keys = SubjectKeyStore.open(options.readOnly && missing ? ':memory:' : keyStorePath);
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  const keyStoreCreated = missing && !options.readOnly;
  const protector = new PersonalDataProtector(keys);
  const protect = options.readOnly
    ? (type: string): never => {
        throw new Error(`this installation was opened read-only: ${type} was not recorded`);
      }
    : (type: string, data: unknown) => protector.protect(type, data);
  const ledger = new Ledger(store, { ...(options.clock && { clock: options.clock }), protect });
  let closing: Promise<void> | undefined;
  return {
    store,
    ledger,
    keys,
    protector,
    subjects: new SubjectHandlers(ledger, keys),
    keyStorePath,
    keyStoreCreated,
    applyErasure: (event) => applyErasure(keys, protector, event),
    close: () =>
      (closing ??= (async () => {
        keys.close();
        await store.close();
      })()),
  };
}

/**
 * A SubjectErased event in the log means the subject's key must not exist here: it was erased by another process
 * (`ledger erase` beside a running server, another instance) whose key this process may still hold in its cache,
 * or a key store restored from a backup brought it back.
 */
function applyErasure(keys: SubjectKeyStore, protector: PersonalDataProtector, event: Pick<StoredEvent, 'type' | 'data'>): void {
  if (event.type !== 'SubjectErased') return;
  const subjectId = (event.data as { subjectId?: unknown } | null)?.subjectId;
  if (typeof subjectId !== 'string') return;
  if (keys.get(subjectId) !== undefined || !keys.isErased(subjectId)) keys.erase(subjectId);
  // reads already stopped showing the data (the kept plaintext is tied to the key): let go of it too
  protector.forget(subjectId);
}
