import { withinPeriod, type IsoDate } from '../shared/dates';

export interface PatronTerm {
  patronId: string;
  name: string;
  office: string;
  startDate: IsoDate;
  /** set when a successor is appointed: the day before the successor's start */
  endDate?: IsoDate;
}

export interface StatementCorrection {
  correctionId: string;
  text: string;
  reason: string;
  occurredAt: string;
}

export interface Statement {
  statementId: string;
  patronId: string;
  text: string;
  language: string;
  occasion: string;
  issuedOn: IsoDate;
  sourceRef?: string;
  /** in the order recorded; the original text above is never replaced */
  corrections: StatementCorrection[];
}

export interface PatronState {
  /** ordered by startDate; succession is contiguous, so at most the last term is open */
  terms: PatronTerm[];
  /**
   * In the order issued. An array, not a record by id: every event copies the list (states are never changed in
   * place), and copying an array of thousands is a block copy, while copying an object with thousands of id keys
   * inserts them one by one into a new hash table (about 1 µs each: folding 10,000 statements took 45 s).
   */
  statements: Statement[];
}

export const emptyPatronState: PatronState = { terms: [], statements: [] };

/** The statement with this id, if it was issued. */
export function statementById(state: PatronState, statementId: string): Statement | undefined {
  return state.statements.find((s) => s.statementId === statementId);
}

/** The patron whose term covers the date (start and end inclusive), if any. */
export function patronInOffice(state: PatronState, date: IsoDate): PatronTerm | undefined {
  return state.terms.find((term) => withinPeriod(date, term.startDate, term.endDate));
}

/** The most recently appointed patron, whose term is still open. */
export function currentPatron(state: PatronState): PatronTerm | undefined {
  return state.terms[state.terms.length - 1];
}
