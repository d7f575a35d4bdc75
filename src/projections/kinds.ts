import { createHash } from 'node:crypto';
import * as alliance from '../domain/alliance/decider';
import * as board from '../domain/board/decider';
import { eventSchemas } from '../domain/events';
import * as group from '../domain/group/decider';
import * as meeting from '../domain/meeting/decider';
import * as partner from '../domain/partner/decider';
import * as patron from '../domain/patron/decider';
import * as resolution from '../domain/resolution/decider';
import type { DomainEvent } from '../domain/shared/decider';

/**
 * The entity kinds the read models know: one entity per stream, its kind from the stream-name prefix (`partner-…`).
 * An entity's state is its kind's decider state, folded with the decider's own `evolve`: there is no second fold.
 */
export const entityKinds = {
  alliance: { initialState: alliance.initialState, evolve: alliance.evolve },
  patron: { initialState: patron.initialState, evolve: patron.evolve },
  board: { initialState: board.initialState, evolve: board.evolve },
  meeting: { initialState: meeting.initialState, evolve: meeting.evolve },
  resolution: { initialState: resolution.initialState, evolve: resolution.evolve },
  partner: { initialState: partner.initialState, evolve: partner.evolve },
  group: { initialState: group.initialState, evolve: group.evolve },
} as const;

export type EntityKind = keyof typeof entityKinds;
export type StateOf<K extends EntityKind> = (typeof entityKinds)[K]['initialState'];

export interface KindFold<S> {
  initialState: S;
  evolve(state: S, event: DomainEvent): S;
}

export function foldOf<K extends EntityKind>(kind: K): KindFold<StateOf<K>> {
  return entityKinds[kind] as unknown as KindFold<StateOf<K>>;
}

const kindNames = new Set<string>(Object.keys(entityKinds));

/** The kind and id of a stream (`partner-6f1c…` → partner, 6f1c…), or undefined for a stream no read model knows. */
export function entityOfStream(stream: string): { kind: EntityKind; id: string } | undefined {
  const dash = stream.indexOf('-');
  if (dash <= 0) return undefined;
  const kind = stream.slice(0, dash);
  return kindNames.has(kind) ? { kind: kind as EntityKind, id: stream.slice(dash + 1) } : undefined;
}

/** Whether the domain knows the event type; anything else (a future type, another module's) is not folded. */
export function isDomainEventType(type: string): boolean {
  return Object.prototype.hasOwnProperty.call(eventSchemas, type);
}

/**
 * Other entities an event ties its entity to, as `kind:id` keys: what views need to look across streams (a meeting's
 * resolutions, a partner's groups). Links only ever grow; a view still checks the linked entity's state at its cut.
 */
export function referencesOf(kind: EntityKind, type: string, data: unknown): readonly string[] {
  const d = (data ?? {}) as Record<string, unknown>;
  let prefix = '';
  let target: unknown;
  if (kind === 'resolution' && type === 'ResolutionProposed') [prefix, target] = ['meeting:', d.meetingId];
  else if (kind === 'group' && type === 'GroupFormed') [prefix, target] = ['partner:', d.leadPartnerId];
  else if (kind === 'group' && (type === 'GroupMemberJoined' || type === 'GroupLeadChanged')) [prefix, target] = ['partner:', d.partnerId];
  // most events refer to nothing: no array for them (this runs once per event of a replay)
  return typeof target === 'string' && target !== '' ? [prefix + target] : NONE;
}

const NONE: readonly string[] = [];

/**
 * A fingerprint of the folds: a snapshot holds folded states, so a snapshot written by other `evolve` code is not
 * restored (the read models are rebuilt from the log instead). It covers the evolve functions' own text; a change
 * only in a helper they call needs a rebuild (`ledger replay`) or a bump of INDEX_FORMAT.
 */
export const INDEX_FORMAT = 2;
export function foldFingerprint(): string {
  const hash = createHash('sha256').update(String(INDEX_FORMAT));
  for (const [kind, fold] of Object.entries(entityKinds)) {
    hash.update(kind).update(fold.evolve.toString()).update(JSON.stringify(fold.initialState));
  }
  return hash.digest('hex').slice(0, 16);
}
