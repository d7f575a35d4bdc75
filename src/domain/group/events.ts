import { z } from 'zod';
import { instant, isoDate } from '../shared/dates';
import { id, longText, reference, shortText } from '../shared/text';
import { groupKind } from '../resolution/kinds';

export const groupFormed = z.object({
  groupId: id,
  kind: groupKind,
  name: shortText,
  mandate: longText,
  resolutionId: id,
  leadPartnerId: id.optional(),
  startDate: isoDate,
  /** project groups are time-limited */
  plannedEndDate: isoDate.optional(),
});

export const groupMemberJoined = z.object({ partnerId: id, joinedOn: isoDate });
export const groupMemberLeft = z.object({ partnerId: id, leftOn: isoDate });
/** Being lead does not make a partner a member. */
export const groupLeadChanged = z.object({ partnerId: id, occurredAt: instant });
export const groupMandateAmended = z.object({ mandate: longText, resolutionId: id, occurredAt: instant });
export const groupDissolved = z.object({ resolutionId: id, dissolvedOn: isoDate, finalReportRef: reference.optional() });

export const groupEventSchemas = {
  GroupFormed: groupFormed,
  GroupMemberJoined: groupMemberJoined,
  GroupMemberLeft: groupMemberLeft,
  GroupLeadChanged: groupLeadChanged,
  GroupMandateAmended: groupMandateAmended,
  GroupDissolved: groupDissolved,
} as const;

export type GroupEvent =
  | { type: 'GroupFormed'; data: z.infer<typeof groupFormed>; occurredAt: string }
  | { type: 'GroupMemberJoined'; data: z.infer<typeof groupMemberJoined>; occurredAt: string }
  | { type: 'GroupMemberLeft'; data: z.infer<typeof groupMemberLeft>; occurredAt: string }
  | { type: 'GroupLeadChanged'; data: z.infer<typeof groupLeadChanged>; occurredAt: string }
  | { type: 'GroupMandateAmended'; data: z.infer<typeof groupMandateAmended>; occurredAt: string }
  | { type: 'GroupDissolved'; data: z.infer<typeof groupDissolved>; occurredAt: string };
