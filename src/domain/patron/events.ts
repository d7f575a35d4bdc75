import { z } from 'zod';
import { instant, isoDate } from '../shared/dates';
import { id, longText, reference, shortText } from '../shared/text';

/** The patron is a public office holder acting in office: the name is public, not personal data. */
export const patronAppointed = z.object({
  patronId: id,
  name: shortText,
  office: shortText,
  startDate: isoDate,
});

/** Emitted with a successor's appointment: the term ends the day before the successor's start. */
export const patronTermEnded = z.object({
  patronId: id,
  endDate: isoDate,
});

export const statementIssued = z.object({
  statementId: id,
  patronId: id,
  text: longText,
  /** BCP 47 language tag, e.g. "de" */
  language: z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/, 'expected a language tag such as "de"'),
  occasion: shortText,
  issuedOn: isoDate,
  sourceRef: reference.optional(),
});

/** A statement is never edited: a correction is a new fact pointing at the original. */
export const statementCorrected = z.object({
  correctionId: id,
  statementId: id,
  text: longText,
  reason: shortText,
  occurredAt: instant,
});

export const patronEventSchemas = {
  PatronAppointed: patronAppointed,
  PatronTermEnded: patronTermEnded,
  StatementIssued: statementIssued,
  StatementCorrected: statementCorrected,
} as const;

export type PatronEvent =
  | { type: 'PatronAppointed'; data: z.infer<typeof patronAppointed>; occurredAt: string }
  | { type: 'PatronTermEnded'; data: z.infer<typeof patronTermEnded>; occurredAt: string }
  | { type: 'StatementIssued'; data: z.infer<typeof statementIssued>; occurredAt: string }
  | { type: 'StatementCorrected'; data: z.infer<typeof statementCorrected>; occurredAt: string };
