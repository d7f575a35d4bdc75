import { z } from 'zod';
import type { BoardState } from '../board/state';
import type { MeetingState } from '../meeting/state';
import type { Command } from '../shared/decider';
import { isoDate, instant } from '../shared/dates';
import { id } from '../shared/text';
import { objectionRaised, resolutionCorrected, resolutionProposed, tally, voteValue, votesRecorded } from './events';
import type { ResolutionSummary } from './summary';

/** The API body of POST /v1/resolutions plus the new resolution's id. */
export const proposeResolutionData = resolutionProposed
  .extend({ writtenProcedure: z.object({ deadline: isoDate }).strict().optional() })
  .strict();
export type ProposeResolutionData = z.infer<typeof proposeResolutionData>;

export const recordVotesData = z
  .object({
    votes: z.array(z.object({ memberId: id, vote: voteValue }).strict()).max(500).optional(),
    tally: tally.extend({ chairVote: voteValue.optional() }).strict().optional(),
    recusals: votesRecorded.shape.recusals.optional(),
    occurredAt: instant,
  })
  .strict()
  // named votes and a tally together break a rule (409 votes-and-tally-mixed, as API.md says), not the schema
  .refine((d) => (d.votes?.length ?? 0) > 0 || d.tally !== undefined || (d.recusals?.length ?? 0) > 0, {
    message: 'votes, a tally or recusals are required',
    path: ['votes'],
  });
export type RecordVotesData = z.infer<typeof recordVotesData>;

export const raiseObjectionData = objectionRaised.strict();
export type RaiseObjectionData = z.infer<typeof raiseObjectionData>;

export const decideData = z.object({ decidedOn: isoDate }).strict();
export type DecideData = z.infer<typeof decideData>;

/** The API body of POST /v1/resolutions/{id}/corrections plus the new correction's id. */
export const correctResolutionData = resolutionCorrected.strict();
export type CorrectResolutionData = z.infer<typeof correctResolutionData>;

/** `resolutionId` is the adopted `revocation` resolution that revokes this one. */
export const revokeResolutionData = z.object({ resolutionId: id, occurredAt: instant }).strict();
export type RevokeResolutionData = z.infer<typeof revokeResolutionData>;

/** Facts from other streams, loaded by the command handler and passed as the command's `context`. */
export interface ProposeResolutionContext {
  /** the meeting `meetingId` names (its stream folded), for a proposal to a meeting */
  meeting?: MeetingState;
}
export interface RecordVotesContext {
  board: BoardState;
  /** the resolution's meeting; not needed in written procedure */
  meeting?: MeetingState;
}
export interface RaiseObjectionContext {
  board: BoardState;
}
export interface DecideContext {
  board: BoardState;
  /** the resolution's meeting; not needed in written procedure */
  meeting?: MeetingState;
  /** the meeting that the resolution's meeting reconvenes, when it reconvenes one */
  reconvened?: MeetingState;
}
export interface RevokeResolutionContext {
  /** the summary of the revoking resolution `resolutionId`, undefined when there is none */
  revoking: ResolutionSummary | undefined;
}

export type ProposeResolution = Command<'ProposeResolution', ProposeResolutionData> & { context: ProposeResolutionContext };
export type RecordVotes = Command<'RecordVotes', RecordVotesData> & { context: RecordVotesContext };
export type RaiseObjection = Command<'RaiseObjection', RaiseObjectionData> & { context: RaiseObjectionContext };
export type Decide = Command<'Decide', DecideData> & { context: DecideContext };
export type CorrectResolution = Command<'CorrectResolution', CorrectResolutionData>;
export type RevokeResolution = Command<'RevokeResolution', RevokeResolutionData> & { context: RevokeResolutionContext };

export type ResolutionCommand = ProposeResolution | RecordVotes | RaiseObjection | Decide | CorrectResolution | RevokeResolution;

/** The body schemas (context excluded: it is loaded by the handler, never sent). */
export const resolutionCommandSchemas = {
  ProposeResolution: proposeResolutionData,
  RecordVotes: recordVotesData,
  RaiseObjection: raiseObjectionData,
  Decide: decideData,
  CorrectResolution: correctResolutionData,
  RevokeResolution: revokeResolutionData,
} as const;
