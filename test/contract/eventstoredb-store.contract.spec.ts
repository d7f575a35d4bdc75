import type { EventStore } from '../../src/store/port';
import { openEventStoreDbStore } from '../../src/store/eventstoredb';
import { EsdbDouble } from '../support/esdb-double';
import { describeEventStoreContract, type StoreUnderTest } from './event-store.contract';

async function storesOn(connectionString: string, stopServer?: () => Promise<void>): Promise<StoreUnderTest> {
  const opened: EventStore[] = [];
  const open = async () => {
    const store = await openEventStoreDbStore({ connectionString });
    opened.push(store);
    return store;
  };
  return {
    store: await open(),
    reopen: open,
    cleanup: async () => {
      for (const store of opened) await store.close();
      await stopServer?.();
    },
  };
}

describeEventStoreContract('EventStoreDB (wire-level double)', async () => {
  const double = await EsdbDouble.start();
  return storesOn(double.connectionString, () => double.stop());
});

// a real server, e.g. EVENTSTORE_URL=esdb://localhost:2113?tls=false after `docker compose up eventstore`
const url = process.env.EVENTSTORE_URL;
if (url) describeEventStoreContract(`EventStoreDB at ${url}`, () => storesOn(url));
