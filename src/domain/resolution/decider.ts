import { membersInOffice, votingMembersInOffice } from '../board/state';
import { findAgendaItem, representedMembers } from '../meeting/state';
import { berlinDate } from '../shared/dates';
import { assertNever, type Decider } from '../shared/decider';
import { DomainRuleViolated, NotFound } from '../shared/errors';
import type {
  CorrectResolution,
  Decide,
  ProposeResolution,
  RaiseObjection,
  RecordVotes,
  RecordVotesContext,
  ResolutionCommand,
  RevokeResolution,
} from './commands';
import { computeOutcome, requireBoard, requireMeetingOf } from './decision';
import type { ResolutionEvent } from './events';
import { subjectFits } from './kinds';
import { evolve, initialState, type ProposedResolution, type Resolution, type ResolutionState } from './state';
import { requireAdoptedResolution } from './summary';

export function decide(command: ResolutionCommand, state: ResolutionState): ResolutionEvent[] {
  switch (command.type) {
    case 'ProposeResolution':
      return propose(command, state);
    case 'RecordVotes':
      return recordVotes(command, requireUndecided(state));
    case 'RaiseObjection':
      return raiseObjection(command, requireUndecided(state));
    case 'Decide':
      return decideResolution(command, requireUndecided(state));
    case 'CorrectResolution':
      return correct(command, requireResolution(state));
    case 'RevokeResolution':
      return revoke(command, requireResolution(state));
    default:
      return assertNever(command);
  }
}

export const resolutionDecider: Decider<ResolutionCommand, ResolutionEvent, ResolutionState> = { decide, evolve, initialState };
export { evolve, initialState };

function propose({ data, context }: ProposeResolution, state: ResolutionState): ResolutionEvent[] {
  if (state.status !== 'none') throw new DomainRuleViolated('resolution-already-proposed', `resolution ${state.resolutionId} exists`);
  const atMeeting = data.meetingId !== undefined || data.agendaItemId !== undefined;
  const inWriting = data.writtenProcedure !== undefined;
  if (atMeeting === inWriting || (atMeeting && (data.meetingId === undefined || data.agendaItemId === undefined))) {
    throw new DomainRuleViolated('procedure-required', 'a resolution is proposed either for a meeting agenda item or in written procedure');
  }
  const revokesItself = data.subject !== undefined && 'resolutionId' in data.subject && data.subject.resolutionId === data.resolutionId;
  if (!subjectFits(data.kind, data.subject) || revokesItself) {
    throw new DomainRuleViolated('subject-mismatch', `the subject does not fit a resolution of kind ${data.kind}`);
  }
  if (data.writtenProcedure && data.writtenProcedure.deadline < data.proposedOn) {
    throw new DomainRuleViolated('deadline-before-proposal', `the deadline ${data.writtenProcedure.deadline} is before ${data.proposedOn}`);
  }
  if (atMeeting) {
    const meeting = context.meeting;
    if (!meeting || meeting.status === 'none' || meeting.meetingId !== data.meetingId) throw new NotFound('meeting', data.meetingId!);
    if (meeting.status === 'cancelled') throw new DomainRuleViolated('meeting-cancelled', `meeting ${meeting.meetingId} was cancelled`);
    if (!findAgendaItem(meeting, data.agendaItemId!)) throw new NotFound('agenda item', data.agendaItemId!);
  }
  return [{ type: 'ResolutionProposed', data, occurredAt: data.proposedOn }];
}

function recordVotes({ data, context }: RecordVotes, resolution: ProposedResolution): ResolutionEvent[] {
  const votes = data.votes ?? [];
  const newRecusals = data.recusals ?? [];
  const mixed = (data.tally && (data.votes || resolution.voting === 'named')) || (votes.length > 0 && resolution.voting === 'tally');
  if (mixed) throw new DomainRuleViolated('votes-and-tally-mixed', 'named votes and a tally cannot be mixed on one resolution');
  if (votes.length === 0 && !data.tally && newRecusals.length === 0) {
    throw new DomainRuleViolated('nothing-to-record', 'votes, a tally or recusals are required');
  }
  const electorate = electorateFor(resolution, data.occurredAt, context);
  const recusals = [...new Set([...resolution.recusals, ...newRecusals])];
  for (const memberId of newRecusals) electorate.requireVotingMember(memberId);
  const seen = new Set<string>();
  for (const { memberId } of votes) {
    electorate.requireVotingMember(memberId);
    electorate.requirePresent(memberId);
    if (recusals.includes(memberId)) throw new DomainRuleViolated('member-recused', `member ${memberId} is recused from this item`);
    if (seen.has(memberId)) throw new DomainRuleViolated('duplicate-vote', `member ${memberId} votes twice`);
    seen.add(memberId);
  }
  const tally = data.tally ?? (votes.length === 0 ? resolution.tally?.tally : undefined);
  if (tally) {
    if (resolution.writtenProcedure) {
      throw new DomainRuleViolated('tally-in-written-procedure', 'in writing every answer is named, so that each can be checked');
    }
    const entitled = electorate.present.filter((m) => !recusals.includes(m)).length;
    if (tally.yes + tally.no + tally.abstain > entitled) {
      throw new DomainRuleViolated('tally-exceeds-present', `the tally counts more votes than the ${entitled} voting members present`);
    }
  }
  if (data.tally) {
    const { chairVote, ...counts } = data.tally;
    if (chairVote !== undefined && counts[chairVote] < 1) {
      throw new DomainRuleViolated('chair-vote-not-in-tally', `the tally has no ${chairVote} vote for the presiding member`);
    }
    const event = { tally: counts, ...(chairVote === undefined ? {} : { chairVote }), recusals: newRecusals, occurredAt: data.occurredAt };
    return [{ type: 'TallyRecorded', data: event, occurredAt: data.occurredAt }];
  }
  return [{ type: 'VotesRecorded', data: { votes, recusals: newRecusals, occurredAt: data.occurredAt }, occurredAt: data.occurredAt }];
}

