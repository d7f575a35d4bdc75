import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { canonicalCopy } from '../../src/ledger/canonical-json';
import { GENESIS_HASH, eventHash } from '../../src/ledger/hash-chain';
import { openEmbeddedStore, type EmbeddedEventStore } from '../../src/store/embedded/embedded-store';
import type { EventToAppend, StoredEvent } from '../../src/store/port';
import { prng } from '../support/prng';

export function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

const TYPES = ['PartnerApplied', 'PartnerAdmitted', 'MeetingScheduled', 'ResolutionProposed', 'StatementGiven'];
const WORDS = ['Fachkräfte', 'Sachsen', 'Dresden', 'Leipzig', 'Chemnitz', 'Beschluss', 'Sitzung', 'Partner', 'Übergang', 'Größe'];

function dataFor(random: () => number, i: number): Record<string, unknown> {
  const word = () => WORDS[Math.floor(random() * WORDS.length)] as string;
  return {
    id: uuidFrom(random),
    name: `${word()} ${word()} ${i}`,
    count: Math.floor(random() * 1000),
    share: Math.floor(random() * 100) / 4,
    active: random() < 0.5,
    note: random() < 0.3 ? null : `${word()} – "${word()}" \\ ${word()}`,
    tags: [word(), word()],
    address: { street: `${word()}straße ${1 + Math.floor(random() * 99)}`, city: word(), zip: '01067' },
  };
}

/**
 * A valid chained history: `count` events spread over `streams` streams, in log order, each with the metadata the
 * ledger writes (prevHash the previous hash in its stream, hash by eventHash), data and metadata in canonical key
 * order as the ledger stores them.
 */
export function chainedEvents(count: number, streams = 5, seed = 1): Array<{ stream: string; event: EventToAppend }> {
  const random = prng(seed);
  const names = Array.from({ length: streams }, (_, s) => `partner-${uuidFrom(random)}${s}`.slice(0, 44));
  const last = new Map<string, { revision: bigint; hash: string }>();
  const out: Array<{ stream: string; event: EventToAppend }> = [];
  const start = Date.parse('2025-01-01T08:00:00Z');
  for (let i = 0; i < count; i++) {
    const stream = names[Math.floor(random() * streams)] as string;
    const previous = last.get(stream);
    const revision = previous ? previous.revision + 1n : 0n;
    const eventId = uuidFrom(random);
    const type = TYPES[Math.floor(random() * TYPES.length)] as string;
    const data = canonicalCopy(dataFor(random, i));
    const recordedAt = new Date(start + i * 60_000).toISOString();
    const metadata: Record<string, unknown> = {
      recordedAt,
      occurredAt: recordedAt.slice(0, 10),
      actor: { id: 'office-1', role: 'office' },
      correlationId: uuidFrom(random),
      causationId: uuidFrom(random),
      schemaVersion: 1,
      prevHash: previous?.hash ?? GENESIS_HASH,
    };
    const hash = eventHash({ eventId, stream, revision, type, data, metadata });
    last.set(stream, { revision, hash });
    // stored as the ledger stores them: data and metadata in canonical key order
    out.push({ stream, event: { eventId, type, data, metadata: canonicalCopy({ ...metadata, hash }) } });
  }
  return out;
}

/** Appends the events one by one through the store, each with the expectation it must meet. */
export async function appendAll(store: EmbeddedEventStore, events: ReturnType<typeof chainedEvents>): Promise<void> {
  const revisions = new Map<string, bigint>();
  for (const { stream, event } of events) {
    const current = revisions.get(stream);
    await store.append(stream, [event], current === undefined ? 'no-stream' : current);
    revisions.set(stream, (current ?? -1n) + 1n);
  }
}

export async function readLog(store: EmbeddedEventStore): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}

/** A temp directory with a ledger file holding `count` chained events, and a raw connection for tampering. */
export async function storedLedger(count: number, streams = 5, seed = 1) {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-integrity-'));
  const path = join(directory, 'ledger.db');
  const store = await openEmbeddedStore({ path });
  const events = chainedEvents(count, streams, seed);
  await appendAll(store, events);
  const raw = new Database(path);
  raw.pragma('synchronous = OFF');
  return {
    directory,
    path,
    store,
    events,
    raw,
    async cleanup(): Promise<void> {
      raw.close();
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
