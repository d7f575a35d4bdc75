import { LRUCache } from 'lru-cache';
import { decryptValue, encryptValue, isEncrypted } from './cipher';
import { personalDataByEventType, type SubjectHolder } from './personal-fields';
import type { SubjectKeyStore } from './subject-key-store';

type Holder = Record<string, unknown> & { subjectId?: unknown };

function holderAt(data: unknown, path: readonly string[]): Holder | undefined {
  let node = data;
  for (const step of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[step];
  }
  return node !== null && typeof node === 'object' ? (node as Holder) : undefined;
}

function copyAlong(data: unknown, path: readonly string[]): { root: unknown; holder: Holder | undefined } {
  if (data === null || typeof data !== 'object') return { root: data, holder: undefined };
  const root = { ...(data as Record<string, unknown>) };
  let node: Record<string, unknown> = root;
  for (const step of path) {
    const next = node[step];
    if (next === null || typeof next !== 'object') return { root, holder: undefined };
    node = node[step] = { ...(next as Record<string, unknown>) };
  }
  return { root, holder: node };
}

/** Whether the object names its subject and holds a personal field not yet encrypted. */
function hasPlainField(holder: Holder | undefined, fields: readonly string[]): boolean {
  if (!holder || typeof holder.subjectId !== 'string') return false;
  return fields.some((field) => typeof holder[field] === 'string' && !isEncrypted(holder[field]));
}

/** A copy of the data with the holder's plain personal fields encrypted under its subject's key (from `keys`). */
function encryptHolder(data: unknown, spec: SubjectHolder, keys: ReadonlyMap<string, Buffer>): unknown {
  const { root, holder } = copyAlong(data, spec.path);
  if (!holder || typeof holder.subjectId !== 'string') return data;
  const subjectId = holder.subjectId;
  for (const field of spec.fields) {
    const value = holder[field];
    if (typeof value === 'string' && !isEncrypted(value)) holder[field] = encryptValue(keys.get(subjectId)!, subjectId, value);
  }
  return root;
}

/**
 * Crypto-shredding: encrypts each data subject's personal fields with the subject's own key before the ledger hashes
 * and stores the event, and reveals them for readers who may see them. Once the key is erased, the stored ciphertext
 * is noise: every hash, chain and proof stays valid, and the data reads as erased.
 */
export class PersonalDataProtector {
  private readonly revealed: RevealedValues;

  constructor(
    private readonly keys: SubjectKeyStore,
    options: { cachedSubjects?: number } = {},
  ) {
    this.revealed = new RevealedValues(options.cachedSubjects ?? CACHED_SUBJECTS);
  }

  /**
   * The event's data with every personal field encrypted (a copy; data without personal fields is returned as is).
   * Asynchronous because a new subject's key must be on disk before ciphertext under it exists: the keys of all the
   * event's subjects are asked for together, so that they share the key store's group commit.
   */
  async protect(type: string, data: unknown): Promise<unknown> {
    const holders = personalDataByEventType.get(type);
    if (!holders) return data;
    const toEncrypt = holders.filter((spec) => hasPlainField(holderAt(data, spec.path), spec.fields));
    if (toEncrypt.length === 0) return data;
    const subjectIds = [...new Set(toEncrypt.map((spec) => holderAt(data, spec.path)!.subjectId as string))];
    const found = await Promise.all(subjectIds.map((id) => this.keys.keyFor(id)));
    const keys = new Map(subjectIds.map((id, i) => [id, found[i]!]));
    let result = data;
    for (const spec of toEncrypt) result = encryptHolder(result, spec, keys);
    return result;
  }

  /**
   * A person-holding object as a privileged reader sees it: the fields decrypted, or every personal field null and
   * `erased: true` once the subject's key is gone. Never throws.
   */
  reveal<T extends Holder>(holder: T, fields: readonly string[]): T & { erased?: true } {
    const subjectId = typeof holder.subjectId === 'string' ? holder.subjectId : undefined;
    // asked of the key store on every reveal, cached values or not: an erased key (here or by another process, see
    // Installation.applyErasure) makes the data unreadable at once, and drops what was kept of it
    const key = subjectId ? this.keys.get(subjectId) : undefined;
    const values = subjectId ? this.revealed.of(subjectId, key) : undefined;
    const out: Record<string, unknown> = { ...holder };
    let erased = false;
    for (const field of fields) {
      const value = holder[field];
      if (!isEncrypted(value)) continue;
      let plain = values?.get(value);
      if (plain === undefined && key && subjectId) {
        plain = decryptValue(key, subjectId, value);
        if (plain !== undefined && values) remember(values, value, plain);
      }
      if (plain === undefined) erased = true;
      out[field] = plain ?? null;
    }
    if (erased) for (const field of fields) if (field in out) out[field] = null;
    return (erased ? { ...out, erased: true } : out) as T & { erased?: true };
  }

  /**
   * Drops what was kept of a subject's decrypted values. Not needed for erasure to take effect (reveal asks the key
   * store every time), only so that the plaintext leaves this process's memory without waiting for the next read.
   */
  forget(subjectId: string): void {
    this.revealed.forget(subjectId);
  }

  /** How many subjects' decrypted values are kept now (for tests of the bound and of erasure). */
  get cachedSubjects(): number {
    return this.revealed.size;
  }

  /** Reveals every personal field of an event's data (for readers of raw events who may see personal data). */
  revealEvent(type: string, data: unknown): unknown {
    const holders = personalDataByEventType.get(type);
    if (!holders) return data;
    let result = data;
    for (const spec of holders) {
      const { root, holder } = copyAlong(result, spec.path);
      if (!holder) continue;
      Object.assign(holder, this.reveal(holderAt(result, spec.path)!, spec.fields));
      result = root;
    }
    return result;
  }
}

/**
 * Decrypting a value (AES-256-GCM: a decipher per value) costs tens of microseconds; a read of a partner with its
 * contact decrypts two or three. Decrypted values are kept per subject, least recently read subjects dropped first.
 * 10,000 subjects of a few short strings each are a few MB.
 */
const CACHED_SUBJECTS = 10_000;
/** A subject's values: its current ones and a few older ones that asOf reads show (a corrected name, a new address). */
const VALUES_PER_SUBJECT = 16;

interface SubjectValues {
  /** the key the values were decrypted with: kept values are used only while the key store holds that key */
  key: Buffer;
  /** ciphertext → plaintext */
  values: Map<string, string>;
}

class RevealedValues {
  private readonly subjects: LRUCache<string, SubjectValues> | undefined;

  constructor(capacity: number) {
    this.subjects = capacity > 0 ? new LRUCache({ max: capacity }) : undefined;
  }

  get size(): number {
    return this.subjects?.size ?? 0;
  }

  /** The subject's kept values, to look up and add to; undefined (and nothing kept) when it has no key. */
  of(subjectId: string, key: Buffer | undefined): Map<string, string> | undefined {
    if (!this.subjects) return undefined;
    if (!key) {
      this.subjects.delete(subjectId);
      return undefined;
    }
    const kept = this.subjects.get(subjectId);
    // the same key is the same Buffer while the key store caches it; compared by content should that change
    if (kept && (kept.key === key || kept.key.equals(key))) return kept.values;
    const entry = { key, values: new Map<string, string>() };
    this.subjects.set(subjectId, entry);
    return entry.values;
  }

  forget(subjectId: string): void {
    this.subjects?.delete(subjectId);
  }
}

function remember(values: Map<string, string>, ciphertext: string, plaintext: string): void {
  if (values.size >= VALUES_PER_SUBJECT) values.delete(values.keys().next().value!);
  values.set(ciphertext, plaintext);
}
