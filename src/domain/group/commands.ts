import type { z } from 'zod';
import type { Command } from '../shared/decider';
import type { ResolutionSummary } from '../resolution/summary';
import type { PartnerState } from '../partner/state';
import {
  groupDissolved,
  groupFormed,
  groupLeadChanged,
  groupMandateAmended,
  groupMemberJoined,
  groupMemberLeft,
} from './events';

/**
 * Command data schemas: the API.md request bodies field for field, plus the id the server assigns (`groupId`) and
 * the partner id a route takes from its path. Strict, so unknown fields are refused.
 */

/** POST /v1/groups as the caller sends it (no id). */
export const groupFormationBody = groupFormed.omit({ groupId: true }).strict();
export const formGroupData = groupFormed.strict();
export const joinGroupData = groupMemberJoined.strict();
/** POST /v1/groups/{id}/members/{partnerId}/departure: `partnerId` comes from the path. */
export const leaveGroupData = groupMemberLeft.strict();
export const changeLeadData = groupLeadChanged.strict();
export const amendMandateData = groupMandateAmended.strict();
export const dissolveGroupData = groupDissolved.strict();

export const groupCommandSchemas = {
  FormGroup: formGroupData,
  JoinGroup: joinGroupData,
  LeaveGroup: leaveGroupData,
  ChangeLead: changeLeadData,
  AmendMandate: amendMandateData,
  DissolveGroup: dissolveGroupData,
} as const;

export type FormGroupData = z.infer<typeof formGroupData>;
export type JoinGroupData = z.infer<typeof joinGroupData>;
export type LeaveGroupData = z.infer<typeof leaveGroupData>;
export type ChangeLeadData = z.infer<typeof changeLeadData>;
export type AmendMandateData = z.infer<typeof amendMandateData>;
export type DissolveGroupData = z.infer<typeof dissolveGroupData>;

/** Facts from other streams, loaded by the command handler and passed as the command's `context`. */
export interface FormGroupContext {
  /** the resolution `resolutionId` names, if it exists */
  resolution?: ResolutionSummary;
  /** the state of partner `leadPartnerId`, when a lead is named and the partner exists */
  leadPartner?: PartnerState;
}
export interface PartnerContext {
  /** the state of partner `partnerId`, if the partner exists */
  partner?: PartnerState;
}
export interface ResolutionContext {
  /** the resolution `resolutionId` names, if it exists */
  resolution?: ResolutionSummary;
}

export type FormGroup = Command<'FormGroup', FormGroupData> & { context: FormGroupContext };
export type JoinGroup = Command<'JoinGroup', JoinGroupData> & { context: PartnerContext };
export type LeaveGroup = Command<'LeaveGroup', LeaveGroupData>;
export type ChangeLead = Command<'ChangeLead', ChangeLeadData> & { context: PartnerContext };
export type AmendMandate = Command<'AmendMandate', AmendMandateData> & { context: ResolutionContext };
export type DissolveGroup = Command<'DissolveGroup', DissolveGroupData> & { context: ResolutionContext };

export type GroupCommand = FormGroup | JoinGroup | LeaveGroup | ChangeLead | AmendMandate | DissolveGroup;
