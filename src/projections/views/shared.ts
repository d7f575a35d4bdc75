import type { Actor } from '../../domain/shared/decider';
import { isEncrypted } from '../../privacy/cipher';
import type { KeptEvent } from '../entity';
import type { Listed } from '../entity';

/**
 * A person-holding object (a contact, a member's or deputy's `person`) with its personal `fields` decrypted for a
 * privileged reader, or all of them null and `erased: true` once the subject's key is gone; never throws. What
 * PersonalDataProtector.reveal does: the read models hold personal data only encrypted, as the log does.
 */
export type RevealPersonalData = <T extends Record<string, unknown>>(holder: T, fields: readonly string[]) => T & { erased?: true };

/** Who reads: personal data (contact persons, names of board members and deputies) only when the API allows it. */
export interface ViewOptions {
  withPersonalData?: boolean;
  /** how personal data is decrypted; without it, encrypted values read null (plain ones, as unprotected tests write, as they are) */
  reveal?: RevealPersonalData;
}

/** A page of a list, as the API counts it: `page` from 1, `limit` items. */
export interface PageRequest {
  page: number;
  limit: number;
}

export interface ListResult<T> {
  /** how many items match, on every page */
  total: number;
  items: T[];
}

/**
 * Newest first (by the facets' key: day, then id, both descending), and the JSON of the requested page only: a list
 * of 100,000 partners costs a pass over their facets and a selection of the page, not 100,000 views or a sort.
 */
export function newestFirst<S, T>(items: Listed<S>[], build: (item: Listed<S>) => T, request?: PageRequest): ListResult<T> {
  const total = items.length;
  if (!request) return { total, items: sortDescending(items).map(build) };
  const from = (request.page - 1) * request.limit;
  const upTo = Math.min(total, request.page * request.limit);
  if (from >= upTo) return { total, items: [] };
  const top = upTo * 4 >= total ? sortDescending(items).slice(0, upTo) : greatest(items, upTo);
  return { total, items: top.slice(from, upTo).map(build) };
}

function sortDescending<S>(items: Listed<S>[]): Listed<S>[] {
  return items.sort((a, b) => (a.facets.key < b.facets.key ? 1 : a.facets.key > b.facets.key ? -1 : 0));
}

/** The k items with the greatest keys, greatest first: a min-heap of k, so O(n log k). */
function greatest<S>(items: readonly Listed<S>[], k: number): Listed<S>[] {
  const heap: Listed<S>[] = [];
  const less = (i: number, j: number) => heap[i]!.facets.key < heap[j]!.facets.key;
  const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j]!, heap[i]!]);
  const down = (from: number) => {
    for (let i = from; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(l, m)) m = l;
      if (r < heap.length && less(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  // lists come in the order of first events, roughly oldest first: from the end, most items fail the first test
  for (let n = items.length - 1; n >= 0; n--) {
    const item = items[n]!;
    if (heap.length < k) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0 && less(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
    } else if (item.facets.key > heap[0]!.facets.key) {
      heap[0] = item;
      down(0);
    }
  }
  return sortDescending(heap);
}

export interface PersonJson {
  subjectId?: string;
  name?: string | null;
  erased?: true;
}

/** The personal fields of a named person and of a partner's contact person (src/domain/shared/personal.ts). */
export const PERSON_FIELDS = ['name'] as const;
export const CONTACT_FIELDS = ['name', 'email', 'phone'] as const;

/**
 * A person-holding object as this reader may see it: decrypted by `reveal`, else with every encrypted field null
 * (ciphertext is never shown as if it were a name).
 */
export function shownPerson(person: unknown, fields: readonly string[], options: ViewOptions): Record<string, unknown> & { erased?: true } {
  const holder = person !== null && typeof person === 'object' ? (person as Record<string, unknown>) : {};
  if (options.reveal) return options.reveal(holder, fields);
  const out = { ...holder };
  for (const field of fields) if (isEncrypted(out[field])) out[field] = null;
  return out;
}

export function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * A person's data for a privileged reader: the name with the person's subjectId; after erasure (crypto-shredding)
 * the name reads null and the object says so. Nothing at all for anyone else.
 */
export function personFields(person: unknown, options: ViewOptions): PersonJson {
  if (!options.withPersonalData) return {};
  const p = shownPerson(person, PERSON_FIELDS, options);
  const subjectId = typeof p.subjectId === 'string' ? p.subjectId : undefined;
  if (p.erased === true) return { ...(subjectId && { subjectId }), name: null, erased: true };
  return { ...(subjectId && { subjectId }), name: textOrNull(p.name) };
}

export interface TrailEntryJson {
  type: string;
  occurredAt: string;
  recordedAt: string;
  actor: Actor;
  position: string;
  eventId: string;
}

/** The audit trail: every event of the entity inside the cut, in log order. */
export function trailOf(events: readonly KeptEvent[]): TrailEntryJson[] {
  return events.map((e) => ({
    type: e.type,
    occurredAt: e.occurredAt,
    recordedAt: e.recordedAt,
    actor: { id: e.actor.id, role: e.actor.role },
    position: e.position.toString(),
    eventId: e.eventId,
  }));
}

/** A deep copy of a JSON value held in a read model, so that a caller cannot change the model through an answer. */
export function copy<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

/** Only the keys whose value is defined: optional fields are left out of the JSON, not written as undefined. */
export function defined<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}
