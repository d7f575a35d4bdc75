/** Our events on EventStoreDB's wire: every one a JSON event with our deterministic id and our metadata. */
import { jsonEvent, type EventData, type JSONType, type RecordedEvent } from '@eventstore/db-client';
import { StoreCorrupted, StoreError } from '../errors';
import type { EventToAppend, StoredEvent } from '../port';

/** Streams the ledger keeps for itself (checkpoints and the like): in the store, but not part of the global log. */
export const INTERNAL_STREAM_PREFIX = 'ledger-internal-';

// EventStoreDB takes only UUIDs as event ids
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks a batch for caller bugs (TypeError), the same checks the embedded store makes. */
export function checkBatch(stream: string, events: readonly EventToAppend[]): void {
  if (typeof stream !== 'string' || stream.length === 0) throw new TypeError('stream name must be a non-empty string');
  if (events.length === 0) throw new TypeError(`append to ${stream}: the batch is empty`);
  const seen = new Set<string>();
  events.forEach((event, index) => {
    const where = `append to ${stream}, event ${index}`;
    if (typeof event.eventId !== 'string' || !UUID.test(event.eventId)) {
      throw new TypeError(`${where}: event id ${String(event.eventId)} is not a UUID`);
    }
    if (seen.has(event.eventId.toLowerCase())) throw new TypeError(`${where}: event id ${event.eventId} occurs twice in the batch`);
    seen.add(event.eventId.toLowerCase());
    if (typeof event.type !== 'string' || event.type.length === 0) throw new TypeError(`${where}: type must be a non-empty string`);
    if (event.metadata === null || typeof event.metadata !== 'object' || Array.isArray(event.metadata)) {
      throw new TypeError(`${where}: metadata must be an object`);
    }
    if ((JSON.stringify(event.data) as string | undefined) === undefined) {
      throw new TypeError(`${where}: data is not representable as JSON`);
    }
  });
}

export function toEventData(event: EventToAppend): EventData {
  // the client serialises data with JSON.stringify, which takes any JSON value, not only the objects its type names
  return jsonEvent({ id: event.eventId, type: event.type, data: event.data as JSONType, metadata: event.metadata });
}

/** Whether an event belongs to the ledger's global log: not EventStoreDB's own ($…) and not one of our internal streams. */
export function inLedgerLog(stream: string, type: string, internalPrefixes: readonly string[]): boolean {
  return !stream.startsWith('$') && !type.startsWith('$') && !internalPrefixes.some((prefix) => stream.startsWith(prefix));
}

export function toStoredEvent(recorded: RecordedEvent): StoredEvent {
  const where = `event ${recorded.streamId}@${String(recorded.revision)}`;
  if (!recorded.position) {
    throw new StoreError(`${where}: the server did not send the event's position (EventStoreDB 22.6 or later is required)`);
  }
  // where the event lies, so that a reader can name it and read on after it
  const at = { position: recorded.position.commit, stream: recorded.streamId, revision: recorded.revision, eventId: recorded.id };
  if (!recorded.isJson) throw new StoreCorrupted(`${where}: not a JSON event`, { at });
  const metadata: unknown = recorded.metadata;
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata) || metadata instanceof Uint8Array) {
    throw new StoreCorrupted(`${where}: metadata is not a JSON object`, { at });
  }
  return {
    position: recorded.position.commit,
    stream: recorded.streamId,
    revision: recorded.revision,
    eventId: recorded.id,
    type: recorded.type,
    data: recorded.data,
    metadata: metadata as Record<string, unknown>,
  };
}
