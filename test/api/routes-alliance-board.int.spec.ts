import { expectProblem, expectRefused, expectWritten, startTestServer, type TestServer } from './server-harness';
import { DAY, memberBodies, seats } from './world';

/** The alliance, its patron and statements, the board, its members and deputies, over the real server. */

const UNKNOWN = '00000000-0000-4000-8000-000000000001';

describe('alliance, patron and board routes', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t.cleanup());
  const office = () => t.as('office');

  describe('before anything is recorded', () => {
    it('GET /v1/alliance and GET /v1/board are 404, GET /v1/patron has no one in office', async () => {
      expectProblem(await t.as('anonymous').get('/v1/alliance'), 404, 'not-found');
      expectProblem(await t.as('anonymous').get('/v1/board'), 404, 'not-found');
      const patron = await t.as('anonymous').get('/v1/patron');
      expect(patron.status).toBe(200);
      expect(patron.body).toEqual({ inOffice: null, terms: [] });
    });

    it('a statement without a patron in office is 409 no-patron-in-office', async () => {
      await expectRefused(t, () => office().post('/v1/patron/statements', { text: 'Hallo', language: 'de', occasion: 'Test', issuedOn: DAY }), 409, 'no-patron-in-office');
    });

    it('a board member before the board is established is 409 board-not-established', async () => {
      await expectRefused(t, () => office().post('/v1/board/members', memberBodies[0]), 409, 'board-not-established');
    });
  });

  describe('POST /v1/patron/appointments', () => {
    it('appoints a patron before the constitution (201); a new appointment ends the previous term the day before', async () => {
      const first = expectWritten(await office().post('/v1/patron/appointments', { name: 'Dirk Panter', office: 'Staatsminister', startDate: DAY }), 201);
      const patron = await t.as('anonymous').get(`/v1/patron?asOf=${DAY}`);
      expect(patron.body.inOffice).toEqual({ id: first.id, name: 'Dirk Panter', office: 'Staatsminister', startDate: DAY });

      const second = expectWritten(await office().post('/v1/patron/appointments', { name: 'Nora Nachfolge', office: 'Staatsministerin', startDate: '2030-01-01' }), 201);
      expect(second.revision).toBeGreaterThan(first.revision);
      const terms = (await t.as('anonymous').get('/v1/patron?asOf=2030-01-01')).body;
      expect(terms.inOffice).toMatchObject({ id: second.id, name: 'Nora Nachfolge' });
      expect(terms.terms).toEqual([
        { id: first.id, name: 'Dirk Panter', office: 'Staatsminister', startDate: DAY, endDate: '2029-12-31' },
        { id: second.id, name: 'Nora Nachfolge', office: 'Staatsministerin', startDate: '2030-01-01' },
      ]);
      expect((await t.as('anonymous').get('/v1/patron?asOf=2029-12-31')).body.inOffice).toMatchObject({ id: first.id });
    });
  });

  describe('POST /v1/alliance/constitution', () => {
    it('constitutes the alliance (201, Location), readable at once', async () => {
      const res = await office().post('/v1/alliance/constitution', {
        name: 'Fachkräfteallianz Sachsen',
        constitutedOn: DAY,
        place: 'Dresden',
        strategyRef: 'Fachkräftestrategie 2030',
        officeEmail: 'office@example.org',
      });
      expect(expectWritten(res, 201)).toMatchObject({ id: 'main', revision: 0 });
      expect(res.headers.location).toBe('/v1/alliance');
      const alliance = await t.as('anonymous').get('/v1/alliance');
      expect(alliance.status).toBe(200);
      expect(alliance.body).toMatchObject({ name: 'Fachkräfteallianz Sachsen', constitutedOn: DAY, place: 'Dresden', board: null });
      expect(alliance.body.patron).toMatchObject({ name: 'Dirk Panter' });
      expect(alliance.body.partners).toMatchObject({ total: 0 });
      expect(alliance.body.groups).toMatchObject({ total: 0 });
    });

    it('is 404 as of a day before the constitution', async () => {
      expectProblem(await t.as('anonymous').get('/v1/alliance?asOf=2025-09-11'), 404, 'not-found');
    });

    it('a second constitution is 409 alliance-already-constituted', async () => {
      await expectRefused(
        t,
        () => office().post('/v1/alliance/constitution', { name: 'Noch eine', constitutedOn: '2025-10-01', place: 'Leipzig', officeEmail: 'x@example.org' }),
        409,
        'alliance-already-constituted',
      );
    });
  });

  describe('POST /v1/patron/statements and corrections', () => {
    let statementId: string;

    it('records a statement of the patron in office (201 {id, revision, position})', async () => {
      const res = await office().post('/v1/patron/statements', { text: 'Fachkräftesicherung ist die Zukunftsaufgabe.', language: 'de', occasion: 'Konstitution', issuedOn: DAY, sourceRef: 'Medieninformation' });
      statementId = expectWritten(res, 201).id;
      const statement = await t.as('anonymous').get(`/v1/patron/statements/${statementId}`);
      expect(statement.status).toBe(200);
      expect(statement.body).toMatchObject({ id: statementId, text: 'Fachkräftesicherung ist die Zukunftsaufgabe.', issuedOn: DAY, patron: { name: 'Dirk Panter' }, corrections: [] });
    });

    it('is 409 no-patron-in-office on a day before any patron', async () => {
      await expectRefused(t, () => office().post('/v1/patron/statements', { text: 'Zu früh', language: 'de', occasion: 'Test', issuedOn: '2025-09-11' }), 409, 'no-patron-in-office');
    });

    it('corrects a statement (201); the original stays, the list shows it with its corrections', async () => {
      const res = await office().post(`/v1/patron/statements/${statementId}/corrections`, {
        text: 'Fachkräftesicherung ist die große Zukunftsaufgabe für Sachsen.',
        reason: 'Zitat vervollständigt',
        occurredAt: '2025-09-13T09:00:00+02:00',
      });
      const correction = expectWritten(res, 201);
      expect(correction.id).not.toBe(statementId);
      const list = await t.as('anonymous').get('/v1/patron/statements');
      expect(list.status).toBe(200);
      expect(list.body.data).toEqual([
        expect.objectContaining({
          id: statementId,
          text: 'Fachkräftesicherung ist die Zukunftsaufgabe.',
          currentText: 'Fachkräftesicherung ist die große Zukunftsaufgabe für Sachsen.',
          corrections: [{ id: correction.id, text: 'Fachkräftesicherung ist die große Zukunftsaufgabe für Sachsen.', reason: 'Zitat vervollständigt', occurredAt: '2025-09-13T09:00:00+02:00' }],
        }),
      ]);
    });

    it('a correction of an unknown statement is 404; GET of one is 404', async () => {
      await expectRefused(t, () => office().post(`/v1/patron/statements/${UNKNOWN}/corrections`, { text: 'x', reason: 'y', occurredAt: '2025-09-13T09:00:00+02:00' }), 404, 'not-found');
      expectProblem(await t.as('anonymous').get(`/v1/patron/statements/${UNKNOWN}`), 404, 'not-found');
    });
  });

  describe('POST /v1/board and its members', () => {
    const memberIds: string[] = [];

    it('establishes the board (201, Location); 404 as of the day before', async () => {
      const res = await office().post('/v1/board', { name: 'Beschließendes Gremium', establishedOn: DAY, seats, rules: { invitationPeriodDays: 10 } });
      expect(expectWritten(res, 201)).toMatchObject({ id: 'main', revision: 0 });
      expect(res.headers.location).toBe('/v1/board');
      const board = await t.as('anonymous').get(`/v1/board?asOf=${DAY}`);
      expect(board.status).toBe(200);
      expect(board.body).toMatchObject({ name: 'Beschließendes Gremium', establishedOn: DAY, seats, members: [] });
      expect(board.body.rules).toMatchObject({ invitationPeriodDays: 10, urgentInvitationPeriodDays: 3 });
      expectProblem(await t.as('anonymous').get('/v1/board?asOf=2025-09-11'), 404, 'not-found');
    });

    it('a second board is 409 board-already-established', async () => {
      await expectRefused(t, () => office().post('/v1/board', { name: 'Zweites', establishedOn: DAY, seats }), 409, 'board-already-established');
    });

    it('appoints a member in every seat category (201 {id}); the board lists them', async () => {
      for (const body of memberBodies) memberIds.push(expectWritten(await office().post('/v1/board/members', body), 201).id);
      const board = await t.as('office').get(`/v1/board?asOf=${DAY}`);
      expect(board.body.members).toHaveLength(memberBodies.length);
      for (const [i, body] of memberBodies.entries()) {
        expect(board.body.members).toContainEqual(
          expect.objectContaining({ id: memberIds[i], name: body.name, subjectId: expect.any(String), onBehalfOf: body.onBehalfOf, seatCategory: body.seatCategory, role: body.role, votingRight: true, startDate: DAY, deputies: [] }),
        );
      }
    });

    it('is 409 seat-category-full when the category has no free seat', async () => {
      await expectRefused(
        t,
        () => office().post('/v1/board/members', { name: 'Noch ein Verband', onBehalfOf: 'Verband B', seatCategory: 'association', role: 'member', votingRight: true, startDate: DAY }),
        409,
        'seat-category-full',
      );
    });

    it('is 409 role-taken for a second chair', async () => {
      await expectRefused(
        t,
        () => office().post('/v1/board/members', { name: 'Zweite Vorsitzende', onBehalfOf: 'Ministerium B', seatCategory: 'ministry', role: 'chair', votingRight: true, startDate: DAY }),
        409,
        'role-taken',
      );
    });

    let deputyId: string;
    it('appoints a deputy for a member (201 {id}); the deputy holds no seat', async () => {
      const before = (await t.as('office').get(`/v1/board?asOf=${DAY}`)).body.seatsUsed;
      deputyId = expectWritten(await office().post(`/v1/board/members/${memberIds[2]}/deputies`, { name: 'Dora Deputy', startDate: DAY }), 201).id;
      const board = await t.as('office').get(`/v1/board?asOf=${DAY}`);
      const member = board.body.members.find((m: { id: string }) => m.id === memberIds[2]);
      expect(member.deputies).toEqual([expect.objectContaining({ id: deputyId, name: 'Dora Deputy', subjectId: expect.any(String) })]);
      expect(board.body.seatsUsed).toEqual(before);
    });

    it('a second deputy for the same period is 409 deputy-already-appointed; for an unknown member 404', async () => {
      await expectRefused(t, () => office().post(`/v1/board/members/${memberIds[2]}/deputies`, { name: 'Zweite Deputy', startDate: DAY }), 409, 'deputy-already-appointed');
      await expectRefused(t, () => office().post(`/v1/board/members/${UNKNOWN}/deputies`, { name: 'Niemandes Deputy', startDate: DAY }), 404, 'not-found');
    });

    it('a deputy leaves before the member (200); a second departure is 409 deputy-already-departed', async () => {
      const res = await office().post(`/v1/board/members/${memberIds[2]}/deputies/${deputyId}/departure`, { endDate: '2025-12-31', reason: 'Wechsel' });
      expect(expectWritten(res, 200).id).toBe(deputyId);
      await expectRefused(t, () => office().post(`/v1/board/members/${memberIds[2]}/deputies/${deputyId}/departure`, { endDate: '2025-12-31' }), 409, 'deputy-already-departed');
      await expectRefused(t, () => office().post(`/v1/board/members/${memberIds[2]}/deputies/${UNKNOWN}/departure`, { endDate: '2025-12-31' }), 404, 'not-found');
    });

    it('a member leaves (200); the board as of a later day no longer lists them; a second departure is 409', async () => {
      const res = await office().post(`/v1/board/members/${memberIds[5]}/departure`, { endDate: '2025-12-31', reason: 'Ruhestand' });
      expect(expectWritten(res, 200).id).toBe(memberIds[5]);
      const later = await t.as('anonymous').get('/v1/board?asOf=2026-01-01');
      expect(later.body.members.map((m: { id: string }) => m.id)).not.toContain(memberIds[5]);
      const earlier = await t.as('anonymous').get('/v1/board?asOf=2025-12-31');
      expect(earlier.body.members.map((m: { id: string }) => m.id)).toContain(memberIds[5]);
      await expectRefused(t, () => office().post(`/v1/board/members/${memberIds[5]}/departure`, { endDate: '2026-01-31' }), 409, 'member-already-departed');
      await expectRefused(t, () => office().post(`/v1/board/members/${UNKNOWN}/departure`, { endDate: '2026-01-31' }), 404, 'not-found');
    });

    it('the alliance summarises the board', async () => {
      const alliance = await t.as('anonymous').get(`/v1/alliance?asOf=${DAY}`);
      expect(alliance.body.board).toMatchObject({ name: 'Beschließendes Gremium', establishedOn: DAY, seatsTotal: 7, members: memberBodies.length, votingMembers: memberBodies.length });
    });
  });
});
