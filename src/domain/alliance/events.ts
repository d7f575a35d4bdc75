import { z } from 'zod';
import { isoDate } from '../shared/dates';
import { reference, shortText } from '../shared/text';

export const allianceConstituted = z.object({
  name: shortText,
  constitutedOn: isoDate,
  place: shortText,
  strategyRef: reference.optional(),
  /** the office's functional address, not a person's */
  officeEmail: z.email().max(254),
});

export const allianceEventSchemas = {
  AllianceConstituted: allianceConstituted,
} as const;

export type AllianceEvent = { type: 'AllianceConstituted'; data: z.infer<typeof allianceConstituted>; occurredAt: string };
