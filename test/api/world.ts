import { expectWritten, type TestServer } from './server-harness';

/**
 * A small alliance built over HTTP by the office, for the route specs: constituted, a patron, a board with a member
 * in every seat category (one more ministry seat than used), a meeting duly invited and fully attended, an
 * applicant admitted on an adopted resolution, a working group formed on one, and a second applicant who is not
 * admitted. Dates are in 2025; reads that depend on a day pass `asOf`.
 */

export const DAY = '2025-09-12';
export const MEETING_DAY = '2025-10-10';

export const seats = { ministry: 2, municipal: 1, chamber: 1, association: 1, union: 1, welfare: 1 };

export const memberBodies = [
  { name: 'Erika Vorsitz', onBehalfOf: 'Staatsministerium für Wirtschaft', seatCategory: 'ministry', role: 'chair', votingRight: true, startDate: DAY },
  { name: 'Max Kommune', onBehalfOf: 'Städte- und Gemeindetag', seatCategory: 'municipal', role: 'deputy-chair', votingRight: true, startDate: DAY },
  { name: 'Karla Kammer', onBehalfOf: 'IHK', seatCategory: 'chamber', role: 'member', votingRight: true, startDate: DAY },
  { name: 'Victor Verband', onBehalfOf: 'Vereinigung der Wirtschaft', seatCategory: 'association', role: 'member', votingRight: true, startDate: DAY },
  { name: 'Gerda Gewerkschaft', onBehalfOf: 'DGB Sachsen', seatCategory: 'union', role: 'member', votingRight: true, startDate: DAY },
  { name: 'Wilma Wohlfahrt', onBehalfOf: 'LIGA', seatCategory: 'welfare', role: 'member', votingRight: true, startDate: DAY },
] as const;

export const applicationBody = (name: string, receivedOn = '2025-09-15') => ({
  organisation: { name, category: 'association', city: 'Leipzig' },
  contact: { name: `Kontakt ${name}`, email: 'kontakt@example.org', phone: '+49 351 0000' },
  expertise: ['Pflege'],
  channel: 'email',
  receivedOn,
});

export interface World {
  patronId: string;
  statementId: string;
  memberIds: string[];
  deputyId: string;
  meetingId: string;
  agenda: { id: string; order: number; title: string }[];
  partnerId: string;
  applicantId: string;
  admissionResolutionId: string;
  formationResolutionId: string;
  groupId: string;
}

export async function buildWorld(t: TestServer): Promise<World> {
  const office = t.as('office');
  const post = async (path: string, body: unknown, status: 200 | 201) => expectWritten(await office.post(path, body), status);

  await post('/v1/alliance/constitution', { name: 'Fachkräfteallianz Sachsen', constitutedOn: DAY, place: 'Dresden', officeEmail: 'office@example.org' }, 201);
  const patron = await post('/v1/patron/appointments', { name: 'Dirk Panter', office: 'Staatsminister', startDate: DAY }, 201);
  const statement = await post('/v1/patron/statements', { text: 'Fachkräftesicherung ist die große Zukunftsaufgabe.', language: 'de', occasion: 'Konstitution', issuedOn: DAY }, 201);
  await post('/v1/board', { name: 'Beschließendes Gremium', establishedOn: DAY, seats }, 201);
  const memberIds: string[] = [];
  for (const body of memberBodies) memberIds.push((await post('/v1/board/members', body, 201)).id);
  const deputy = await post(`/v1/board/members/${memberIds[2]}/deputies`, { name: 'Dora Deputy', startDate: DAY }, 201);

  const meetingRes = await office.post('/v1/meetings', {
    title: 'Sitzung',
    date: MEETING_DAY,
    place: 'Dresden',
    agenda: [{ title: 'Aufnahme' }, { title: 'Arbeitsgruppe' }, { title: 'Verschiedenes' }],
  });
  const meeting = expectWritten(meetingRes, 201);
  const agenda = meetingRes.body.agenda as World['agenda'];
  await post(`/v1/meetings/${meeting.id}/invitations`, { sentOn: '2025-09-30' }, 200);
  await post(`/v1/meetings/${meeting.id}/attendance`, { present: memberIds, occurredAt: `${MEETING_DAY}T10:00:00+02:00` }, 200);

  const partner = await post('/v1/partners/applications', applicationBody('Pflegeverband'), 201);
  const applicant = await post('/v1/partners/applications', applicationBody('Zweiter Verband', '2025-09-16'), 201);

  const adopt = async (body: Record<string, unknown>, agendaItemId: string) => {
    const resolution = await post('/v1/resolutions', { text: 'Der Vorstand beschließt.', meetingId: meeting.id, agendaItemId, proposedOn: MEETING_DAY, ...body }, 201);
    await post(
      `/v1/resolutions/${resolution.id}/votes`,
      { votes: memberIds.map((memberId) => ({ memberId, vote: 'yes' })), occurredAt: `${MEETING_DAY}T11:00:00+02:00` },
      200,
    );
    await post(`/v1/resolutions/${resolution.id}/decision`, { decidedOn: MEETING_DAY }, 200);
    return resolution.id;
  };
  const admissionResolutionId = await adopt({ title: 'Aufnahme Pflegeverband', kind: 'partner-admission', subject: { partnerId: partner.id } }, agenda[0]!.id);
  await post(`/v1/partners/${partner.id}/admission`, { resolutionId: admissionResolutionId, decidedOn: MEETING_DAY }, 200);
  const group = { kind: 'working', name: 'AG Pflege', mandate: 'Fachkräfte in der Pflege gewinnen' } as const;
  const formationResolutionId = await adopt({ title: 'Bildung AG Pflege', kind: 'group-formation', subject: { group } }, agenda[1]!.id);
  const formed = await post('/v1/groups', { ...group, resolutionId: formationResolutionId, startDate: '2025-10-11' }, 201);
  await post(`/v1/groups/${formed.id}/members`, { partnerId: partner.id, joinedOn: '2025-10-11' }, 200);

  return {
    patronId: patron.id,
    statementId: statement.id,
    memberIds,
    deputyId: deputy.id,
    meetingId: meeting.id,
    agenda,
    partnerId: partner.id,
    applicantId: applicant.id,
    admissionResolutionId,
    formationResolutionId,
    groupId: formed.id,
  };
}

