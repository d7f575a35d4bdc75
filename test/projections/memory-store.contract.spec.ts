import { describeEventStoreContract } from '../contract/event-store.contract';
import { MemoryEventStore } from '../support/memory-store';

// The in-memory test double keeps the port's promises too, or the projection tests that use it would prove little.
describeEventStoreContract('memory (test double)', async () => {
  const store = new MemoryEventStore();
  return { store, cleanup: () => store.close() };
});
