import canonicalize from 'canonicalize';

/** RFC 8785 (JCS) canonical JSON: the bytes every hash and signature of the ledger is computed over. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON form');
  return text;
}

/**
 * A value's canonical JSON and a copy of it with the keys of every object in canonical order: what the ledger
 * hashes and what it stores, made with one native serialisation. JCS sorts keys by UTF-16 code units and
 * serialises strings and numbers as ECMAScript's JSON.stringify does, so `JSON.stringify` of the sorted copy is the
 * canonical JSON (a property test holds it to `canonicalJson`). Not where an object has a key that is an array index
 * ("2", "10"): JavaScript orders those first, by number, whatever the insertion order, so such a value takes the
 * library's serialiser, and its copy (parsed back) no longer stringifies canonically; hashes are taken over the
 * canonical text, never over stored bytes, so nothing depends on it. Values with `toJSON` (a Date) are left for
 * JSON.stringify, as JCS does.
 */
export function canonicalForm(value: unknown): { json: string; copy: unknown } {
  const copy = sortedCopy(value);
  if (copy === UNSORTABLE) {
    const json = canonicalJson(value);
    return { json, copy: JSON.parse(json) };
  }
  const json = JSON.stringify(copy) as string | undefined;
  if (json === undefined) throw new TypeError('value has no JSON form');
  return { json, copy };
}

const UNSORTABLE = Symbol('an object with an array-index key or __proto__');
const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = sortedCopy(value[i]);
      if (item === UNSORTABLE) return UNSORTABLE;
      copy[i] = item;
    }
    return copy;
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (ARRAY_INDEX.test(key) || key === '__proto__') return UNSORTABLE; // `copy.__proto__ =` would set no key
    const item = sortedCopy((value as Record<string, unknown>)[key]);
    if (item === UNSORTABLE) return UNSORTABLE;
    copy[key] = item;
  }
  return copy;
}

/** A deep copy with the keys in canonical order (see canonicalForm). */
export function canonicalCopy<T>(value: T): T {
  return canonicalForm(value).copy as T;
}