interface Electorate {
  /** voting members entitled to vote: present in person or by deputy at a meeting, all of them in writing */
  present: string[];
  requireVotingMember(memberId: string): void;
  requirePresent(memberId: string): void;
}

/** Who may vote: voting members in office on the meeting day, or on the day of the answer in written procedure. */
function electorateFor(resolution: ProposedResolution, occurredAt: string, context: RecordVotesContext): Electorate {
  const board = requireBoard(context.board);
  let day: string;
  let attending: string[] | undefined;
  if (resolution.writtenProcedure) {
    day = berlinDate(occurredAt);
    if (day > resolution.writtenProcedure.deadline) {
      throw new DomainRuleViolated('deadline-passed', `answers were due by ${resolution.writtenProcedure.deadline}`);
    }
  } else {
    const meeting = requireMeetingOf(resolution, context.meeting);
    if (meeting.status === 'cancelled') throw new DomainRuleViolated('meeting-cancelled', `meeting ${meeting.meetingId} was cancelled`);
    day = meeting.date;
    attending = representedMembers(meeting);
  }
  const voting = votingMembersInOffice(board, day).map((m) => m.memberId);
  const present = attending === undefined ? voting : voting.filter((m) => attending.includes(m));
  return {
    present,
    requireVotingMember(memberId) {
      if (!voting.includes(memberId)) throw new DomainRuleViolated('not-a-voting-member', `member ${memberId} has no vote on ${day}`);
    },
    requirePresent(memberId) {
      if (!present.includes(memberId)) throw new DomainRuleViolated('member-not-present', `member ${memberId} is not present, in person or by deputy`);
    },
  };
}

function raiseObjection({ data, context }: RaiseObjection, resolution: ProposedResolution): ResolutionEvent[] {
  if (!resolution.writtenProcedure) throw new DomainRuleViolated('not-written-procedure', 'objections are raised against a written procedure only');
  const day = berlinDate(data.occurredAt);
  if (day > resolution.writtenProcedure.deadline) {
    throw new DomainRuleViolated('deadline-passed', `objections were possible until ${resolution.writtenProcedure.deadline}`);
  }
  if (!membersInOffice(requireBoard(context.board), day).some((m) => m.memberId === data.memberId)) throw new NotFound('member', data.memberId);
  if (resolution.objections.some((o) => o.memberId === data.memberId)) {
    throw new DomainRuleViolated('objection-already-raised', `member ${data.memberId} has already objected`);
  }
  return [{ type: 'ObjectionRaised', data, occurredAt: data.occurredAt }];
}

function decideResolution({ data, context }: Decide, resolution: ProposedResolution): ResolutionEvent[] {
  if (data.decidedOn < resolution.proposedOn) {
    throw new DomainRuleViolated('decision-before-proposal', `the resolution was proposed on ${resolution.proposedOn}`);
  }
  const { outcome, basis } = computeOutcome(resolution, data.decidedOn, context);
  return [{ type: 'ResolutionDecided', data: { outcome, decidedOn: data.decidedOn, basis }, occurredAt: data.decidedOn }];
}

function correct({ data }: CorrectResolution, resolution: Resolution): ResolutionEvent[] {
  if (resolution.corrections.some((c) => c.correctionId === data.correctionId)) {
    throw new DomainRuleViolated('correction-already-recorded', `correction ${data.correctionId} exists`);
  }
  const { correctionId, text, reason, occurredAt } = data;
  return [{ type: 'ResolutionCorrected', data: { correctionId, text, reason, occurredAt }, occurredAt }];
}

function revoke({ data, context }: RevokeResolution, resolution: Resolution): ResolutionEvent[] {
  if (resolution.status !== 'decided' || resolution.decision.outcome !== 'adopted') {
    throw new DomainRuleViolated('not-adopted', `resolution ${resolution.resolutionId} was not adopted, so there is nothing to revoke`);
  }
  if (resolution.revokedBy) throw new DomainRuleViolated('already-revoked', `resolution ${resolution.resolutionId} was revoked by ${resolution.revokedBy}`);
  requireAdoptedResolution(context.revoking, data.resolutionId, {
    kind: 'revocation',
    fits: (subject) => subject !== undefined && 'resolutionId' in subject && subject.resolutionId === resolution.resolutionId,
    onDate: berlinDate(data.occurredAt),
    rule: 'revocation-resolution-required',
  });
  return [{ type: 'ResolutionRevoked', data: { revokedBy: data.resolutionId, occurredAt: data.occurredAt }, occurredAt: data.occurredAt }];
}

function requireResolution(state: ResolutionState): Resolution {
  if (state.status === 'none') throw new NotFound('resolution', '(not proposed)');
  return state;
}

function requireUndecided(state: ResolutionState): ProposedResolution {
  const resolution = requireResolution(state);
  if (resolution.status === 'decided') {
    throw new DomainRuleViolated('already-decided', `resolution ${resolution.resolutionId} was ${resolution.decision.outcome} on ${resolution.decision.decidedOn}`);
  }
  return resolution;
}
