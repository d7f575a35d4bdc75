import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** prevHash of the first event of every stream. */
export const GENESIS_HASH = '0'.repeat(64);

/** What is hashed: the event with its metadata, `hash` left out. */
export interface HashedContent {
  eventId: string;
  stream: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
}

/** SHA-256 over the RFC 8785 canonical JSON of {eventId, stream, revision, type, data, metadata without hash}. */
export function eventHash(event: HashedContent): string {
  const { hash: _ignored, ...metadata } = event.metadata;
  const content = {
    eventId: event.eventId,
    stream: event.stream,
    revision: Number(event.revision),
    type: event.type,
    data: event.data,
    metadata,
  };
  return createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex');
}

/**
 * eventHash for content whose data and metadata (hash left out) the caller holds as canonical JSON text already, as
 * the ledger does when it envelopes an event: the same value, without serialising them a second time. The keys of
 * the content are written in RFC 8785 order (data, eventId, metadata, revision, stream, type); JCS serialises strings
 * and numbers as JSON.stringify does.
 */
export function eventHashOfCanonical(parts: { eventId: string; stream: string; revision: bigint; type: string; dataJson: string; metadataJson: string }): string {
  const text =
    `{"data":${parts.dataJson},"eventId":${JSON.stringify(parts.eventId)},"metadata":${parts.metadataJson},` +
    `"revision":${JSON.stringify(Number(parts.revision))},"stream":${JSON.stringify(parts.stream)},"type":${JSON.stringify(parts.type)}}`;
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface ChainBreak {
  stream: string;
  revision: bigint;
  eventId: string;
  reason: 'hash-mismatch' | 'prev-hash-mismatch' | 'revision-gap';
}

/**
 * Checks one stream's events, in revision order, against their hashes and the chain of prevHash.
 * Returns the first break, or undefined when the chain is intact.
 */
export function findChainBreak(events: Iterable<HashedContent & { metadata: Record<string, unknown> }>): ChainBreak | undefined {
  let prev = GENESIS_HASH;
  let expectedRevision = 0n;
  for (const event of events) {
    const at = { stream: event.stream, revision: event.revision, eventId: event.eventId };
    if (event.revision !== expectedRevision) return { ...at, reason: 'revision-gap' };
    if (event.metadata.prevHash !== prev) return { ...at, reason: 'prev-hash-mismatch' };
    const hash = eventHash(event);
    if (event.metadata.hash !== hash) return { ...at, reason: 'hash-mismatch' };
    prev = hash;
    expectedRevision += 1n;
  }
  return undefined;
}
