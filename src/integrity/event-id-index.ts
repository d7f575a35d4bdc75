/**
 * Event ids in log order, with a lookup from id to its place in the log, in about 24 bytes an event: each id as
 * the four 32-bit words of its UUID in one Int32Array, and an open-addressing hash table of indices kept at most half
 * full. A Map<string, number> takes about 85 bytes an event (measured with 10^6 ids: 29 for the Map, 56 for the
 * 36-character strings it keeps alive), held for ever by the digest projection.
 *
 * Ids that are not lowercase canonical UUIDs (the ledger writes none, but the embedded store takes uppercase ones)
 * go into a small Map instead, so a lookup keeps the store's exact-string meaning: an id matches only as written.
 */

const WORDS = 4;
const MIN_CAPACITY = 1024;

export class EventIdIndex {
  private count = 0;
  private words = new Int32Array(MIN_CAPACITY * WORDS);
  /** index + 1 of an id, 0 for an empty slot; the length a power of two */
  private slots = new Int32Array(2 * MIN_CAPACITY);
  /** the first index of every irregular id */
  private readonly irregular = new Map<string, number>();
  /** every index that holds an irregular id (later duplicates included), with the id */
  private readonly irregularAt = new Map<number, string>();
  private readonly probe = new Int32Array(WORDS);

  get size(): number {
    return this.count;
  }

  /** Bytes held by the typed arrays (spare capacity included), not counting irregular ids. */
  get allocatedBytes(): number {
    return this.words.byteLength + this.slots.byteLength;
  }

  /**
   * Appends the id of the next event in the log. Returns the index of an earlier event with the same id (which
   * keeps the lookup), or -1 when the id is new.
   */
  push(eventId: string): number {
    const index = this.count;
    this.reserve(index + 1);
    this.count = index + 1;
    if (parseUuid(eventId, this.words, index * WORDS)) return this.insert(index);
    const earlier = this.irregular.get(eventId);
    if (earlier === undefined) this.irregular.set(eventId, index);
    this.irregularAt.set(index, eventId);
    this.words.fill(0, index * WORDS, (index + 1) * WORDS);
    return earlier ?? -1;
  }

