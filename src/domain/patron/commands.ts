import type { z } from 'zod';
import type { Command } from '../shared/decider';
import { patronAppointed, statementCorrected, statementIssued } from './events';

/** POST /v1/patron/appointments, with the new `patronId`. */
export const appointPatronData = patronAppointed.strict();
export type AppointPatronData = z.infer<typeof appointPatronData>;
export type AppointPatron = Command<'AppointPatron', AppointPatronData>;

/** POST /v1/patron/statements, with the new `statementId`; the issuing patron is found from `issuedOn`. */
export const issueStatementData = statementIssued.omit({ patronId: true }).strict();
export type IssueStatementData = z.infer<typeof issueStatementData>;
export type IssueStatement = Command<'IssueStatement', IssueStatementData>;

/** POST /v1/patron/statements/{id}/corrections, with the new `correctionId` and the path's `statementId`. */
export const correctStatementData = statementCorrected.strict();
export type CorrectStatementData = z.infer<typeof correctStatementData>;
export type CorrectStatement = Command<'CorrectStatement', CorrectStatementData>;

export type PatronCommand = AppointPatron | IssueStatement | CorrectStatement;

export const patronCommandSchemas = {
  AppointPatron: appointPatronData,
  IssueStatement: issueStatementData,
  CorrectStatement: correctStatementData,
} as const;
