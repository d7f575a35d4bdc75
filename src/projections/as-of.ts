/**
 * Two kinds of time on every read model (DOMAIN.md, "Two times on every fact"); this is what the API's `asOf` and
 * `knownAt` mean.
 *
 * The state as of day D known at instant T is the fold, in log order, of the events with
 *   recordedAt ≤ T   and   effective day ≤ D,   where the effective day is berlinDate(metadata.occurredAt).
 * Without `knownAt` every event recorded so far counts; without `asOf` every event counts whatever its day.
 *
 * Period fields (board members' and deputies' terms, the rules in force, patron terms, group memberships, seats
 * used) are then evaluated on the view day:
 *   - D, when `asOf` is given;
 *   - else berlinDate(T), when `knownAt` is given: the answer the ledger would have given at T;
 *   - else today (Europe/Berlin).
 *
 * So `asOf` alone answers "who sat on the board on 12.09.2025, as we know it today", `knownAt` alone "what did the
 * ledger say on 01.10.2025", and both "what did the ledger, on 01.10.2025, say about 12.09.2025". A back-dated entry
 * (recorded late, effective early) shows up in `asOf` answers for its day but not in `knownAt` answers before it was
 * recorded. A correction is a new event, so it too is seen from its own recordedAt and day on.
 *
 * An entity exists at a cut when its fold there is not its kind's initial state. The effective days are the
 * occurredAt the deciders give their events: a member appointed from a later day appears from that day; a meeting
 * is scheduled with occurredAt = its meeting day, so an asOf before the meeting day does not show it yet.
 *
 * The answer never needs a replay of the log: an entity whose events all fall inside the cut answers with its
 * current state, one with none inside is absent, and only the rest is refolded from its kept events, starting at
 * the latest of its checkpoints that lies wholly inside the cut. That is the same fold as a full replay cut there,
 * because each stream's state depends only on that stream's events, in log order.
 *
 * Lists at a cut do not fold at all in the usual case: the index keeps, per event, its effective day, its
 * recordedAt and the facets (status, kind, ordering day) after it in typed arrays (KindColumns), so an entity whose
 * events inside the cut are its first k is listed with its facets after event k. Only an entity with a back-dated
 * event inside the cut after one outside it is refolded. Only the page's entities are then folded for their JSON.
 */
import { berlinDate, type Instant, type IsoDate } from '../domain/shared/dates';
import type { Entity, EntityCheckpoint } from './entity';
import type { KindFold } from './kinds';

export interface Cut {
  /** the state effective on this Berlin calendar day */
  asOf?: IsoDate;
  /** the state as the ledger held it at this instant */
  knownAt?: Instant;
}

/** A cut ready for the index: the bounds as comparable values, and the day period fields are evaluated on. */
export interface ResolvedCut {
  /** events with a later effective day are outside */
  day?: IsoDate;
  /** events recorded later (epoch ms) are outside */
  recordedAtMs?: number;
  /** the day period fields are evaluated on */
  viewDay: IsoDate;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Berlin's date now, as every read without a cut asks for it. */
export function today(now: Date = new Date()): IsoDate {
  return berlinDate(now.toISOString());
}

/** Throws RangeError for a malformed asOf or knownAt (the API validates them before, with zod). */
export function resolveCut(cut: Cut = {}, now: Date = new Date()): ResolvedCut {
  const resolved: ResolvedCut = { viewDay: today(now) };
  if (cut.knownAt !== undefined) {
    const ms = Date.parse(cut.knownAt);
    if (!Number.isFinite(ms)) throw new RangeError(`knownAt ${cut.knownAt} is not an instant`);
    resolved.recordedAtMs = ms;
    resolved.viewDay = berlinDate(cut.knownAt);
  }
  if (cut.asOf !== undefined) {
    if (!DATE_RE.test(cut.asOf)) throw new RangeError(`asOf ${cut.asOf} is not a date YYYY-MM-DD`);
    resolved.day = cut.asOf;
    resolved.viewDay = cut.asOf;
  }
  return resolved;
}

function inside(cut: ResolvedCut, day: IsoDate, recordedAtMs: number): boolean {
  return (cut.day === undefined || day <= cut.day) && (cut.recordedAtMs === undefined || recordedAtMs <= cut.recordedAtMs);
}

/**
 * The entity's state at the cut, or undefined when none of its events falls inside it (the entity did not exist
 * there). A fold of only some events may still be its kind's initial state; views treat that as absent too.
 */
export function stateAt<S>(entity: Entity<S>, cut: ResolvedCut, fold: KindFold<S>): S | undefined {
  if (wholly(entity, cut)) return entity.state;
  if (outside(entity, cut)) return undefined;
  const start = latestCheckpointInside(entity.checkpoints, cut);
  let state = start ? start.state : fold.initialState;
  let any = start !== undefined;
  const events = entity.events;
  for (let i = start ? start.index + 1 : 0; i < events.length; i++) {
    const event = events[i]!;
    if (cut.recordedAtMs !== undefined && event.recordedAtMs > cut.recordedAtMs) {
      if (entity.recordedAtOrdered) break;
      continue;
    }
    if (cut.day !== undefined && event.day > cut.day) continue;
    state = fold.evolve(state, event);
    any = true;
  }
  return any ? state : undefined;
}

/** Every event of the entity lies inside the cut: its current state is the answer. */
export function wholly(entity: Entity<unknown>, cut: ResolvedCut): boolean {
  return inside(cut, entity.maxDay, entity.maxRecordedAtMs);
}

/** No event of the entity lies inside the cut: it did not exist there. */
export function outside(entity: Entity<unknown>, cut: ResolvedCut): boolean {
  return (cut.day !== undefined && entity.minDay > cut.day) || (cut.recordedAtMs !== undefined && entity.minRecordedAtMs > cut.recordedAtMs);
}

/** Checkpoints carry running maxima, so "wholly inside the cut" holds for a prefix of them: binary search. */
function latestCheckpointInside<S>(checkpoints: readonly EntityCheckpoint<S>[], cut: ResolvedCut): EntityCheckpoint<S> | undefined {
  let lo = 0;
  let hi = checkpoints.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = checkpoints[mid]!;
    if (inside(cut, c.maxDay, c.maxRecordedAtMs)) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? undefined : checkpoints[lo - 1];
}

/** The events of an entity inside the cut, in log order (for audit trails and histories). */
export function eventsAt<S>(entity: Entity<S>, cut: ResolvedCut): Entity<S>['events'] {
  if (wholly(entity, cut)) return entity.events;
  return entity.events.filter((e) => inside(cut, e.day, e.recordedAtMs));
}
