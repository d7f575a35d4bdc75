import { z } from 'zod';
import { instant, isoDate } from '../shared/dates';
import { contactPerson } from '../shared/personal';
import { id, reference, shortText } from '../shared/text';

export const partnerCategory = z.enum([
  'ministry',
  'municipal',
  'chamber',
  'association',
  'union',
  'welfare',
  'employer',
  'education',
  'research',
  'employment-agency',
  'other',
]);
export type PartnerCategory = z.infer<typeof partnerCategory>;

export const partnerStatus = z.enum(['applied', 'admitted', 'rejected', 'withdrawn', 'left', 'excluded']);
export type PartnerStatus = z.infer<typeof partnerStatus>;

export const applicationChannel = z.enum(['email', 'letter', 'form']);

export const partnerApplied = z.object({
  partnerId: id,
  organisation: z.object({ name: shortText, category: partnerCategory, city: shortText.optional() }),
  contact: contactPerson,
  expertise: z.array(shortText).max(50),
  channel: applicationChannel,
  receivedOn: isoDate,
  messageRef: reference.optional(),
});

/** Admitted by the board (citing its resolution) or by the office where the rules delegate admission. */
export const partnerAdmitted = z.object({
  decidedOn: isoDate,
  by: z.enum(['board', 'office']),
  resolutionId: id.optional(),
});

export const partnerRejected = z.object({
  decidedOn: isoDate,
  reason: shortText,
  resolutionId: id.optional(),
});

export const applicationWithdrawn = z.object({
  occurredAt: instant,
  reason: shortText.optional(),
});

export const partnerLeft = z.object({
  occurredAt: instant,
  reason: shortText.optional(),
});

export const partnerExcluded = z.object({
  decidedOn: isoDate,
  resolutionId: id,
});

export const partnerEventSchemas = {
  PartnerApplied: partnerApplied,
  PartnerAdmitted: partnerAdmitted,
  PartnerRejected: partnerRejected,
  ApplicationWithdrawn: applicationWithdrawn,
  PartnerLeft: partnerLeft,
  PartnerExcluded: partnerExcluded,
} as const;

export type PartnerEvent =
  | { type: 'PartnerApplied'; data: z.infer<typeof partnerApplied>; occurredAt: string }
  | { type: 'PartnerAdmitted'; data: z.infer<typeof partnerAdmitted>; occurredAt: string }
  | { type: 'PartnerRejected'; data: z.infer<typeof partnerRejected>; occurredAt: string }
  | { type: 'ApplicationWithdrawn'; data: z.infer<typeof applicationWithdrawn>; occurredAt: string }
  | { type: 'PartnerLeft'; data: z.infer<typeof partnerLeft>; occurredAt: string }
  | { type: 'PartnerExcluded'; data: z.infer<typeof partnerExcluded>; occurredAt: string };
