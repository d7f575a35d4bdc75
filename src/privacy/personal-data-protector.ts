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

/**
 * Crypto-shredding: encrypts each data subject's personal fields with the subject's own key before the ledger hashes
 * and stores the event, and reveals them for readers who may see them. Once the key is erased, the stored ciphertext
 * is noise: every hash, chain and proof stays valid, and the data reads as erased.
 */
export class PersonalDataProtector {
  constructor(private readonly keys: SubjectKeyStore) {}

  /** The event's data with every personal field encrypted (a copy; data without personal fields is returned as is). */
  protect(type: string, data: unknown): unknown {
    const holders = personalDataByEventType.get(type);
    if (!holders) return data;
    let result = data;
    for (const holder of holders) result = this.protectHolder(result, holder);
    return result;
  }

  private protectHolder(data: unknown, spec: SubjectHolder): unknown {
    const { root, holder } = copyAlong(data, spec.path);
    if (!holder || typeof holder.subjectId !== 'string') return data;
    const subjectId = holder.subjectId;
    for (const field of spec.fields) {
      const value = holder[field];
      if (typeof value === 'string' && !isEncrypted(value)) holder[field] = encryptValue(this.keys.keyFor(subjectId), subjectId, value);
    }
    return root;
  }

  /**
   * A person-holding object as a privileged reader sees it: the fields decrypted, or every personal field null and
   * `erased: true` once the subject's key is gone. Never throws.
   */
  reveal<T extends Holder>(holder: T, fields: readonly string[]): T & { erased?: true } {
    const subjectId = typeof holder.subjectId === 'string' ? holder.subjectId : undefined;
    const key = subjectId ? this.keys.get(subjectId) : undefined;
    const out: Record<string, unknown> = { ...holder };
    let erased = false;
    for (const field of fields) {
      const value = holder[field];
      if (!isEncrypted(value)) continue;
      const plain = key && subjectId ? decryptValue(key, subjectId, value) : undefined;
      if (plain === undefined) erased = true;
      out[field] = plain ?? null;
    }
    if (erased) for (const field of fields) if (field in out) out[field] = null;
    return (erased ? { ...out, erased: true } : out) as T & { erased?: true };
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
