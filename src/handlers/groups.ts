import type { z } from 'zod';
import { streams } from '../domain/events';
import {
  amendMandateData,
  changeLeadData,
  dissolveGroupData,
  groupFormationBody,
  joinGroupData,
  leaveGroupData,
  type GroupCommand,
} from '../domain/group/commands';
import { groupDecider } from '../domain/group/decider';
import { NotFound } from '../domain/shared/errors';
import type { Ledger, UnstampedCommand } from '../ledger/ledger';
import { newId, options, written, type CommandContext } from './command-context';
import type { Contexts } from './contexts';

export const formationBody = groupFormationBody;
export const joinBody = joinGroupData;
export const leaveBody = leaveGroupData.omit({ partnerId: true }).strict();
export const leadBody = changeLeadData;
export const mandateBody = amendMandateData;
export const dissolutionBody = dissolveGroupData;

/** Working and project groups: formation on a resolution, members, lead, mandate, dissolution. */
export class GroupHandlers {
  constructor(
    private readonly ledger: Ledger,
    private readonly contexts: Contexts,
  ) {}

  private async run(groupId: string, command: UnstampedCommand<GroupCommand>, ctx: CommandContext, mustExist = true) {
    const stream = streams.group(groupId);
    if (mustExist && !(await this.ledger.exists(stream, groupDecider))) throw new NotFound('group', groupId);
    return written(groupId, await this.ledger.execute(stream, groupDecider, command, options(ctx, !mustExist)));
  }

  async form(body: z.output<typeof formationBody>, ctx: CommandContext) {
    const groupId = newId(ctx);
    const context = {
      resolution: await this.contexts.resolutionSummary(body.resolutionId),
      leadPartner: await this.contexts.partner(body.leadPartnerId),
    };
    return this.run(groupId, { type: 'FormGroup', data: { ...body, groupId }, context }, ctx, false);
  }

  async join(groupId: string, body: z.output<typeof joinBody>, ctx: CommandContext) {
    const context = { partner: await this.contexts.partner(body.partnerId) };
    return this.run(groupId, { type: 'JoinGroup', data: body, context }, ctx);
  }

  async leave(groupId: string, partnerId: string, body: z.output<typeof leaveBody>, ctx: CommandContext) {
    return this.run(groupId, { type: 'LeaveGroup', data: { ...body, partnerId } }, ctx);
  }

  async changeLead(groupId: string, body: z.output<typeof leadBody>, ctx: CommandContext) {
    const context = { partner: await this.contexts.partner(body.partnerId) };
    return this.run(groupId, { type: 'ChangeLead', data: body, context }, ctx);
  }

  async amendMandate(groupId: string, body: z.output<typeof mandateBody>, ctx: CommandContext) {
    const context = { resolution: await this.contexts.resolutionSummary(body.resolutionId) };
    return this.run(groupId, { type: 'AmendMandate', data: body, context }, ctx);
  }

  async dissolve(groupId: string, body: z.output<typeof dissolutionBody>, ctx: CommandContext) {
    const context = { resolution: await this.contexts.resolutionSummary(body.resolutionId) };
    return this.run(groupId, { type: 'DissolveGroup', data: body, context }, ctx);
  }
}
