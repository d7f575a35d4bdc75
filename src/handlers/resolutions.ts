import type { z } from 'zod';
import { streams } from '../domain/events';
import {
  correctResolutionData,
  decideData,
  proposeResolutionData,
  raiseObjectionData,
  recordVotesData,
  revokeResolutionData,
  type ResolutionCommand,
} from '../domain/resolution/commands';
import { resolutionDecider } from '../domain/resolution/decider';
import type { ResolutionState } from '../domain/resolution/state';
import { NotFound } from '../domain/shared/errors';
import type { Ledger, UnstampedCommand } from '../ledger/ledger';
import { newId, options, written, type CommandContext, type Written } from './command-context';
import type { Contexts } from './contexts';

export const resolutionBody = proposeResolutionData.omit({ resolutionId: true }).strict();
export const votesBody = recordVotesData;
export const objectionBody = raiseObjectionData;
export const decisionBody = decideData;
export const resolutionCorrectionBody = correctResolutionData.omit({ correctionId: true }).strict();
export const revocationBody = revokeResolutionData;

/** Resolutions: proposal, votes, objections, the decision by the rules in force, errata and revocation. */
export class ResolutionHandlers {
  constructor(
    private readonly ledger: Ledger,
    private readonly contexts: Contexts,
  ) {}

  private async load(resolutionId: string) {
    const loaded = await this.ledger.load(streams.resolution(resolutionId), resolutionDecider);
    if (loaded.revision < 0n || loaded.state.status === 'none') throw new NotFound('resolution', resolutionId);
    return loaded.state;
  }

  private async run(resolutionId: string, command: UnstampedCommand<ResolutionCommand>, ctx: CommandContext): Promise<Written<ResolutionState>> {
    return written(resolutionId, await this.ledger.execute(streams.resolution(resolutionId), resolutionDecider, command, options(ctx)));
  }

  async propose(body: z.output<typeof resolutionBody>, ctx: CommandContext) {
    const resolutionId = newId(ctx);
    const meeting = await this.contexts.meeting(body.meetingId);
    if (body.meetingId !== undefined && !meeting) throw new NotFound('meeting', body.meetingId);
    const context = meeting ? { meeting } : {};
    return this.run(resolutionId, { type: 'ProposeResolution', data: { ...body, resolutionId }, context }, ctx);
  }

  async recordVotes(resolutionId: string, body: z.output<typeof votesBody>, ctx: CommandContext) {
    const resolution = await this.load(resolutionId);
    const meeting = await this.contexts.meeting(resolution.meetingId);
    const context = { board: await this.contexts.board(), ...(meeting && { meeting }) };
    return this.run(resolutionId, { type: 'RecordVotes', data: body, context }, ctx);
  }

  async raiseObjection(resolutionId: string, body: z.output<typeof objectionBody>, ctx: CommandContext) {
    await this.load(resolutionId);
    return this.run(resolutionId, { type: 'RaiseObjection', data: body, context: { board: await this.contexts.board() } }, ctx);
  }

  async decide(resolutionId: string, body: z.output<typeof decisionBody>, ctx: CommandContext) {
    const resolution = await this.load(resolutionId);
    const meeting = await this.contexts.meeting(resolution.meetingId);
    const reconvened = meeting && meeting.status !== 'none' ? await this.contexts.meeting(meeting.reconvenes) : undefined;
    const context = { board: await this.contexts.board(), ...(meeting && { meeting }), ...(reconvened && { reconvened }) };
    return this.run(resolutionId, { type: 'Decide', data: body, context }, ctx);
  }

  async correct(resolutionId: string, body: z.output<typeof resolutionCorrectionBody>, ctx: CommandContext) {
    await this.load(resolutionId);
    const correctionId = newId(ctx);
    return { ...(await this.run(resolutionId, { type: 'CorrectResolution', data: { ...body, correctionId } }, ctx)), id: correctionId };
  }

  async revoke(resolutionId: string, body: z.output<typeof revocationBody>, ctx: CommandContext) {
    await this.load(resolutionId);
    const revoking = await this.contexts.resolutionSummary(body.resolutionId);
    return this.run(resolutionId, { type: 'RevokeResolution', data: body, context: { revoking } }, ctx);
  }
}
