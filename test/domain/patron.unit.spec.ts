import { correctStatementData, issueStatementData, type PatronCommand } from '../../src/domain/patron/commands';
import { patronDecider } from '../../src/domain/patron/decider';
import type { PatronEvent } from '../../src/domain/patron/events';
import { patronInOffice, statementById } from '../../src/domain/patron/state';
import { fold } from '../../src/domain/shared/decider';
import { spec } from '../support/decider-spec';

const metadata = { now: '2025-10-01T10:00:00+02:00', actor: { id: 'office-1', role: 'office' as const } };

const earlier = '0b8e2f0e-6d0a-4c55-9c1e-000000000001';
const panter = '0b8e2f0e-6d0a-4c55-9c1e-000000000002';
const later = '0b8e2f0e-6d0a-4c55-9c1e-000000000003';
const statementId = '5a1f7c3e-2b4d-4e6f-8a9b-000000000001';
const correctionId = '5a1f7c3e-2b4d-4e6f-8a9b-000000000002';

const appoint = (patronId: string, name: string, startDate: string): PatronCommand => ({
  type: 'AppointPatron',
  data: { patronId, name, office: 'Staatsminister für Wirtschaft und Arbeit', startDate },
  metadata,
});
const appointed = (patronId: string, name: string, startDate: string): PatronEvent => ({
  type: 'PatronAppointed',
  data: { patronId, name, office: 'Staatsminister für Wirtschaft und Arbeit', startDate },
  occurredAt: startDate,
});
const termEnded = (patronId: string, endDate: string, occurredAt: string): PatronEvent => ({
  type: 'PatronTermEnded',
  data: { patronId, endDate },
  occurredAt,
});

const statement = {
  statementId,
  text: 'Fachkräftesicherung ist eine Gemeinschaftsaufgabe.',
  language: 'de',
  occasion: 'Neukonstituierung der Fachkräfteallianz',
  issuedOn: '2025-09-12',
  sourceRef: 'Medieninformation SMWA 12.09.2025',
};
const issue = (issuedOn = statement.issuedOn): PatronCommand => ({ type: 'IssueStatement', data: { ...statement, issuedOn }, metadata });
const issued = (patronId: string, issuedOn = statement.issuedOn): PatronEvent => ({
  type: 'StatementIssued',
  data: { ...statement, patronId, issuedOn },
  occurredAt: issuedOn,
});

const correction = { correctionId, statementId, text: 'Fachkräftesicherung ist unsere Gemeinschaftsaufgabe.', reason: 'Tippfehler', occurredAt: '2025-09-13T09:00:00+02:00' };
const correct = (data: Partial<typeof correction> = {}): PatronCommand => ({ type: 'CorrectStatement', data: { ...correction, ...data }, metadata });

const panterAppointed = appointed(panter, 'Dirk Panter', '2024-12-20');

