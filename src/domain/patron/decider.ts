import { dayBefore } from '../shared/dates';
import { assertNever, type Decider } from '../shared/decider';
import { DomainRuleViolated, NotFound } from '../shared/errors';
import { replaced } from '../shared/lists';
import type { AppointPatron, CorrectStatement, IssueStatement, PatronCommand } from './commands';
import type { PatronEvent } from './events';
import { currentPatron, emptyPatronState, patronInOffice, statementById, type PatronState } from './state';

export const initialState: PatronState = emptyPatronState;

export function evolve(state: PatronState, event: PatronEvent): PatronState {
  switch (event.type) {
    case 'PatronAppointed':
      return { ...state, terms: [...state.terms, { ...event.data }] };
    case 'PatronTermEnded':
      return {
        ...state,
        terms: state.terms.map((t) => (t.patronId === event.data.patronId ? { ...t, endDate: event.data.endDate } : t)),
      };
    case 'StatementIssued':
      return { ...state, statements: [...state.statements, { ...event.data, corrections: [] }] };
    case 'StatementCorrected': {
      const { statementId, ...correction } = event.data;
      const at = state.statements.findIndex((s) => s.statementId === statementId);
      if (at < 0) return state;
      const statement = state.statements[at]!;
      return { ...state, statements: replaced(state.statements, at, { ...statement, corrections: [...statement.corrections, correction] }) };
    }
    default:
      return assertNever(event);
  }
}

/**
 * Ministers change, so patrons succeed one another without a gap: the predecessor's term ends the day before the
 * successor starts. A successor starting on or before the predecessor's start would leave the predecessor an empty
 * or negative term, so it is refused. The constitution of the alliance is not required first.
 */
function appoint(command: AppointPatron, state: PatronState): PatronEvent[] {
  const { patronId, name, office, startDate } = command.data;
  const predecessor = currentPatron(state);
  const events: PatronEvent[] = [];
  if (predecessor) {
    if (startDate <= predecessor.startDate) {
      throw new DomainRuleViolated(
        'patron-succession-order',
        `a successor must start after the current patron's start (${predecessor.startDate})`,
      );
    }
    events.push({ type: 'PatronTermEnded', data: { patronId: predecessor.patronId, endDate: dayBefore(startDate) }, occurredAt: startDate });
  }
  events.push({ type: 'PatronAppointed', data: { patronId, name, office, startDate }, occurredAt: startDate });
  return events;
}

/** Only the patron in office on the day can speak as patron; the event names who that was. */
function issue(command: IssueStatement, state: PatronState): PatronEvent[] {
  const { statementId, text, language, occasion, issuedOn, sourceRef } = command.data;
  const patron = patronInOffice(state, issuedOn);
  if (!patron) throw new DomainRuleViolated('no-patron-in-office', `no patron was in office on ${issuedOn}`);
  return [
    {
      type: 'StatementIssued',
      data: {
        statementId,
        patronId: patron.patronId,
        text,
        language,
        occasion,
        issuedOn,
        ...(sourceRef !== undefined && { sourceRef }),
      },
      occurredAt: issuedOn,
    },
  ];
}

/** A published statement is never edited: the correction is a new fact beside it. */
function correct(command: CorrectStatement, state: PatronState): PatronEvent[] {
  const { correctionId, statementId, text, reason, occurredAt } = command.data;
  if (!statementById(state, statementId)) throw new NotFound('statement', statementId);
  return [{ type: 'StatementCorrected', data: { correctionId, statementId, text, reason, occurredAt }, occurredAt }];
}

export function decide(command: PatronCommand, state: PatronState): PatronEvent[] {
  switch (command.type) {
    case 'AppointPatron':
      return appoint(command, state);
    case 'IssueStatement':
      return issue(command, state);
    case 'CorrectStatement':
      return correct(command, state);
    default:
      return assertNever(command);
  }
}

export const patronDecider: Decider<PatronCommand, PatronEvent, PatronState> = { decide, evolve, initialState };
