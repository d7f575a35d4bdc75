import type { z } from 'zod';
import type { Command } from '../shared/decider';
import { namedPerson } from '../shared/personal';
import { rulesOfProcedure } from '../rules/rules-of-procedure';
import type { ResolutionSummary } from '../resolution/summary';
import { boardEstablished, boardMemberAppointed, boardMemberDeparted, deputyAppointed, deputyDeparted, rulesOfProcedureChanged } from './events';

/** POST /v1/board; without `rules` the board starts with the defaults, missing rule fields take their defaults. */
export const establishBoardData = boardEstablished.extend({ rules: rulesOfProcedure.optional() }).strict();
export type EstablishBoardData = z.output<typeof establishBoardData>;
export type EstablishBoard = Command<'EstablishBoard', EstablishBoardData>;

/**
 * POST /v1/board/members, with the new `memberId` and the person's new `subjectId`. The name is personal data and
 * goes into the event as `person`.
 */
export const appointBoardMemberData = boardMemberAppointed
  .omit({ person: true })
  .extend({ subjectId: namedPerson.shape.subjectId, name: namedPerson.shape.name })
  .strict();
export type AppointBoardMemberData = z.output<typeof appointBoardMemberData>;
export type AppointBoardMember = Command<'AppointBoardMember', AppointBoardMemberData>;

/** POST /v1/board/members/{id}/deputies, with the new `deputyId`, the path's `memberId` and the new `subjectId`. */
export const appointDeputyData = deputyAppointed
  .omit({ person: true })
  .extend({ subjectId: namedPerson.shape.subjectId, name: namedPerson.shape.name })
  .strict();
export type AppointDeputyData = z.output<typeof appointDeputyData>;
export type AppointDeputy = Command<'AppointDeputy', AppointDeputyData>;

/** POST /v1/board/members/{id}/departure, with the path's `memberId`. */
export const recordMemberDepartureData = boardMemberDeparted.strict();
export type RecordMemberDepartureData = z.output<typeof recordMemberDepartureData>;
export type RecordMemberDeparture = Command<'RecordMemberDeparture', RecordMemberDepartureData>;

/** A deputy leaves before the member does. */
export const recordDeputyDepartureData = deputyDeparted.strict();
export type RecordDeputyDepartureData = z.output<typeof recordDeputyDepartureData>;
export type RecordDeputyDeparture = Command<'RecordDeputyDeparture', RecordDeputyDepartureData>;

/** POST /v1/board/rules. The body is `{resolutionId, effectiveFrom}`; the handler adds the cited resolution. */
export const changeRulesData = rulesOfProcedureChanged.pick({ resolutionId: true, effectiveFrom: true }).strict();
export type ChangeRulesData = z.output<typeof changeRulesData>;
/** Facts from other streams, loaded by the command handler and passed as the command's `context`. */
export interface ChangeRulesContext {
  /** the resolution `resolutionId` names, when it exists */
  resolution: ResolutionSummary | undefined;
}
export type ChangeRules = Command<'ChangeRules', ChangeRulesData> & { context: ChangeRulesContext };

export type BoardCommand =
  | EstablishBoard
  | AppointBoardMember
  | AppointDeputy
  | RecordMemberDeparture
  | RecordDeputyDeparture
  | ChangeRules;

/** The body schemas (context excluded: it is loaded by the handler, never sent). */
export const boardCommandSchemas = {
  EstablishBoard: establishBoardData,
  AppointBoardMember: appointBoardMemberData,
  AppointDeputy: appointDeputyData,
  RecordMemberDeparture: recordMemberDepartureData,
  RecordDeputyDeparture: recordDeputyDepartureData,
  ChangeRules: changeRulesData,
} as const;
