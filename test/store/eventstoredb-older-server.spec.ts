import { openEventStoreDbStore } from '../../src/store/eventstoredb';
import type { EventStore } from '../../src/store/port';
import { describeEventStoreContract } from '../contract/event-store.contract';
import { EsdbDouble } from '../support/esdb-double';

// A server before 23.10 sends no caught-up, and without BatchAppend on offer the client appends through
// Streams.Append: the adapter's other paths, held to the same contract.
describeEventStoreContract('EventStoreDB without BatchAppend and caught-up (wire-level double)', async () => {
  const double = await EsdbDouble.start({ serverVersion: '22.10.0', batchAppend: false, caughtUp: false });
  const opened: EventStore[] = [];
  const open = async () => {
    const store = await openEventStoreDbStore({ connectionString: double.connectionString });
    opened.push(store);
    return store;
  };
  return {
    store: await open(),
    reopen: open,
    cleanup: async () => {
      for (const store of opened) await store.close();
      await double.stop();
    },
  };
});
