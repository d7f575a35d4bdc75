export { EventStoreDbStore, openEventStoreDbStore, type EventStoreDbStoreOptions } from './store';
export { INTERNAL_STREAM_PREFIX } from './events';