/**
 * Proposes a resolution for an agenda item of the world's meeting, records the votes (every member `vote`, default
 * yes) and decides it on the meeting day; answers the resolution's id.
 */
export async function adopt(t: TestServer, w: World, body: Record<string, unknown>, options: { agendaItemId?: string; vote?: 'yes' | 'no' } = {}): Promise<string> {
  const office = t.as('office');
  const resolution = expectWritten(
    await office.post('/v1/resolutions', {
      title: 'Beschluss',
      text: 'Der Vorstand beschließt.',
      kind: 'general',
      meetingId: w.meetingId,
      agendaItemId: options.agendaItemId ?? w.agenda[2]!.id,
      proposedOn: MEETING_DAY,
      ...body,
    }),
    201,
  );
  const votes = w.memberIds.map((memberId) => ({ memberId, vote: options.vote ?? 'yes' }));
  expectWritten(await office.post(`/v1/resolutions/${resolution.id}/votes`, { votes, occurredAt: `${MEETING_DAY}T11:00:00+02:00` }), 200);
  expectWritten(await office.post(`/v1/resolutions/${resolution.id}/decision`, { decidedOn: MEETING_DAY }), 200);
  return resolution.id;
}

/**
 * A body for every write route that passes validation (the domain may still refuse it), with the path parameters
 * that name entities of the world: for tests that must reach past validation on each write route.
 */
