import type { z } from 'zod';
import { streams } from '../domain/events';
import {
  admitPartnerData,
  excludePartnerData,
  partnerApplicationBody,
  recordPartnerDepartureData,
  rejectPartnerData,
  withdrawApplicationData,
  type PartnerCommand,
} from '../domain/partner/commands';
import { partnerDecider } from '../domain/partner/decider';
import { NotFound } from '../domain/shared/errors';
import type { Ledger, UnstampedCommand } from '../ledger/ledger';
import { newId, options, written, type CommandContext } from './command-context';
import type { Contexts } from './contexts';

export const applicationBody = partnerApplicationBody;
export const admissionBody = admitPartnerData;
export const rejectionBody = rejectPartnerData;
export const withdrawalBody = withdrawApplicationData;
export const partnerDepartureBody = recordPartnerDepartureData;
export const exclusionBody = excludePartnerData;

/** Network partners: applications and what becomes of them. */
export class PartnerHandlers {
  constructor(
    private readonly ledger: Ledger,
    private readonly contexts: Contexts,
  ) {}

  /** Commands on a partner that does not exist are NotFound with the partner's id, before any rule. */
  private async run(partnerId: string, command: UnstampedCommand<PartnerCommand>, ctx: CommandContext, mustExist = true) {
    const stream = streams.partner(partnerId);
    if (mustExist && !(await this.ledger.exists(stream, partnerDecider))) throw new NotFound('partner', partnerId);
    return written(partnerId, await this.ledger.execute(stream, partnerDecider, command, options(ctx, !mustExist)));
  }

  async apply(body: z.output<typeof applicationBody>, ctx: CommandContext) {
    const partnerId = newId(ctx);
    const data = { ...body, partnerId, contact: { ...body.contact, subjectId: newId(ctx, 'subject') } };
    return this.run(partnerId, { type: 'ApplyAsPartner', data }, ctx, false);
  }

  async admit(partnerId: string, body: z.output<typeof admissionBody>, ctx: CommandContext) {
    const context = {
      resolution: await this.contexts.resolutionSummary(body.resolutionId),
      rules: await this.contexts.rulesOn(body.decidedOn),
    };
    return this.run(partnerId, { type: 'AdmitPartner', data: body, context }, ctx);
  }

  async reject(partnerId: string, body: z.output<typeof rejectionBody>, ctx: CommandContext) {
    const context = { resolution: await this.contexts.resolutionSummary(body.resolutionId) };
    return this.run(partnerId, { type: 'RejectPartner', data: body, context }, ctx);
  }

  async withdraw(partnerId: string, body: z.output<typeof withdrawalBody>, ctx: CommandContext) {
    return this.run(partnerId, { type: 'WithdrawApplication', data: body }, ctx);
  }

  async recordDeparture(partnerId: string, body: z.output<typeof partnerDepartureBody>, ctx: CommandContext) {
    return this.run(partnerId, { type: 'RecordPartnerDeparture', data: body }, ctx);
  }

  async exclude(partnerId: string, body: z.output<typeof exclusionBody>, ctx: CommandContext) {
    const context = { resolution: await this.contexts.resolutionSummary(body.resolutionId) };
    return this.run(partnerId, { type: 'ExcludePartner', data: body, context }, ctx);
  }
}