  /** The index of the first event with this id, or -1. */
  indexOf(eventId: string): number {
    if (typeof eventId !== 'string') return -1;
    if (!parseUuid(eventId, this.probe, 0)) return this.irregular.get(eventId) ?? -1;
    const p = this.probe;
    const a = p[0] as number;
    const b = p[1] as number;
    const c = p[2] as number;
    const d = p[3] as number;
    const mask = this.slots.length - 1;
    for (let slot = mix(a ^ b ^ c ^ d) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] as number;
      if (entry === 0) return -1;
      if (this.equals(entry - 1, a, b, c, d)) return entry - 1;
    }
  }

  /** The ids for a snapshot: the count (u64), each id's 16 UUID bytes, then the irregular ids as JSON [index, id]. */
  toBuffer(): Buffer {
    const irregular = Buffer.from(JSON.stringify([...this.irregularAt]), 'utf8');
    const idBytes = this.count * WORDS * 4;
    const out = Buffer.alloc(8 + idBytes + 4 + irregular.length);
    out.writeBigUInt64BE(BigInt(this.count), 0);
    for (let i = 0; i < this.count * WORDS; i++) out.writeInt32BE(this.words[i] as number, 8 + 4 * i);
    out.writeUInt32BE(irregular.length, 8 + idBytes);
    irregular.copy(out, 12 + idBytes);
    return out;
  }

  /** Rebuilds an index from `toBuffer()`'s bytes; throws RangeError when they do not fit together. */
  static fromBuffer(data: Buffer): EventIdIndex {
    const fail = (why: string): never => {
      throw new RangeError(`not a saved event-id index: ${why}`);
    };
    if (data.length < 12) fail('too short');
    const count64 = data.readBigUInt64BE(0);
    if (count64 > BigInt(Math.floor((data.length - 12) / (WORDS * 4)))) fail('count larger than the data');
    const count = Number(count64);
    const irregularOffset = 8 + count * WORDS * 4;
    if (irregularOffset + 4 + data.readUInt32BE(irregularOffset) !== data.length) fail('length does not match');
    const irregular = new Map<number, string>();
    for (const [i, id] of parseIrregular(data.toString('utf8', irregularOffset + 4), fail)) {
      if (i >= count || parseUuid(id, new Int32Array(WORDS), 0)) fail(`malformed irregular id at ${i}`);
      irregular.set(i, id);
    }

    const index = new EventIdIndex();
    index.reserve(count);
    for (let i = 0; i < count * WORDS; i++) index.words[i] = data.readInt32BE(8 + 4 * i);
    for (let i = 0; i < count; i++) {
      index.count = i + 1;
      const id = irregular.get(i);
      if (id === undefined) {
        index.insert(i);
      } else {
        if (!index.irregular.has(id)) index.irregular.set(id, i);
        index.irregularAt.set(i, id);
      }
    }
    return index;
  }

  /** Puts the id at `index` into the table unless an equal id is there; returns that earlier index or -1. */
  private insert(index: number): number {
    const w = this.words;
    const at = index * WORDS;
    const a = w[at] as number;
    const b = w[at + 1] as number;
    const c = w[at + 2] as number;
    const d = w[at + 3] as number;
    const mask = this.slots.length - 1;
    for (let slot = mix(a ^ b ^ c ^ d) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] as number;
      if (entry === 0) {
        this.slots[slot] = index + 1;
        return -1;
      }
      if (this.equals(entry - 1, a, b, c, d)) return entry - 1;
    }
  }

  private equals(index: number, a: number, b: number, c: number, d: number): boolean {
    const w = this.words;
    const at = index * WORDS;
    return w[at] === a && w[at + 1] === b && w[at + 2] === c && w[at + 3] === d;
  }

  /** Room for `count` ids, the table at most half full (rebuilt when it grows). */
  private reserve(count: number): void {
    if (count * WORDS > this.words.length) {
      const grown = new Int32Array(Math.max(count, Math.floor((this.words.length / WORDS) * 1.5)) * WORDS);
      grown.set(this.words.subarray(0, this.count * WORDS));
      this.words = grown;
    }
    if (count * 2 > this.slots.length) {
      let capacity = this.slots.length;
      while (count * 2 > capacity) capacity *= 2;
      this.slots = new Int32Array(capacity);
      for (let i = 0; i < this.count; i++) if (!this.irregularAt.has(i)) this.insert(i);
    }
  }
}

/**
 * Writes the UUID's 128 bits as four big-endian words into `out` at `at`, if `id` is a lowercase canonical UUID
 * (8-4-4-4-12 hex digits); false otherwise. By hand, since a regex test and a hex decode cost more than the lookup.
 */
function parseUuid(id: string, out: Int32Array, at: number): boolean {
  if (id.length !== 36) return false;
  let word = 0;
  let digits = 0;
  let w = at;
  for (let i = 0; i < 36; i++) {
    const c = id.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 0x2d) return false;
      continue;
    }
    let v: number;
    if (c >= 0x30 && c <= 0x39) v = c - 0x30;
    else if (c >= 0x61 && c <= 0x66) v = c - 0x57;
    else return false;
    word = (word << 4) | v;
    if (++digits === 8) {
      out[w++] = word;
      word = 0;
      digits = 0;
    }
  }
  return true;
}

/** murmur3's finaliser: spreads the xor of the four words, also for v1/v7 ids whose leading bytes barely change. */
function mix(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function parseIrregular(text: string, fail: (why: string) => never): Array<[number, string]> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    fail('irregular ids are not JSON');
  }
  if (!Array.isArray(value)) fail('irregular ids are not a list');
  return (value as unknown[]).map((entry) => {
    const [i, id] = Array.isArray(entry) ? (entry as unknown[]) : [];
    if (!Number.isSafeInteger(i) || (i as number) < 0 || typeof id !== 'string') fail('malformed irregular id');
    return [i as number, id as string];
  });
}
