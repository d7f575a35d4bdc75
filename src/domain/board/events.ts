import { z } from 'zod';
import { isoDate } from '../shared/dates';
import { namedPerson } from '../shared/personal';
import { id, shortText } from '../shared/text';
import { rulesOfProcedure } from '../rules/rules-of-procedure';
import { memberRole, seatCategory, seats } from './seats';

export const boardEstablished = z.object({
  name: shortText,
  establishedOn: isoDate,
  seats,
  /** the rules in force from `establishedOn` (version 1) */
  rules: rulesOfProcedure,
});

export const boardMemberAppointed = z.object({
  memberId: id,
  person: namedPerson,
  onBehalfOf: shortText,
  seatCategory,
  role: memberRole,
  votingRight: z.boolean(),
  startDate: isoDate,
  endDate: isoDate.optional(),
});

/** A deputy holds no seat: they stand in for one member only, when that member is absent. */
export const deputyAppointed = z.object({
  deputyId: id,
  memberId: id,
  person: namedPerson,
  startDate: isoDate,
  endDate: isoDate.optional(),
});

export const boardMemberDeparted = z.object({
  memberId: id,
  endDate: isoDate,
  reason: shortText.optional(),
});

export const deputyDeparted = z.object({
  deputyId: id,
  memberId: id,
  endDate: isoDate,
  reason: shortText.optional(),
});

/** New rules, adopted by a `rules` resolution, apply from `effectiveFrom`; versions count from 1 (establishment). */
export const rulesOfProcedureChanged = z.object({
  version: z.number().int().min(2),
  rules: rulesOfProcedure,
  effectiveFrom: isoDate,
  resolutionId: id,
});

export const boardEventSchemas = {
  BoardEstablished: boardEstablished,
  BoardMemberAppointed: boardMemberAppointed,
  DeputyAppointed: deputyAppointed,
  BoardMemberDeparted: boardMemberDeparted,
  DeputyDeparted: deputyDeparted,
  RulesOfProcedureChanged: rulesOfProcedureChanged,
} as const;

export type BoardEvent =
  | { type: 'BoardEstablished'; data: z.infer<typeof boardEstablished>; occurredAt: string }
  | { type: 'BoardMemberAppointed'; data: z.infer<typeof boardMemberAppointed>; occurredAt: string }
  | { type: 'DeputyAppointed'; data: z.infer<typeof deputyAppointed>; occurredAt: string }
  | { type: 'BoardMemberDeparted'; data: z.infer<typeof boardMemberDeparted>; occurredAt: string }
  | { type: 'DeputyDeparted'; data: z.infer<typeof deputyDeparted>; occurredAt: string }
  | { type: 'RulesOfProcedureChanged'; data: z.infer<typeof rulesOfProcedureChanged>; occurredAt: string };
