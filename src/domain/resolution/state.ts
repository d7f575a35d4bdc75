import type { z } from 'zod';
import type { IsoDate } from '../shared/dates';
import type { ResolutionKind, ResolutionSubject } from './kinds';
import type { ResolutionEvent, Tally, VoteValue, resolutionCorrected, resolutionDecided } from './events';
import type { ResolutionSummary } from './summary';

export type Decision = z.infer<typeof resolutionDecided>;
export type Correction = z.infer<typeof resolutionCorrected>;

interface ResolutionRecord {
  resolutionId: string;
  title: string;
  text: string;
  kind: ResolutionKind;
  subject?: ResolutionSubject;
  meetingId?: string;
  agendaItemId?: string;
  writtenProcedure?: { deadline: IsoDate };
  proposedOn: IsoDate;
  /** how votes were recorded; the two are never mixed on one resolution */
  voting?: 'named' | 'tally';
  /** each member's latest named vote */
  votes: Record<string, VoteValue>;
  tally?: { tally: Tally; chairVote?: VoteValue };
  recusals: string[];
  objections: { memberId: string; occurredAt: string }[];
  corrections: Correction[];
}

export type ResolutionState =
  | { status: 'none' }
  | ({ status: 'proposed' } & ResolutionRecord)
  | ({ status: 'decided'; decision: Decision; revokedBy?: string; revokedAt?: string } & ResolutionRecord);

export type Resolution = Exclude<ResolutionState, { status: 'none' }>;
export type ProposedResolution = Extract<ResolutionState, { status: 'proposed' }>;

export const initialState: ResolutionState = { status: 'none' };

export function evolve(state: ResolutionState, event: ResolutionEvent): ResolutionState {
  if (event.type === 'ResolutionProposed') {
    return { status: 'proposed', ...event.data, votes: {}, recusals: [], objections: [], corrections: [] };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'VotesRecorded': {
      const recusals = union(state.recusals, event.data.recusals);
      const votes = { ...state.votes };
      for (const { memberId, vote } of event.data.votes) votes[memberId] = vote;
      // a member who declares a conflict after voting withdraws that vote
      for (const memberId of recusals) delete votes[memberId];
      return { ...state, votes, recusals, voting: event.data.votes.length > 0 ? 'named' : state.voting };
    }
    case 'TallyRecorded': {
      const { tally, chairVote } = event.data;
      return {
        ...state,
        voting: 'tally',
        tally: chairVote === undefined ? { tally } : { tally, chairVote },
        recusals: union(state.recusals, event.data.recusals),
      };
    }
    case 'ObjectionRaised':
      return { ...state, objections: [...state.objections, event.data] };
    case 'ResolutionDecided':
      return { ...state, status: 'decided', decision: event.data };
    case 'ResolutionCorrected':
      return { ...state, corrections: [...state.corrections, event.data] };
    case 'ResolutionRevoked':
      return state.status === 'decided' ? { ...state, revokedBy: event.data.revokedBy, revokedAt: event.data.occurredAt } : state;
  }
}

/** What other streams cite of a resolution; undefined when none was proposed. */
export function summarize(state: ResolutionState): ResolutionSummary | undefined {
  if (state.status === 'none') return undefined;
  const summary: ResolutionSummary = {
    resolutionId: state.resolutionId,
    kind: state.kind,
    outcome: state.status === 'decided' ? state.decision.outcome : null,
  };
  if (state.subject !== undefined) summary.subject = state.subject;
  if (state.status === 'decided') {
    summary.decidedOn = state.decision.decidedOn;
    if (state.revokedBy !== undefined) summary.revokedBy = state.revokedBy;
  }
  return summary;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
