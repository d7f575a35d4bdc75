import { createHash } from 'node:crypto';
import { problems } from './problems';

/** The request headers the API gives meaning to, parsed in one place. */

const MAX_REVISION = 2n ** 63n - 1n;

/**
 * `If-Match: "<revision>"` (quoted as an ETag, or bare) → the revision the caller last saw. -1 means "the stream
 * does not exist yet" (the ledger's expectation for a create). `*`, weak tags, lists and anything else are 400:
 * the API serves strong ETags of one revision only, so nothing else can be meant.
 */
export function parseIfMatch(header: string | undefined): bigint | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*(?:"(-1|0|[1-9]\d{0,18})"|(-1|0|[1-9]\d{0,18}))\s*$/.exec(header);
  const text = m?.[1] ?? m?.[2];
  const revision = text === undefined ? undefined : BigInt(text);
  if (revision === undefined || revision > MAX_REVISION) {
    throw problems.badRequest('If-Match must be one revision as the ETag gives it, e.g. "3" (or "-1" for a stream that does not exist yet)', [
      { path: 'If-Match', message: 'expected a quoted revision such as "3"' },
    ]);
  }
  return revision;
}

/** The strong ETag of a stream at a revision. */
export function etagOf(revision: bigint): string {
  return `"${revision}"`;
}

/** 1–200 printable ASCII characters, not starting or ending with a space. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e](?:[\x20-\x7e]{0,198}[\x21-\x7e])?$/;

export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(header)) {
    throw problems.badRequest('Idempotency-Key must be 1 to 200 printable ASCII characters', [
      { path: 'Idempotency-Key', message: 'expected 1 to 200 printable ASCII characters' },
    ]);
  }
  return header;
}

/**
 * The key handed to the ledger (and to newEntityId): the caller's key scoped to the caller, so two callers who
 * happen to pick the same key never share event ids. A hash, so it fits the ledger's 200 characters whatever the
 * caller id and key are.
 */
export function ledgerIdempotencyKey(callerId: string, idempotencyKey: string): string {
  return createHash('sha256').update(`${callerId}\u0000${idempotencyKey}`, 'utf8').digest('hex');
}

/** A client's correlation id is taken when it is a plain token; anything else gets a fresh one. */
const CORRELATION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

export function acceptableCorrelationId(header: string | undefined): string | undefined {
  return header !== undefined && CORRELATION_ID.test(header) ? header : undefined;
}
