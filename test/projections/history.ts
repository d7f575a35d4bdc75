import type { z } from 'zod';
import { eventSchemas } from '../../src/domain/events';
import { berlinDate } from '../../src/domain/shared/dates';
import type { Actor } from '../../src/domain/shared/decider';
import type { EventStore, StoredEvent } from '../../src/store/port';

/** An event as a test writes it: the envelope fields the read models use, data following its schema. */
export interface HistoryEvent {
  stream: string;
  type: string;
  data: unknown;
  occurredAt: string;
  recordedAt: string;
  actor: Actor;
}

export const office: Actor = { id: 'office-1', role: 'office' };

/** Deterministic UUIDs (version 4 layout), so that failing property runs replay the same ids. */
export function uuid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** An instant on the day (mid-morning in Berlin). */
export function instantOn(day: string, minute = 0): string {
  return new Date(Date.parse(`${day}T08:00:00Z`) + minute * 60_000).toISOString();
}

/**
 * Writes a history: every event is checked against its schema, recordedAt comes from a clock that only moves
 * forward (the server's), occurredAt is whatever the world says.
 */
export class History {
  readonly events: HistoryEvent[] = [];
  private clock: number;
  private next: number;

  constructor(start = '2025-09-01T08:00:00.000Z', firstId = 1) {
    this.clock = Date.parse(start);
    this.next = firstId;
  }

  id(): string {
    return uuid(this.next++);
  }

  /** the Berlin day the clock stands on */
  get today(): string {
    return berlinDate(new Date(this.clock).toISOString());
  }

  get now(): string {
    return new Date(this.clock).toISOString();
  }

  advance(ms: number): this {
    this.clock += Math.max(0, Math.floor(ms));
    return this;
  }

  /** records one event (or a batch sharing one recordedAt, like a command's events) */
  record(stream: string, type: keyof typeof eventSchemas, data: unknown, occurredAt: string, actor: Actor = office): this {
    const schema = eventSchemas[type] as z.ZodType;
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw new Error(`test history: ${type} breaks its schema: ${parsed.error.message}\n${JSON.stringify(data)}`);
    this.events.push({ stream, type, data, occurredAt, recordedAt: this.now, actor });
    return this;
  }
}

/** The history as the store would hand it out: positions from 1, revisions per stream, the ledger's metadata. */
export function toStored(events: readonly HistoryEvent[]): StoredEvent[] {
  const revisions = new Map<string, bigint>();
  return events.map((e, i) => {
    const revision = (revisions.get(e.stream) ?? -1n) + 1n;
    revisions.set(e.stream, revision);
    return {
      position: BigInt(i + 1),
      stream: e.stream,
      revision,
      eventId: uuid(1_000_000 + i),
      type: e.type,
      data: structuredClone(e.data),
      metadata: metadataOf(e),
    };
  });
}

function metadataOf(e: HistoryEvent): Record<string, unknown> {
  return {
    recordedAt: e.recordedAt,
    occurredAt: e.occurredAt,
    actor: e.actor,
    correlationId: 'c',
    causationId: 'c',
    schemaVersion: 1,
    prevHash: '0'.repeat(64),
    hash: '0'.repeat(64),
  };
}

/** Appends the history to a store, stream by stream as the ledger would (expected revisions, one event a call). */
export async function appendAll(store: EventStore, events: readonly HistoryEvent[], firstId = 2_000_000): Promise<bigint | null> {
  const revisions = new Map<string, bigint>();
  let position: bigint | null = null;
  for (const [i, e] of events.entries()) {
    const expected = revisions.get(e.stream);
    const result = await store.append(
      e.stream,
      [{ eventId: uuid(firstId + i), type: e.type, data: e.data, metadata: metadataOf(e) }],
      expected ?? 'any',
    );
    revisions.set(e.stream, result.revision);
    position = result.position;
  }
  return position;
}
