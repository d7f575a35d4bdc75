import type { Actor } from '../domain/shared/decider';
import type { StoredEvent } from '../store/port';

/** The metadata on every stored event (ARCHITECTURE.md, "Streams and the envelope"). */
export interface EventMetadata {
  /** when the ledger learned it: the server's clock, never earlier than the previous event's */
  recordedAt: string;
  /** when it happened in the world, as the caller said: a date or an instant */
  occurredAt: string;
  actor: Actor;
  correlationId: string;
  causationId: string;
  schemaVersion: number;
  prevHash: string;
  hash: string;
}

export type LedgerStoredEvent = StoredEvent & { metadata: EventMetadata & Record<string, unknown> };

export function metadataOf(event: StoredEvent): EventMetadata {
  return event.metadata as unknown as EventMetadata;
}

/** An event as auditors see it in JSON: position as a string, revision as a number. */
export interface EventJson {
  position: string;
  stream: string;
  revision: number;
  eventId: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

export function toEventJson(event: StoredEvent): EventJson {
  return {
    position: event.position.toString(),
    stream: event.stream,
    revision: Number(event.revision),
    eventId: event.eventId,
    type: event.type,
    data: event.data,
    metadata: metadataOf(event),
  };
}
