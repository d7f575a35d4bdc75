import { openEmbeddedStore } from './embedded/embedded-store';
import { openEventStoreDbStore } from './eventstoredb';
import type { EventStore } from './port';

export interface StoreConfig {
  /** the embedded store's file; its directory holds every file of the installation */
  ledgerDb: string;
  /** EventStoreDB's connection string; when set, the log lives there */
  eventStoreUrl?: string | undefined;
}

/** EventStoreDB when a connection string is given, the embedded SQLite store otherwise. */
export async function openStore(config: StoreConfig): Promise<EventStore> {
  if (config.eventStoreUrl) return openEventStoreDbStore({ connectionString: config.eventStoreUrl });
  return openEmbeddedStore({ path: config.ledgerDb });
}
