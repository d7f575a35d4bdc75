import { v4 as uuidv4, v5 as uuidv5 } from 'uuid';

/** Namespace of the ledger's name-based (v5) ids. Fixed forever: changing it breaks idempotent retries. */
const LEDGER_NAMESPACE = '3f0c5d0e-6b1a-4f4e-9a57-8c2d1e7b9f10';

/**
 * Deterministic event ids for a command carrying an idempotency key: UUID v5 of the key and the event's index,
 * so a retried command produces the same ids and the ledger can see it was already appended.
 */
export function eventIdFor(idempotencyKey: string, index: number): string {
  return uuidv5(`${idempotencyKey}/event/${index}`, LEDGER_NAMESPACE);
}

/** An id that a command creates (a partner's, a meeting's …): deterministic under an idempotency key, else random. */
export function newEntityId(idempotencyKey: string | undefined, purpose = 'id'): string {
  return idempotencyKey ? uuidv5(`${idempotencyKey}/${purpose}`, LEDGER_NAMESPACE) : uuidv4();
}

export function randomId(): string {
  return uuidv4();
}
