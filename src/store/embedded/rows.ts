import type { EventToAppend, StoredEvent } from '../port';
import { StoreCorrupted, StoreError, StoreUnavailable, type CorruptedEventLocation } from '../errors';

/** A row of `events` as read with safe integers (INTEGER columns come back as bigint). */
export interface EventRow {
  position: bigint;
  stream: string;
  revision: bigint;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
}

/** A row ready to insert: data and metadata as the JSON text that is stored. */
export interface EncodedEvent {
  eventId: string;
  type: string;
  data: string;
  metadata: string;
}

// EventStoreDB only takes UUIDs as event ids; refusing anything else here keeps code that runs on the embedded
// store from failing on EventStoreDB.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks a batch the caller gives and turns data and metadata into JSON text. Throws TypeError for caller bugs. */
export function encodeBatch(stream: string, events: readonly EventToAppend[]): EncodedEvent[] {
  if (typeof stream !== 'string' || stream.length === 0) throw new TypeError('stream name must be a non-empty string');
  if (events.length === 0) throw new TypeError(`append to ${stream}: the batch is empty`);
  const seen = new Set<string>();
  return events.map((event, index) => {
    const where = `append to ${stream}, event ${index}`;
    if (typeof event.eventId !== 'string' || !UUID.test(event.eventId)) {
      throw new TypeError(`${where}: event id ${String(event.eventId)} is not a UUID`);
    }
    if (seen.has(event.eventId)) throw new TypeError(`${where}: event id ${event.eventId} occurs twice in the batch`);
    seen.add(event.eventId);
    if (typeof event.type !== 'string' || event.type.length === 0) throw new TypeError(`${where}: type must be a non-empty string`);
    if (event.metadata === null || typeof event.metadata !== 'object' || Array.isArray(event.metadata)) {
      throw new TypeError(`${where}: metadata must be an object`);
    }
    const data = JSON.stringify(event.data) as string | undefined;
    if (data === undefined) throw new TypeError(`${where}: data is not representable as JSON`);
    return { eventId: event.eventId, type: event.type, data, metadata: JSON.stringify(event.metadata) };
  });
}

export function decodeRow(row: EventRow): StoredEvent {
  const where = `event at position ${String(row.position)}`;
  if (typeof row.stream !== 'string' || typeof row.revision !== 'bigint' || typeof row.event_id !== 'string' || typeof row.type !== 'string') {
    throw new StoreCorrupted(`${where}: malformed row`, { at: { position: row.position } });
  }
  const at = { position: row.position, stream: row.stream, revision: row.revision, eventId: row.event_id };
  const data = parseJson(row.data, `${where}: data`, at);
  const metadata = parseJson(row.metadata, `${where}: metadata`, at);
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new StoreCorrupted(`${where}: metadata is not an object`, { at });
  }
  return {
    position: row.position,
    stream: row.stream,
    revision: row.revision,
    eventId: row.event_id,
    type: row.type,
    data,
    metadata: metadata as Record<string, unknown>,
  };
}

function parseJson(text: unknown, what: string, at: CorruptedEventLocation): unknown {
  if (typeof text !== 'string') throw new StoreCorrupted(`${what} is not text`, { at });
  try {
    return JSON.parse(text);
  } catch {
    throw new StoreCorrupted(`${what} is not valid JSON`, { at });
  }
}

const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY|PERM|AUTH|NOMEM|INTERRUPT|PROTOCOL|NOLFS)/;
const CORRUPTED = /^SQLITE_(CORRUPT|NOTADB)/;

/** SQLite's failures in the store's terms; our own errors and caller bugs pass through unchanged. */
export function translateError(error: unknown, what: string): unknown {
  if (error instanceof StoreError || typeof error !== 'object' || error === null) return error;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code !== 'string') return error;
  if (UNAVAILABLE.test(code)) return new StoreUnavailable(`${what}: ${String(message)} (${code})`, error);
  if (CORRUPTED.test(code)) return new StoreCorrupted(`${what}: ${String(message)} (${code})`, { cause: error });
  return error;
}