describe('patron', () => {
  describe('AppointPatron', () => {
    it('appoints the first patron, with or without a constituted alliance', () => {
      spec(patronDecider).given([]).when(appoint(panter, 'Dirk Panter', '2024-12-20')).then([panterAppointed]);
    });

    it("ends the predecessor's term the day before the successor starts", () => {
      spec(patronDecider)
        .given([appointed(earlier, 'Martin Dulig', '2019-12-20')])
        .when(appoint(panter, 'Dirk Panter', '2024-12-20'))
        .then([termEnded(earlier, '2024-12-19', '2024-12-20'), panterAppointed]);
    });

    it('ends the term across a year boundary', () => {
      spec(patronDecider)
        .given([panterAppointed])
        .when(appoint(later, 'N. N.', '2030-01-01'))
        .then([termEnded(panter, '2029-12-31', '2030-01-01'), appointed(later, 'N. N.', '2030-01-01')]);
    });

    it('ends only the current term on a third appointment', () => {
      spec(patronDecider)
        .given([appointed(earlier, 'Martin Dulig', '2019-12-20'), termEnded(earlier, '2024-12-19', '2024-12-20'), panterAppointed])
        .when(appoint(later, 'N. N.', '2029-12-20'))
        .then([termEnded(panter, '2029-12-19', '2029-12-20'), appointed(later, 'N. N.', '2029-12-20')]);
    });

    it("refuses a successor starting on the current patron's start date", () => {
      spec(patronDecider).given([panterAppointed]).when(appoint(later, 'N. N.', '2024-12-20')).thenRefuses('patron-succession-order');
    });

    it("refuses a successor starting before the current patron's start date", () => {
      spec(patronDecider).given([panterAppointed]).when(appoint(later, 'N. N.', '2024-01-01')).thenRefuses('patron-succession-order');
    });
  });

  describe('IssueStatement', () => {
    it('records the patron in office on the day of issue', () => {
      spec(patronDecider).given([panterAppointed]).when(issue()).then([issued(panter)]);
    });

    it('leaves out a source reference that was not given', () => {
      const { sourceRef: _, ...withoutRef } = statement;
      spec(patronDecider)
        .given([panterAppointed])
        .when({ type: 'IssueStatement', data: withoutRef, metadata })
        .then([{ type: 'StatementIssued', data: { ...withoutRef, patronId: panter }, occurredAt: '2025-09-12' }]);
      const [event] = spec(patronDecider).given([panterAppointed]).when({ type: 'IssueStatement', data: withoutRef, metadata }).events();
      expect(event!.data).not.toHaveProperty('sourceRef');
    });

    it('accepts a statement on the first day of the term', () => {
      spec(patronDecider).given([panterAppointed]).when(issue('2024-12-20')).then([issued(panter, '2024-12-20')]);
    });

    const succession = [appointed(earlier, 'Martin Dulig', '2019-12-20'), termEnded(earlier, '2024-12-19', '2024-12-20'), panterAppointed];

    it("attributes a statement on the predecessor's last day to the predecessor", () => {
      spec(patronDecider).given(succession).when(issue('2024-12-19')).then([issued(earlier, '2024-12-19')]);
    });

    it("attributes a statement on the successor's first day to the successor", () => {
      spec(patronDecider).given(succession).when(issue('2024-12-20')).then([issued(panter, '2024-12-20')]);
    });

    it('is refused when no patron has been appointed', () => {
      spec(patronDecider).given([]).when(issue()).thenRefuses('no-patron-in-office');
    });

    it("is refused for a date before the first patron's term", () => {
      spec(patronDecider).given([panterAppointed]).when(issue('2024-12-19')).thenRefuses('no-patron-in-office');
    });
  });

  describe('CorrectStatement', () => {
    it('records a correction beside the statement', () => {
      spec(patronDecider)
        .given([panterAppointed, issued(panter)])
        .when(correct())
        .then([{ type: 'StatementCorrected', data: correction, occurredAt: correction.occurredAt }]);
    });

    it('is refused for an unknown statement', () => {
      spec(patronDecider)
        .given([panterAppointed])
        .when(correct({ statementId: '5a1f7c3e-2b4d-4e6f-8a9b-0000000000ff' }))
        .thenNotFound('statement');
    });

    it('keeps the original text and accumulates the corrections', () => {
      const second = { ...correction, correctionId: '5a1f7c3e-2b4d-4e6f-8a9b-000000000003', text: 'Zweite Fassung.' };
      const state = fold(patronDecider, [
        panterAppointed,
        issued(panter),
        { type: 'StatementCorrected', data: correction, occurredAt: correction.occurredAt },
        { type: 'StatementCorrected', data: second, occurredAt: second.occurredAt },
      ]);
      const { statementId: _s, ...first } = correction;
      const { statementId: _t, ...next } = second;
      expect(statementById(state, statementId)).toEqual({ ...statement, patronId: panter, corrections: [first, next] });
    });
  });

  describe('patronInOffice', () => {
    const state = fold(patronDecider, [appointed(earlier, 'Martin Dulig', '2019-12-20'), termEnded(earlier, '2024-12-19', '2024-12-20'), panterAppointed]);

    it.each([
      ['2019-12-19', undefined],
      ['2019-12-20', earlier],
      ['2024-12-19', earlier],
      ['2024-12-20', panter],
      ['2031-06-01', panter],
    ])('on %s is %s', (date, expected) => {
      expect(patronInOffice(state, date)?.patronId).toBe(expected);
    });
  });

  describe('command schemas', () => {
    it('do not take the patron from the caller', () => {
      expect(issueStatementData.safeParse({ ...statement, patronId: panter }).success).toBe(false);
    });

    it('refuse a language that is no language tag', () => {
      expect(issueStatementData.safeParse({ ...statement, language: 'deutsch!' }).success).toBe(false);
    });

    it('require an instant with a zone for a correction', () => {
      expect(correctStatementData.safeParse(correction).success).toBe(true);
      expect(correctStatementData.safeParse({ ...correction, occurredAt: '2025-09-13T09:00:00' }).success).toBe(false);
    });
  });
});
