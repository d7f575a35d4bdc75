import * as crypto from 'node:crypto';
import { eventHash, type HashedContent } from '../ledger/hash-chain';

/**
 * `eventHash` for verifiers that hash every event of the log, a few times faster than the reference
 * (src/ledger/hash-chain.ts), which copies the content into a new object and serialises it value by value.
 *
 * The ledger stores data and metadata in canonical key order, and for a JSON value whose objects all enumerate their
 * keys in RFC 8785 order (UTF-16 code units) JSON.stringify writes exactly the canonical JSON: JCS takes its string
 * escaping and number format from ECMAScript, and JSON.stringify enumerates keys as Object.keys does. So a cheap walk
 * checks the order and the plain-JSON shape, and V8's native JSON.stringify does the writing. Anything else (keys out
 * of order, a Date, undefined, NaN) goes to the reference, so both always agree.
 */

const sha256: (text: string) => Buffer =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'buffer')
    : (text) => crypto.createHash('sha256').update(text, 'utf8').digest();

/** The event hash as 32 bytes: the same value as `eventHash(event)`, for every input. */
export function computeEventHashBytes(event: HashedContent): Buffer {
  const text = canonicalEventText(event);
  return text === undefined ? Buffer.from(eventHash(event), 'hex') : sha256(text);
}

/** The event hash as lowercase hex: the same value as `eventHash(event)`, for every input. */
export function computeEventHash(event: HashedContent): string {
  return computeEventHashBytes(event).toString('hex');
}

/** The canonical JSON that `eventHash` hashes, when the fast path applies; undefined when it does not. */
function canonicalEventText(event: HashedContent): string | undefined {
  const { eventId, stream, type, data, metadata } = event;
  if (typeof eventId !== 'string' || typeof stream !== 'string' || typeof type !== 'string') return undefined;
  if (!isPlainObject(metadata) || !inCanonicalOrder(data)) return undefined;
  const revision = Number(event.revision);
  if (!Number.isFinite(revision)) return undefined;

  const keys = Object.keys(metadata);
  const withoutHash: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (i > 0 && !((keys[i - 1] as string) < key)) return undefined;
    if (key === 'hash') continue;
    const value = metadata[key];
    if (!inCanonicalOrder(value)) return undefined;
    // defineProperty, not assignment: a key "__proto__" must stay an own property, as in JSON.parse's objects
    if (key === '__proto__') Object.defineProperty(withoutHash, key, { value, enumerable: true, writable: true, configurable: true });
    else withoutHash[key] = value;
  }
  // one native JSON.stringify over the content with its keys in canonical order (none of them integer-like, so
  // they enumerate in the order written here)
  return JSON.stringify({ data, eventId, metadata: withoutHash, revision, stream, type });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/**
 * Whether JSON.stringify(value) is the canonical JSON of value: a plain JSON value (null, boolean, finite number,
 * string, dense array, plain object) whose every object enumerates its keys in strictly ascending UTF-16 order.
 */
function inCanonicalOrder(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          if (!(i in value) || !inCanonicalOrder(value[i])) return false;
        }
        return true;
      }
      if (!isPlainObject(value)) return false;
      const keys = Object.keys(value);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        if (i > 0 && !((keys[i - 1] as string) < key)) return false;
        if (!inCanonicalOrder(value[key])) return false;
      }
      return true;
    }
    default:
      return false;
  }
}
