import { z } from 'zod';
import { instant, isoDate } from '../shared/dates';
import { id, longText, shortText } from '../shared/text';
import { rulesOfProcedure } from '../rules/rules-of-procedure';
import { resolutionKind, resolutionSubject } from './kinds';

export const voteValue = z.enum(['yes', 'no', 'abstain']);
export type VoteValue = z.infer<typeof voteValue>;

export const tally = z.object({
  yes: z.number().int().min(0),
  no: z.number().int().min(0),
  abstain: z.number().int().min(0),
});
export type Tally = z.infer<typeof tally>;

export const resolutionProposed = z.object({
  resolutionId: id,
  title: shortText,
  text: longText,
  kind: resolutionKind,
  subject: resolutionSubject.optional(),
  meetingId: id.optional(),
  agendaItemId: id.optional(),
  writtenProcedure: z.object({ deadline: isoDate }).optional(),
  proposedOn: isoDate,
});

/** Named votes; they accumulate, and a member's later vote replaces the earlier one. */
export const votesRecorded = z.object({
  votes: z.array(z.object({ memberId: id, vote: voteValue })).max(500),
  recusals: z.array(id).max(500),
  occurredAt: instant,
});

/** A tally replaces any earlier tally. `chairVote` is the presiding member's vote. */
export const tallyRecorded = z.object({
  tally,
  chairVote: voteValue.optional(),
  recusals: z.array(id).max(500),
  occurredAt: instant,
});

export const objectionRaised = z.object({
  memberId: id,
  occurredAt: instant,
});

/** The basis on which the outcome was computed: what an auditor needs to check it. */
export const decisionBasis = z.object({
  procedure: z.enum(['meeting', 'written']),
  votingMembers: z.number().int().min(0),
  present: z.number().int().min(0),
  recused: z.number().int().min(0),
  quorumMet: z.boolean(),
  tally,
  tieBrokenBy: id.optional(),
  presidingMemberId: id.optional(),
  rulesVersion: z.number().int().min(1),
  rules: rulesOfProcedure,
  /** the voting members in office on the decision day, present (in person or by deputy) and recused */
  votingMemberIds: z.array(id),
  presentMemberIds: z.array(id),
  recusedMemberIds: z.array(id),
});
export type DecisionBasis = z.infer<typeof decisionBasis>;

export const resolutionDecided = z.object({
  outcome: z.enum(['adopted', 'rejected']),
  decidedOn: isoDate,
  basis: decisionBasis,
});

/** Errata: the original stays; the correction is a new fact. */
export const resolutionCorrected = z.object({
  correctionId: id,
  text: longText,
  reason: shortText,
  occurredAt: instant,
});

/** Revoked by another adopted resolution of kind `revocation` naming this one. */
export const resolutionRevoked = z.object({
  revokedBy: id,
  occurredAt: instant,
});

export const resolutionEventSchemas = {
  ResolutionProposed: resolutionProposed,
  VotesRecorded: votesRecorded,
  TallyRecorded: tallyRecorded,
  ObjectionRaised: objectionRaised,
  ResolutionDecided: resolutionDecided,
  ResolutionCorrected: resolutionCorrected,
  ResolutionRevoked: resolutionRevoked,
} as const;

export type ResolutionEvent =
  | { type: 'ResolutionProposed'; data: z.infer<typeof resolutionProposed>; occurredAt: string }
  | { type: 'VotesRecorded'; data: z.infer<typeof votesRecorded>; occurredAt: string }
  | { type: 'TallyRecorded'; data: z.infer<typeof tallyRecorded>; occurredAt: string }
  | { type: 'ObjectionRaised'; data: z.infer<typeof objectionRaised>; occurredAt: string }
  | { type: 'ResolutionDecided'; data: z.infer<typeof resolutionDecided>; occurredAt: string }
  | { type: 'ResolutionCorrected'; data: z.infer<typeof resolutionCorrected>; occurredAt: string }
  | { type: 'ResolutionRevoked'; data: z.infer<typeof resolutionRevoked>; occurredAt: string };
