import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { canonicalJson } from '../ledger/canonical-json';
import type { IdempotencyStore, StoredAnswer } from './idempotency-store';
import { problems } from './problems';
import type { Reply } from './replies';

/**
 * Idempotent writes: the first successful answer to (caller, Idempotency-Key) is stored and every retry gets it
 * again without running the handler. A key reused for another request (method, path or body differ) is 422.
 * Failed writes are not stored: nothing was appended, so a retry may run again (and the ledger's deterministic
 * event ids make a write that did append but was not answered come out the same).
 */
export class IdempotentWrites {
  /** requests in flight per (caller, key): a concurrent retry waits for the first instead of racing it */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly store: IdempotencyStore) {}

  async run(callerId: string, key: string, requestHash: string, handle: () => Promise<Reply>): Promise<Reply> {
    const slot = `${callerId}\u0000${key}`;
    for (let pending = this.inFlight.get(slot); pending; pending = this.inFlight.get(slot)) {
      await pending.catch(() => undefined);
    }
    const previous = this.store.find(callerId, key);
    if (previous) return replay(previous, requestHash);

    const work = (async () => {
      const reply = await handle();
      if (reply.kind !== 'json' || reply.status < 200 || reply.status > 299) return reply;
      const stored = this.store.remember(callerId, key, {
        requestHash,
        status: reply.status,
        headers: reply.headers,
        body: JSON.stringify(reply.body ?? null),
      });
      // another process may have stored an answer for this key first: that one is the answer
      return stored.requestHash === requestHash && stored.body === JSON.stringify(reply.body ?? null) ? reply : replay(stored, requestHash);
    })();
    this.inFlight.set(slot, work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(slot);
    }
  }
}

function replay(answer: StoredAnswer, requestHash: string): Reply {
  if (answer.requestHash !== requestHash) throw problems.idempotencyKeyReused();
  return {
    kind: 'json',
    status: answer.status,
    body: JSON.parse(answer.body) as unknown,
    headers: { ...answer.headers, 'Idempotent-Replayed': 'true' },
  };
}

/** The fingerprint of a write: method, path with query, and the body as canonical JSON (whitespace and key order do not matter). */
export function requestFingerprint(req: Request, body: unknown): string {
  return createHash('sha256')
    .update(`${req.method} ${req.originalUrl}\n${body === undefined ? '' : canonicalOrPlain(body)}`, 'utf8')
    .digest('hex');
}

/** JCS refuses what JSON.parse can yield but not write back (1e400 → Infinity): such a body is fingerprinted as parsed. */
function canonicalOrPlain(body: unknown): string {
  try {
    return canonicalJson(body);
  } catch {
    return JSON.stringify(body);
  }
}
