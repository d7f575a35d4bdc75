import type { Actor } from '../domain/shared/decider';
import type { SeatCategory } from '../domain/board/seats';
import type { CommandContext, Handlers } from '../handlers';

/**
 * The press release of 12.09.2025 (../shared/domain/000_b3ce98e24d079dfe.txt) as commands through the handlers.
 * The release names no board members: the seed names organisations and role titles, not invented people. Where the
 * release is silent and the ledger needs a fact (the seat numbers, the invitation's date, the tally, the first
 * applicant), the seed fills in a plausible value and says so in `SEED_ASSUMPTIONS`.
 *
 * Every command carries an idempotency key, so the ids are the same on every run and a second run appends nothing.
 */
export const SEED_ASSUMPTIONS = [
  'board seats: 2 ministry, 2 municipal, 2 chamber, 1 association, 1 union, 1 welfare (the release says only "a smaller circle")',
  'the invitation to the constituting meeting was sent on 01.09.2025',
  'the resolution on the new orientation was adopted unanimously by the nine voting members present',
  'the first application (an example organisation) arrived by e-mail on 15.09.2025',
] as const;

const DAY = '2025-09-12';
const PATRON_QUOTE =
  'Fachkräftesicherung ist die große Zukunftsaufgabe für Sachsen. Dafür müssen Wirtschaft, Sozialpartner, Politik und ' +
  'Verwaltung eng zusammenarbeiten. Mit dem erweiterten Netzwerk gewinnt die Allianz mehr Schlagkraft, um die richtigen ' +
  'Antworten auf die demografische Entwicklung und den wirtschaftlichen Wandel zu geben. Gerade in Zeiten wachsender ' +
  'Unsicherheiten und Krisen brauchen wir schnelle, flexible und gemeinschaftliche Antworten.';

/** Board members: organisations and role titles only. */
const MEMBERS: { name: string; onBehalfOf: string; seatCategory: SeatCategory; role: 'chair' | 'deputy-chair' | 'member' }[] = [
  { name: 'Staatssekretär:in (Vorsitz)', onBehalfOf: 'Sächsisches Staatsministerium für Wirtschaft und Arbeit', seatCategory: 'ministry', role: 'chair' },
  { name: 'Abteilungsleitung Berufliche Bildung', onBehalfOf: 'Sächsisches Staatsministerium für Kultus', seatCategory: 'ministry', role: 'member' },
  { name: 'Geschäftsführung', onBehalfOf: 'Sächsischer Städte- und Gemeindetag', seatCategory: 'municipal', role: 'member' },
  { name: 'Geschäftsführung', onBehalfOf: 'Sächsischer Landkreistag', seatCategory: 'municipal', role: 'member' },
  { name: 'Hauptgeschäftsführung (stellv. Vorsitz)', onBehalfOf: 'Industrie- und Handelskammern in Sachsen', seatCategory: 'chamber', role: 'deputy-chair' },
  { name: 'Hauptgeschäftsführung', onBehalfOf: 'Handwerkskammern in Sachsen', seatCategory: 'chamber', role: 'member' },
  { name: 'Hauptgeschäftsführung', onBehalfOf: 'Vereinigung der Sächsischen Wirtschaft', seatCategory: 'association', role: 'member' },
  { name: 'Vorsitz des Bezirks', onBehalfOf: 'DGB Sachsen', seatCategory: 'union', role: 'member' },
  { name: 'Geschäftsführung', onBehalfOf: 'LIGA der freien Wohlfahrtspflege in Sachsen', seatCategory: 'welfare', role: 'member' },
];

export interface SeedResult {
  /** how many commands appended events (0 on a second run) */
  appended: number;
  commands: number;
  ids: { meetingId: string; resolutionId: string; partnerId: string; statementId: string; memberIds: string[] };
}

