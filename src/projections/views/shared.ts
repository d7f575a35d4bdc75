import type { Actor } from '../../domain/shared/decider';
import { isEncrypted } from '../../privacy/cipher';
import type { KeptEvent } from '../entity';
import type { ListedAt, ListedItem, PageRequest } from '../listed-at';

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

export type { PageRequest } from '../listed-at';

export interface ListResult<T> {
  /** how many items match, on every page */
  total: number;
  items: T[];
}

/** Newest first (see ListedAt), the JSON of the requested page only. */
export function newestFirst<S, T>(listed: ListedAt<S>, build: (item: ListedItem<S>) => T, request?: PageRequest): ListResult<T> {
  return { total: listed.total, items: listed.newestFirst(request).map(build) };
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
