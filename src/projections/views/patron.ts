import { patronInOffice, statementById, type PatronState, type PatronTerm, type Statement } from '../../domain/patron/state';
import type { IsoDate } from '../../domain/shared/dates';
import type { ResolvedCut } from '../as-of';
import type { EntityIndex } from '../entity-index';
import { defined, type ListResult, type PageRequest } from './shared';

export interface PatronTermJson {
  id: string;
  name: string;
  office: string;
  startDate: IsoDate;
  endDate?: IsoDate;
}

export interface PatronJson {
  /** the patron in office on the view day */
  inOffice: PatronTermJson | null;
  /** every term known at the cut, in order */
  terms: PatronTermJson[];
}

export interface StatementCorrectionJson {
  id: string;
  text: string;
  reason: string;
  occurredAt: string;
}

export interface StatementJson {
  id: string;
  patronId: string;
  patron: { name: string; office: string } | null;
  text: string;
  /** the text as last corrected (the original when there is no correction) */
  currentText: string;
  language: string;
  occasion: string;
  issuedOn: IsoDate;
  sourceRef?: string;
  corrections: StatementCorrectionJson[];
}

export interface StatementFilter {
  from?: IsoDate;
  to?: IsoDate;
}

function patronState(index: EntityIndex, cut: ResolvedCut): PatronState | undefined {
  return index.stateOf('patron', 'main', cut);
}

export function termJson(term: PatronTerm): PatronTermJson {
  return defined({ id: term.patronId, name: term.name, office: term.office, startDate: term.startDate, endDate: term.endDate });
}

/** The patron in office on the view day and the terms known at the cut. */
export function patronView(index: EntityIndex, cut: ResolvedCut): PatronJson {
  const state = patronState(index, cut);
  const inOffice = state ? patronInOffice(state, cut.viewDay) : undefined;
  return { inOffice: inOffice ? termJson(inOffice) : null, terms: (state?.terms ?? []).map(termJson) };
}

/** GET /v1/patron/statements: newest first, each with its corrections. */
export function statementsView(index: EntityIndex, cut: ResolvedCut, filter: StatementFilter = {}, request?: PageRequest): ListResult<StatementJson> {
  const state = patronState(index, cut);
  if (!state) return { total: 0, items: [] };
  const matching = state.statements.filter(
    (s) => (filter.from === undefined || s.issuedOn >= filter.from) && (filter.to === undefined || s.issuedOn <= filter.to),
  );
  const key = (s: Statement) => `${s.issuedOn}\u0000${s.statementId}`;
  matching.sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0));
  const shown = request ? matching.slice((request.page - 1) * request.limit, request.page * request.limit) : matching;
  return { total: matching.length, items: shown.map((s) => statementJson(state, s)) };
}

export function statementView(index: EntityIndex, statementId: string, cut: ResolvedCut): StatementJson | undefined {
  const state = patronState(index, cut);
  const statement = state && statementById(state, statementId);
  return state && statement ? statementJson(state, statement) : undefined;
}

function statementJson(state: PatronState, s: Statement): StatementJson {
  const patron = state.terms.find((t) => t.patronId === s.patronId);
  return defined({
    id: s.statementId,
    patronId: s.patronId,
    patron: patron ? { name: patron.name, office: patron.office } : null,
    text: s.text,
    currentText: s.corrections.at(-1)?.text ?? s.text,
    language: s.language,
    occasion: s.occasion,
    issuedOn: s.issuedOn,
    sourceRef: s.sourceRef,
    corrections: s.corrections.map((c) => ({ id: c.correctionId, text: c.text, reason: c.reason, occurredAt: c.occurredAt })),
  });
}