export async function seedPressRelease(handlers: Handlers, actor: Actor = { id: 'ledger-seed', role: 'office' }): Promise<SeedResult> {
  let appended = 0;
  let commands = 0;
  const ctx = (step: string): CommandContext => ({ actor, idempotencyKey: `seed/press-release-2025-09-12/${step}` });
  const count = <T extends { appended: boolean }>(result: T): T => {
    commands += 1;
    if (result.appended) appended += 1;
    return result;
  };

  count(
    await handlers.alliance.constitute(
      {
        name: 'Fachkräfteallianz Sachsen',
        constitutedOn: DAY,
        place: 'Dresden',
        strategyRef: 'Fachkräftestrategie Sachsen 2030',
        officeEmail: 'fachkraefteallianz@smwa.sachsen.de',
      },
      ctx('constitution'),
    ),
  );
  count(await handlers.alliance.appointPatron({ name: 'Dirk Panter', office: 'Staatsminister für Wirtschaft und Arbeit', startDate: DAY }, ctx('patron')));
  const statement = count(
    await handlers.alliance.issueStatement(
      {
        text: PATRON_QUOTE,
        language: 'de',
        occasion: 'Neukonstituierung der Fachkräfteallianz Sachsen',
        issuedOn: DAY,
        sourceRef: 'Medieninformation vom 12.09.2025: „Fachkräfteallianz Sachsen stellt sich neu auf – breites Netzwerk stärkt Fachkräftesicherung“',
      },
      ctx('statement'),
    ),
  );
  count(
    await handlers.board.establish(
      {
        name: 'Beschließendes Gremium der Fachkräfteallianz Sachsen',
        establishedOn: DAY,
        seats: { ministry: 2, municipal: 2, chamber: 2, association: 1, union: 1, welfare: 1 },
      },
      ctx('board'),
    ),
  );
  const memberIds: string[] = [];
  for (const [index, member] of MEMBERS.entries()) {
    const result = count(await handlers.board.appointMember({ ...member, votingRight: true, startDate: DAY }, ctx(`member-${index}`)));
    memberIds.push(result.id);
  }

  const meeting = count(
    await handlers.meetings.schedule(
      {
        title: 'Konstituierende Sitzung der Fachkräfteallianz Sachsen',
        date: DAY,
        place: 'Dresden',
        agenda: [{ title: 'Neukonstituierung der Fachkräfteallianz Sachsen' }, { title: 'Neuausrichtung der Arbeit der Allianz' }],
      },
      ctx('meeting'),
    ),
  );
  count(await handlers.meetings.sendInvitation(meeting.id, { sentOn: '2025-09-01' }, ctx('invitation')));
  count(await handlers.meetings.recordAttendance(meeting.id, { present: memberIds, occurredAt: '2025-09-12T10:00:00+02:00' }, ctx('attendance')));

  const agendaItem = meeting.state.status === 'none' ? undefined : meeting.state.agenda[1];
  if (!agendaItem) throw new Error('the constituting meeting has no second agenda item');
  const resolution = count(
    await handlers.resolutions.propose(
      {
        title: 'Neuausrichtung der Fachkräfteallianz Sachsen',
        text:
          'Die Fachkräfteallianz Sachsen wird künftig durch ein breites Netzwerk sächsischer Partner unterstützt. Das ' +
          'beschließende Gremium besteht aus einer kleineren Runde von Mitgliedern der Staatsministerien, kommunaler ' +
          'Vertreter, Kammern, Verbände, Gewerkschaften und der LIGA der freien Wohlfahrtspflege; es wird ergänzt durch ' +
          'ein Fachkräftenetzwerk, in dem Partner ihre Expertise in Arbeits- und Projektgruppen einbringen.',
        kind: 'general',
        meetingId: meeting.id,
        agendaItemId: agendaItem.id,
        proposedOn: DAY,
      },
      ctx('resolution'),
    ),
  );
  count(
    await handlers.resolutions.recordVotes(
      resolution.id,
      { votes: memberIds.map((memberId) => ({ memberId, vote: 'yes' as const })), occurredAt: '2025-09-12T11:00:00+02:00' },
      ctx('votes'),
    ),
  );
  count(await handlers.resolutions.decide(resolution.id, { decidedOn: DAY }, ctx('decision')));
  count(await handlers.meetings.close(meeting.id, { occurredAt: '2025-09-12T13:00:00+02:00', minutesRef: 'Niederschrift der konstituierenden Sitzung vom 12.09.2025' }, ctx('closure')));

  const partner = count(
    await handlers.partners.apply(
      {
        organisation: { name: 'Musterverband Pflege Sachsen e. V. (Beispiel)', category: 'association', city: 'Leipzig' },
        contact: { name: 'Erika Mustermann', email: 'erika.mustermann@example.org' },
        expertise: ['Pflegeausbildung', 'Anerkennung ausländischer Berufsabschlüsse'],
        channel: 'email',
        receivedOn: '2025-09-15',
        messageRef: 'Bewerbung per E-Mail an fachkraefteallianz@smwa.sachsen.de',
      },
      ctx('application'),
    ),
  );

  return { appended, commands, ids: { meetingId: meeting.id, resolutionId: resolution.id, partnerId: partner.id, statementId: statement.id, memberIds } };
}
