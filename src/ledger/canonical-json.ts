import canonicalize from 'canonicalize';

/** RFC 8785 (JCS) canonical JSON: the bytes every hash and signature of the ledger is computed over. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON form');
  return text;
}

/**
 * A deep copy with keys in canonical order. `JSON.stringify` of the copy equals its canonical JSON (JCS uses
 * ECMAScript's number and string serialisation), so a store that saves JSON.stringify(value) saves the canonical bytes.
 */
export function canonicalCopy<T>(value: T): T {
  return JSON.parse(canonicalJson(value)) as T;
}