export function writeExamples(w: World): Record<string, { params: Record<string, string>; body: Record<string, unknown> }> {
  const id = { id: w.memberIds[0]! };
  const instant = '2025-10-12T12:00:00+02:00';
  return {
    '/v1/subjects/{subjectId}/erasure': { params: { subjectId: '00000000-0000-4000-8000-00000000e5e0' }, body: { reason: 'Art. 17 DSGVO' } },
    '/v1/alliance/constitution': { params: {}, body: { name: 'Allianz', constitutedOn: DAY, place: 'Dresden', officeEmail: 'a@example.org' } },
    '/v1/patron/appointments': { params: {}, body: { name: 'Patron', office: 'Minister', startDate: '2031-01-01' } },
    '/v1/patron/statements': { params: {}, body: { text: 'Text', language: 'de', occasion: 'Anlass', issuedOn: '2025-10-01' } },
    '/v1/patron/statements/{id}/corrections': { params: { id: w.statementId }, body: { text: 'Neu', reason: 'Fehler', occurredAt: instant } },
    '/v1/board': { params: {}, body: { name: 'Gremium', establishedOn: DAY, seats } },
    '/v1/board/members': { params: {}, body: { ...memberBodies[0], role: 'member', seatCategory: 'ministry' } },
    '/v1/board/members/{id}/deputies': { params: id, body: { name: 'Vertretung', startDate: '2025-10-01' } },
    '/v1/board/members/{id}/departure': { params: id, body: { endDate: '2030-12-31', reason: 'Wechsel' } },
    '/v1/board/members/{id}/deputies/{deputyId}/departure': { params: { id: w.memberIds[2]!, deputyId: w.deputyId }, body: { endDate: '2030-12-31' } },
    '/v1/board/rules': { params: {}, body: { resolutionId: w.admissionResolutionId, effectiveFrom: '2026-01-01' } },
    '/v1/meetings': { params: {}, body: { title: 'Sitzung', date: '2025-12-10', place: 'Dresden', agenda: [{ title: 'TOP 1' }] } },
    '/v1/meetings/{id}/invitations': { params: { id: w.meetingId }, body: { sentOn: '2025-10-01' } },
    '/v1/meetings/{id}/attendance': { params: { id: w.meetingId }, body: { present: w.memberIds, occurredAt: `${MEETING_DAY}T10:30:00+02:00` } },
    '/v1/meetings/{id}/closure': { params: { id: w.meetingId }, body: { occurredAt: `${MEETING_DAY}T18:00:00+02:00` } },
    '/v1/meetings/{id}/cancellation': { params: { id: w.meetingId }, body: { occurredAt: instant } },
    '/v1/resolutions': { params: {}, body: { title: 'T', text: 'X', kind: 'general', meetingId: w.meetingId, agendaItemId: w.agenda[2]!.id, proposedOn: MEETING_DAY } },
    '/v1/resolutions/{id}/votes': { params: { id: w.admissionResolutionId }, body: { votes: [{ memberId: w.memberIds[0], vote: 'no' }], occurredAt: instant } },
    '/v1/resolutions/{id}/objections': { params: { id: w.admissionResolutionId }, body: { memberId: w.memberIds[0], occurredAt: instant } },
    '/v1/resolutions/{id}/decision': { params: { id: w.admissionResolutionId }, body: { decidedOn: MEETING_DAY } },
    '/v1/resolutions/{id}/corrections': { params: { id: w.admissionResolutionId }, body: { text: 'Neu', reason: 'Fehler', occurredAt: instant } },
    '/v1/resolutions/{id}/revocation': { params: { id: w.admissionResolutionId }, body: { resolutionId: w.formationResolutionId, occurredAt: instant } },
    '/v1/partners/applications': { params: {}, body: applicationBody('Beispiel') },
    '/v1/partners/{id}/admission': { params: { id: w.applicantId }, body: { decidedOn: MEETING_DAY } },
    '/v1/partners/{id}/rejection': { params: { id: w.partnerId }, body: { reason: 'Grund', decidedOn: MEETING_DAY } },
    '/v1/partners/{id}/withdrawal': { params: { id: w.partnerId }, body: { occurredAt: instant } },
    '/v1/partners/{id}/departure': { params: { id: w.applicantId }, body: { occurredAt: instant } },
    '/v1/partners/{id}/exclusion': { params: { id: w.partnerId }, body: { resolutionId: w.admissionResolutionId, decidedOn: MEETING_DAY } },
    '/v1/groups': { params: {}, body: { kind: 'working', name: 'AG', mandate: 'M', resolutionId: w.admissionResolutionId, startDate: '2025-10-11' } },
    '/v1/groups/{id}/members': { params: { id: w.groupId }, body: { partnerId: w.applicantId, joinedOn: '2025-10-12' } },
    '/v1/groups/{id}/members/{partnerId}/departure': { params: { id: w.groupId, partnerId: w.applicantId }, body: { leftOn: '2025-10-12' } },
    '/v1/groups/{id}/lead': { params: { id: w.groupId }, body: { partnerId: w.applicantId, occurredAt: instant } },
    '/v1/groups/{id}/mandate': { params: { id: w.groupId }, body: { mandate: 'Neu', resolutionId: w.admissionResolutionId, occurredAt: instant } },
    '/v1/groups/{id}/dissolution': { params: { id: w.groupId }, body: { resolutionId: w.admissionResolutionId, dissolvedOn: '2025-12-31' } },
  };
}
