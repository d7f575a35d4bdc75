import type { DecisionBasis, Tally, VoteValue } from '../../domain/resolution/events';
import type { ResolutionKind, ResolutionSubject } from '../../domain/resolution/kinds';
import type { Resolution } from '../../domain/resolution/state';
import type { IsoDate } from '../../domain/shared/dates';
import { eventsAt, type ResolvedCut } from '../as-of';
import type { EntityIndex } from '../entity-index';
import { meetingAt, resolutionAt } from './lookup';
import { copy, defined, newestFirst, trailOf, type ListResult, type PageRequest, type TrailEntryJson } from './shared';

export type Outcome = 'adopted' | 'rejected';

export interface ResolutionJson {
  id: string;
  title: string;
  /** the text as proposed; corrections stand beside it */
  text: string;
  /** the text as last corrected (the original when there is no correction) */
  currentText: string;
  kind: ResolutionKind;
  subject?: ResolutionSubject;
  procedure: 'meeting' | 'written';
  meetingId?: string;
  agendaItemId?: string;
  /** the meeting, when it exists at the cut */
  meeting?: { id: string; title: string; date: IsoDate };
  writtenProcedure?: { deadline: IsoDate };
  proposedOn: IsoDate;
  status: 'proposed' | 'decided' | 'revoked';
  outcome: Outcome | null;
  decidedOn: IsoDate | null;
  /** voting members, present, recused, quorum, tally, tie-break and the rules applied */
  basis: DecisionBasis | null;
  voting: 'named' | 'tally' | null;
  /** each member's latest named vote */
  votes: { memberId: string; vote: VoteValue }[];
  /** the recorded tally (a tally vote) */
  tally: (Tally & { chairVote?: VoteValue }) | null;
  recusals: string[];
  objections: { memberId: string; occurredAt: string }[];
  corrections: { id: string; text: string; reason: string; occurredAt: string }[];
  revokedBy?: string;
  revokedAt?: string;
  /** every event of the resolution inside the cut: type, occurredAt, recordedAt, actor (and where it is in the log) */
  trail: TrailEntryJson[];
}

export interface ResolutionFilter {
  /** on or after this day (the decision day, or the proposal day while undecided) */
  from?: IsoDate;
  to?: IsoDate;
  kind?: ResolutionKind;
  /** null: the undecided ones */
  outcome?: Outcome | null;
  meetingId?: string;
}

/** The day a resolution is listed under: decided on, else proposed on. */
export function resolutionDay(r: Resolution): IsoDate {
  return r.status === 'decided' ? r.decision.decidedOn : r.proposedOn;
}

/** GET /v1/resolutions/{id} */
export function resolutionView(index: EntityIndex, resolutionId: string, cut: ResolvedCut): ResolutionJson | undefined {
  const resolution = resolutionAt(index, resolutionId, cut);
  return resolution ? resolutionJson(index, resolution, cut) : undefined;
}

/** GET /v1/resolutions: every resolution, newest first, undecided ones with outcome null. */
export function resolutionsView(
  index: EntityIndex,
  cut: ResolvedCut,
  filter: ResolutionFilter = {},
  request?: PageRequest,
): ListResult<ResolutionJson> {
  const outcome = filter.outcome === undefined ? undefined : (filter.outcome ?? 'undecided');
  const ofMeeting = filter.meetingId === undefined ? undefined : new Set(index.linked('resolution', `meeting:${filter.meetingId}`));
  const matching = index.listAt(
    'resolution',
    cut,
    (facets, id) =>
      (ofMeeting === undefined || ofMeeting.has(id)) &&
      (filter.kind === undefined || facets.kind === filter.kind) &&
      (outcome === undefined || facets.status === outcome) &&
      (filter.from === undefined || facets.day >= filter.from) &&
      (filter.to === undefined || facets.day <= filter.to),
  );
  return newestFirst(matching, (item) => resolutionJson(index, index.stateOfListed(item, cut) as Resolution, cut), request);
}

function resolutionJson(index: EntityIndex, r: Resolution, cut: ResolvedCut): ResolutionJson {
  const decided = r.status === 'decided' ? r : undefined;
  const meeting = r.meetingId === undefined ? undefined : meetingAt(index, r.meetingId, cut);
  const entity = index.entity('resolution', r.resolutionId);
  return defined({
    id: r.resolutionId,
    title: r.title,
    text: r.text,
    currentText: r.corrections.at(-1)?.text ?? r.text,
    kind: r.kind,
    subject: copy(r.subject),
    procedure: r.writtenProcedure ? ('written' as const) : ('meeting' as const),
    meetingId: r.meetingId,
    agendaItemId: r.agendaItemId,
    meeting: meeting ? { id: meeting.meetingId, title: meeting.title, date: meeting.date } : undefined,
    writtenProcedure: r.writtenProcedure ? { deadline: r.writtenProcedure.deadline } : undefined,
    proposedOn: r.proposedOn,
    status: decided?.revokedBy !== undefined ? ('revoked' as const) : r.status,
    outcome: decided ? decided.decision.outcome : null,
    decidedOn: decided ? decided.decision.decidedOn : null,
    basis: decided ? copy(decided.decision.basis) : null,
    voting: r.voting ?? null,
    votes: Object.entries(r.votes)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([memberId, vote]) => ({ memberId, vote })),
    tally: r.tally ? defined({ ...r.tally.tally, chairVote: r.tally.chairVote }) : null,
    recusals: [...r.recusals],
    objections: r.objections.map((o) => ({ memberId: o.memberId, occurredAt: o.occurredAt })),
    corrections: r.corrections.map((c) => ({ id: c.correctionId, text: c.text, reason: c.reason, occurredAt: c.occurredAt })),
    revokedBy: decided?.revokedBy,
    revokedAt: decided?.revokedAt,
    trail: entity ? trailOf(eventsAt(entity, cut)) : [],
  });
}
