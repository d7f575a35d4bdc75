import { z } from 'zod';
import type { Command } from '../shared/decider';
import { contactPerson } from '../shared/personal';
import { id, shortText } from '../shared/text';
import type { RulesOfProcedure } from '../rules/rules-of-procedure';
import type { ResolutionSummary } from '../resolution/summary';
import {
  applicationWithdrawn,
  partnerAdmitted,
  partnerApplied,
  partnerExcluded,
  partnerLeft,
  partnerRejected,
} from './events';

/**
 * Command data schemas: the API.md request bodies field for field, plus the ids the server assigns
 * (`partnerId`, the contact's `subjectId`). Strict at every level, so unknown fields are refused.
 */

const organisation = partnerApplied.shape.organisation.strict();

/** POST /v1/partners/applications as the caller sends it (no ids). */
export const partnerApplicationBody = z
  .object({
    organisation,
    contact: contactPerson.omit({ subjectId: true }).strict(),
    expertise: z.array(shortText).max(50).optional(),
    channel: partnerApplied.shape.channel,
    receivedOn: partnerApplied.shape.receivedOn,
    messageRef: partnerApplied.shape.messageRef,
  })
  .strict();

export const applyAsPartnerData = partnerApplicationBody
  .extend({ partnerId: id, contact: contactPerson.strict() })
  .strict();

export const admitPartnerData = z
  .object({ resolutionId: partnerAdmitted.shape.resolutionId, decidedOn: partnerAdmitted.shape.decidedOn })
  .strict();

export const rejectPartnerData = z
  .object({
    resolutionId: partnerRejected.shape.resolutionId,
    reason: partnerRejected.shape.reason,
    decidedOn: partnerRejected.shape.decidedOn,
  })
  .strict();

export const withdrawApplicationData = applicationWithdrawn.strict();
export const recordPartnerDepartureData = partnerLeft.strict();
export const excludePartnerData = partnerExcluded.strict();

export const partnerCommandSchemas = {
  ApplyAsPartner: applyAsPartnerData,
  AdmitPartner: admitPartnerData,
  RejectPartner: rejectPartnerData,
  WithdrawApplication: withdrawApplicationData,
  RecordPartnerDeparture: recordPartnerDepartureData,
  ExcludePartner: excludePartnerData,
} as const;

export type ApplyAsPartnerData = z.infer<typeof applyAsPartnerData>;
export type AdmitPartnerData = z.infer<typeof admitPartnerData>;
export type RejectPartnerData = z.infer<typeof rejectPartnerData>;
export type WithdrawApplicationData = z.infer<typeof withdrawApplicationData>;
export type RecordPartnerDepartureData = z.infer<typeof recordPartnerDepartureData>;
export type ExcludePartnerData = z.infer<typeof excludePartnerData>;

/** Facts from other streams, loaded by the command handler and passed as the command's `context`. */
export interface AdmitPartnerContext {
  /** the resolution `resolutionId` names, when one is cited */
  resolution?: ResolutionSummary;
  /** the rules of procedure in force on `decidedOn` (rulesInForce(board, decidedOn).rules) */
  rules: RulesOfProcedure;
}
export interface ResolutionContext {
  /** the resolution `resolutionId` names, when one is cited and exists */
  resolution?: ResolutionSummary;
}

export type ApplyAsPartner = Command<'ApplyAsPartner', ApplyAsPartnerData>;
export type AdmitPartner = Command<'AdmitPartner', AdmitPartnerData> & { context: AdmitPartnerContext };
export type RejectPartner = Command<'RejectPartner', RejectPartnerData> & { context: ResolutionContext };
export type WithdrawApplication = Command<'WithdrawApplication', WithdrawApplicationData>;
export type RecordPartnerDeparture = Command<'RecordPartnerDeparture', RecordPartnerDepartureData>;
export type ExcludePartner = Command<'ExcludePartner', ExcludePartnerData> & { context: ResolutionContext };

export type PartnerCommand =
  | ApplyAsPartner
  | AdmitPartner
  | RejectPartner
  | WithdrawApplication
  | RecordPartnerDeparture
  | ExcludePartner;
