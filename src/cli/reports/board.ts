import { seatCategories } from '../../domain/board/seats';
import { commonFields, queryOf, type Field, type ReportDocument, type ReportInput, type Row, type Section } from './document';
import { roleLabel, rulesSummary, seatCategoryLabel } from './german';

/** The board's composition on the view day: seats per category, the members in office, the rules in force. */
export function boardReport(input: ReportInput): ReportDocument {
  const query = queryOf(input);
  const board = input.models.board(query);
  const fields: Field[] = commonFields(input);
  const seats: Section = {
    key: 'seats',
    title: 'Sitze je Kategorie',
    columns: [
      { key: 'category', label: 'Kategorie' },
      { key: 'seats', label: 'Sitze', type: 'number' },
      { key: 'used', label: 'Besetzt', type: 'number' },
      { key: 'free', label: 'Frei', type: 'number' },
    ],
    rows: [],
    empty: 'Am Stichtag ist kein Gremium eingerichtet.',
  };
  const members: Section = {
    key: 'members',
    title: 'Mitglieder',
    columns: [
      { key: 'role', label: 'Funktion' },
      { key: 'seatCategory', label: 'Kategorie' },
      { key: 'onBehalfOf', label: 'Entsendende Organisation' },
      ...(input.withPersonalData ? [{ key: 'name', label: 'Name' }] : []),
      { key: 'votingRight', label: 'Stimmrecht', type: 'boolean' as const },
      { key: 'startDate', label: 'Mitglied seit', type: 'date' as const },
      { key: 'endDate', label: 'Mitglied bis', type: 'date' as const },
      { key: 'deputies', label: 'Stellvertretung', type: input.withPersonalData ? ('list' as const) : ('number' as const) },
      { key: 'id', label: 'Mitglieds-ID' },
    ],
    rows: [],
    empty: 'Am Stichtag sitzt kein Mitglied im Gremium.',
  };
  if (!board) {
    fields.push({ key: 'board', label: 'Gremium', value: 'am Stichtag nicht eingerichtet' });
    return { report: 'board', title: 'Zusammensetzung des Gremiums', fields, sections: [seats, members], main: 'members' };
  }

  const rules = rulesSummary(board.rules);
  fields.push(
    { key: 'board', label: 'Gremium', value: board.name },
    { key: 'establishedOn', label: 'Eingerichtet am', value: board.establishedOn, type: 'date' },
    { key: 'votingMembers', label: 'Stimmberechtigte Mitglieder', value: board.members.filter((m) => m.votingRight).length, type: 'number' },
    { key: 'rulesVersion', label: 'Geschäftsordnung, Version', value: board.rulesVersion, type: 'number' },
    { key: 'rulesEffectiveFrom', label: 'Geschäftsordnung gültig ab', value: board.rulesEffectiveFrom, type: 'date' },
    { key: 'invitationPeriod', label: 'Einladungsfrist', value: rules.invitation },
    { key: 'quorum', label: 'Beschlussfähigkeit', value: rules.quorum },
    { key: 'tieBreak', label: 'Bei Stimmengleichheit', value: rules.tieBreak },
    { key: 'admissionBy', label: 'Aufnahme von Partnern durch', value: rules.admission },
  );

  let total = 0;
  let used = 0;
  for (const category of seatCategories) {
    const use = board.seatsUsed[category];
    total += use.seats;
    used += use.used;
    seats.rows.push({ category: seatCategoryLabel[category], seats: use.seats, used: use.used, free: use.free });
  }
  seats.rows.push({ category: 'Gesamt', seats: total, used, free: Math.max(0, total - used) });

  members.rows = board.members.map((m): Row => ({
    role: roleLabel[m.role],
    seatCategory: seatCategoryLabel[m.seatCategory],
    onBehalfOf: m.onBehalfOf,
    ...(input.withPersonalData && { name: m.name ?? '(gelöscht)' }),
    votingRight: m.votingRight,
    startDate: m.startDate,
    endDate: m.endDate ?? null,
    deputies: input.withPersonalData ? m.deputies.map((d) => d.name ?? '(gelöscht)') : m.deputies.length,
    id: m.id,
  }));
  return { report: 'board', title: 'Zusammensetzung des Gremiums', fields, sections: [seats, members], main: 'members' };
}
