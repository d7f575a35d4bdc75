import { expectProblem, expectRefused, expectWritten, startTestServer, type TestServer } from './server-harness';
import { adopt, applicationBody, buildWorld, MEETING_DAY, type World } from './world';

/** Network partners and working/project groups, over the real server. */

const UNKNOWN = '00000000-0000-4000-8000-000000000003';
const at = (day: string) => `${day}T12:00:00+01:00`;

describe('partner and group routes', () => {
  let t: TestServer;
  let w: World;
  beforeAll(async () => {
    t = await startTestServer();
    w = await buildWorld(t);
  });
  afterAll(async () => t.cleanup());
  const office = () => t.as('office');
  const apply = async (name: string) => expectWritten(await office().post('/v1/partners/applications', applicationBody(name, '2025-09-20')), 201).id;
  const admitted = async (name: string) => {
    const partnerId = await apply(name);
    const resolutionId = await adopt(t, w, { title: `Aufnahme ${name}`, kind: 'partner-admission', subject: { partnerId } });
    expectWritten(await office().post(`/v1/partners/${partnerId}/admission`, { resolutionId, decidedOn: MEETING_DAY }), 200);
    return partnerId;
  };

  describe('partners', () => {
    it('POST /v1/partners/applications: 201 with Location; the contact only for privileged readers', async () => {
      const res = await office().post('/v1/partners/applications', { ...applicationBody('Neuer Verband'), messageRef: 'Mail vom 15.09.' });
      const id = expectWritten(res, 201).id;
      expect(res.headers.location).toBe(`/v1/partners/${id}`);
      const anonymous = await t.as('anonymous').get(`/v1/partners/${id}`);
      expect(anonymous.status).toBe(200);
      expect(anonymous.body).toMatchObject({ id, status: 'applied', organisation: { name: 'Neuer Verband', category: 'association' }, channel: 'email', receivedOn: '2025-09-15' });
      expect(anonymous.body.contact).toBeUndefined();
      const auditor = await t.as('auditor').get(`/v1/partners/${id}`);
      expect(auditor.body.contact).toEqual({ subjectId: expect.any(String), name: 'Kontakt Neuer Verband', email: 'kontakt@example.org', phone: '+49 351 0000' });
    });

    it('admission refusals: no resolution 409, one naming another partner 409, an unknown one 404, an unknown partner 404', async () => {
      await expectRefused(t, () => office().post(`/v1/partners/${w.applicantId}/admission`, { decidedOn: MEETING_DAY }), 409, 'admission-resolution-required');
      await expectRefused(t, () => office().post(`/v1/partners/${w.applicantId}/admission`, { resolutionId: w.admissionResolutionId, decidedOn: MEETING_DAY }), 409, 'admission-resolution-required');
      await expectRefused(t, () => office().post(`/v1/partners/${w.applicantId}/admission`, { resolutionId: UNKNOWN, decidedOn: MEETING_DAY }), 404, 'not-found');
      await expectRefused(t, () => office().post(`/v1/partners/${UNKNOWN}/admission`, { resolutionId: w.admissionResolutionId, decidedOn: MEETING_DAY }), 404, 'not-found');
    });

    it('POST /admission (200) on an adopted partner-admission resolution naming the partner', async () => {
      const partner = await t.as('anonymous').get(`/v1/partners/${w.partnerId}`);
      expect(partner.body).toMatchObject({ status: 'admitted', admittedOn: MEETING_DAY, admittedBy: 'board', admissionResolutionId: w.admissionResolutionId });
    });

    it('POST /rejection (200); afterwards an admission is 409 invalid-status', async () => {
      const id = await apply('Abgelehnt e. V.');
      expect(expectWritten(await office().post(`/v1/partners/${id}/rejection`, { reason: 'Nicht in Sachsen tätig', decidedOn: '2025-10-01' }), 200).id).toBe(id);
      expect((await t.as('anonymous').get(`/v1/partners/${id}`)).body).toMatchObject({ status: 'rejected', rejectedOn: '2025-10-01', rejectionReason: 'Nicht in Sachsen tätig' });
      const resolutionId = await adopt(t, w, { title: 'Aufnahme', kind: 'partner-admission', subject: { partnerId: id } });
      await expectRefused(t, () => office().post(`/v1/partners/${id}/admission`, { resolutionId, decidedOn: MEETING_DAY }), 409, 'invalid-status');
      await expectRefused(t, () => office().post(`/v1/partners/${UNKNOWN}/rejection`, { reason: 'x', decidedOn: '2025-10-01' }), 404, 'not-found');
    });

    it('POST /withdrawal (200); a second withdrawal is 409 invalid-status', async () => {
      const id = await apply('Zurückgezogen e. V.');
      expectWritten(await office().post(`/v1/partners/${id}/withdrawal`, { occurredAt: at('2025-09-25'), reason: 'Keine Kapazität' }), 200);
      expect((await t.as('anonymous').get(`/v1/partners/${id}`)).body).toMatchObject({ status: 'withdrawn' });
      await expectRefused(t, () => office().post(`/v1/partners/${id}/withdrawal`, { occurredAt: at('2025-09-26') }), 409, 'invalid-status');
      await expectRefused(t, () => office().post(`/v1/partners/${UNKNOWN}/withdrawal`, { occurredAt: at('2025-09-26') }), 404, 'not-found');
    });

    it('POST /departure (200) of an admitted partner; an applicant cannot depart (409 invalid-status)', async () => {
      const id = await admitted('Ausgetreten e. V.');
      expectWritten(await office().post(`/v1/partners/${id}/departure`, { occurredAt: at('2025-11-01'), reason: 'Auflösung' }), 200);
      expect((await t.as('anonymous').get(`/v1/partners/${id}?asOf=2025-11-02`)).body).toMatchObject({ status: 'left' });
      expect((await t.as('anonymous').get(`/v1/partners/${id}?asOf=2025-10-31`)).body).toMatchObject({ status: 'admitted' });
      await expectRefused(t, () => office().post(`/v1/partners/${w.applicantId}/departure`, { occurredAt: at('2025-11-01') }), 409, 'invalid-status');
      await expectRefused(t, () => office().post(`/v1/partners/${UNKNOWN}/departure`, { occurredAt: at('2025-11-01') }), 404, 'not-found');
    });

    it('POST /exclusion (200) cites an adopted partner-exclusion resolution; otherwise 409 exclusion-resolution-required', async () => {
      const id = await admitted('Ausgeschlossen e. V.');
      const general = await adopt(t, w, { title: 'Allgemein' });
      await expectRefused(t, () => office().post(`/v1/partners/${id}/exclusion`, { resolutionId: general, decidedOn: MEETING_DAY }), 409, 'exclusion-resolution-required');
      const rejectedExclusion = await adopt(t, w, { title: 'Ausschluss abgelehnt', kind: 'partner-exclusion', subject: { partnerId: id } }, { vote: 'no' });
      await expectRefused(t, () => office().post(`/v1/partners/${id}/exclusion`, { resolutionId: rejectedExclusion, decidedOn: MEETING_DAY }), 409, 'exclusion-resolution-required');
      const exclusion = await adopt(t, w, { title: 'Ausschluss', kind: 'partner-exclusion', subject: { partnerId: id } });
      expectWritten(await office().post(`/v1/partners/${id}/exclusion`, { resolutionId: exclusion, decidedOn: MEETING_DAY }), 200);
      expect((await t.as('anonymous').get(`/v1/partners/${id}`)).body).toMatchObject({ status: 'excluded', exclusionResolutionId: exclusion });
      await expectRefused(t, () => office().post(`/v1/partners/${UNKNOWN}/exclusion`, { resolutionId: exclusion, decidedOn: MEETING_DAY }), 404, 'not-found');
    });

    it('GET /v1/partners filters by status and category and pages; GET of an unknown partner is 404', async () => {
      const list = await t.as('anonymous').get('/v1/partners?status=applied&category=association&limit=1');
      expect(list.status).toBe(200);
      expect(list.body.data).toHaveLength(1);
      expect(list.body.data[0]).toMatchObject({ status: 'applied', category: 'association' });
      expect(list.body.data[0].contact).toBeUndefined();
      expect(list.body.pagination).toEqual({ totalElements: expect.any(Number), elementsPerPage: 1, currentPage: 1 });
      expect(list.body.pagination.totalElements).toBeGreaterThan(1);
      expect(list.body.links).toEqual({ self: '/v1/partners?status=applied&category=association&limit=1', next: '/v1/partners?status=applied&category=association&limit=1&page=2' });
      const none = await t.as('anonymous').get('/v1/partners?category=research');
      expect(none.body).toEqual({ data: [], pagination: { totalElements: 0, elementsPerPage: 50, currentPage: 1 }, links: { self: '/v1/partners?category=research' } });
      expectProblem(await t.as('anonymous').get(`/v1/partners/${UNKNOWN}`), 404, 'not-found');
      expectProblem(await t.as('anonymous').get('/v1/partners?status=dormant'), 400, 'bad-request');
    });
  });

  describe('groups', () => {
    it('POST /v1/groups refusals: a resolution of another kind 409, an unknown one 404, a project group without its planned end 409', async () => {
      const general = await adopt(t, w, { title: 'Allgemein' });
      await expectRefused(t, () => office().post('/v1/groups', { kind: 'working', name: 'AG X', mandate: 'M', resolutionId: general, startDate: '2025-10-11' }), 409, 'formation-resolution-required');
      await expectRefused(t, () => office().post('/v1/groups', { kind: 'working', name: 'AG X', mandate: 'M', resolutionId: UNKNOWN, startDate: '2025-10-11' }), 404, 'not-found');
      const group = { kind: 'project', name: 'Projekt Y', mandate: 'Ein Projekt' } as const;
      const formation = await adopt(t, w, { title: 'Projekt Y', kind: 'group-formation', subject: { group } });
      await expectRefused(t, () => office().post('/v1/groups', { ...group, resolutionId: formation, startDate: '2025-10-11' }), 409, 'planned-end-required');
      const res = await office().post('/v1/groups', { ...group, resolutionId: formation, startDate: '2025-10-11', plannedEndDate: '2026-10-10' });
      const id = expectWritten(res, 201).id;
      expect(res.headers.location).toBe(`/v1/groups/${id}`);
    });

    it('POST /v1/groups (201) on an adopted group-formation resolution; GET shows it with the resolution that formed it', async () => {
      const group = await t.as('anonymous').get(`/v1/groups/${w.groupId}`);
      expect(group.status).toBe(200);
      expect(group.body).toMatchObject({ id: w.groupId, kind: 'working', name: 'AG Pflege', status: 'active', leadPartnerId: null });
      expect(group.body.members).toEqual([{ partnerId: w.partnerId, organisation: 'Pflegeverband', joinedOn: '2025-10-11' }]);
      expect(group.body.resolutions).toEqual([expect.objectContaining({ resolutionId: w.formationResolutionId, effect: 'formed' })]);
    });

    it('POST /members refusals: not admitted 409, already a member 409, unknown partner or group 404', async () => {
      await expectRefused(t, () => office().post(`/v1/groups/${w.groupId}/members`, { partnerId: w.applicantId, joinedOn: '2025-10-12' }), 409, 'partner-not-admitted');
      await expectRefused(t, () => office().post(`/v1/groups/${w.groupId}/members`, { partnerId: w.partnerId, joinedOn: '2025-10-12' }), 409, 'already-member');
      await expectRefused(t, () => office().post(`/v1/groups/${w.groupId}/members`, { partnerId: UNKNOWN, joinedOn: '2025-10-12' }), 404, 'not-found');
      await expectRefused(t, () => office().post(`/v1/groups/${UNKNOWN}/members`, { partnerId: w.partnerId, joinedOn: '2025-10-12' }), 404, 'not-found');
    });

    it('POST /lead (200): the lead is not made a member; the same lead again is 409 already-lead', async () => {
      const lead = await admitted('Leitung e. V.');
      expectWritten(await office().post(`/v1/groups/${w.groupId}/lead`, { partnerId: lead, occurredAt: at('2025-10-12') }), 200);
      const group = await t.as('anonymous').get(`/v1/groups/${w.groupId}`);
      expect(group.body.leadPartnerId).toBe(lead);
      expect(group.body.members.map((m: { partnerId: string }) => m.partnerId)).toEqual([w.partnerId]);
      await expectRefused(t, () => office().post(`/v1/groups/${w.groupId}/lead`, { partnerId: lead, occurredAt: at('2025-10-13') }), 409, 'already-lead');
      await expectRefused(t, () => office().post(`/v1/groups/${UNKNOWN}/lead`, { partnerId: lead, occurredAt: at('2025-10-13') }), 404, 'not-found');
    });

    it('POST /members (200) and /members/{partnerId}/departure (200); a second departure is 409 not-a-member', async () => {
      const second = await admitted('Zweites Mitglied e. V.');
      expectWritten(await office().post(`/v1/groups/${w.groupId}/members`, { partnerId: second, joinedOn: '2025-10-12' }), 200);
      expect((await t.as('anonymous').get(`/v1/partners/${second}?asOf=2025-10-12`)).body.groups).toEqual([{ groupId: w.groupId, name: 'AG Pflege', kind: 'working', joinedOn: '2025-10-12' }]);
      expectWritten(await office().post(`/v1/groups/${w.groupId}/members/${second}/departure`, { leftOn: '2025-10-20' }), 200);
      const members = (await t.as('anonymous').get(`/v1/groups/${w.groupId}?asOf=2025-10-21`)).body.members.map((m: { partnerId: string }) => m.partnerId);
      expect(members).toEqual([w.partnerId]);
      await expectRefused(t, () => office().post(`/v1/groups/${w.groupId}/members/${second}/departure`, { leftOn: '2025-10-21' }), 409, 'not-a-member');
      await expectRefused(t, () => office().post(`/v1/groups/${UNKNOWN}/members/${second}/departure`, { leftOn: '2025-10-21' }), 404, 'not-found');
    });

    it('POST /mandate (200) cites an adopted group-mandate resolution; otherwise 409 mandate-resolution-required', async () => {
      const general = await adopt(t, w, { title: 'Allgemein' });
      await expectRefused(t, () => office().post(`/v1/groups/${w.groupId}/mandate`, { mandate: 'Neu', resolutionId: general, occurredAt: at('2025-10-15') }), 409, 'mandate-resolution-required');
      const mandate = await adopt(t, w, { title: 'Mandat', kind: 'group-mandate', subject: { groupId: w.groupId } });
      expectWritten(await office().post(`/v1/groups/${w.groupId}/mandate`, { mandate: 'Pflege und Gesundheit', resolutionId: mandate, occurredAt: at('2025-10-15') }), 200);
      const group = await t.as('anonymous').get(`/v1/groups/${w.groupId}`);
      expect(group.body.mandate).toBe('Pflege und Gesundheit');
      expect(group.body.resolutions.map((r: { effect: string }) => r.effect)).toEqual(['formed', 'mandate-amended']);
      await expectRefused(t, () => office().post(`/v1/groups/${UNKNOWN}/mandate`, { mandate: 'x', resolutionId: mandate, occurredAt: at('2025-10-15') }), 404, 'not-found');
    });

    it('POST /dissolution (200) cites an adopted group-dissolution resolution; afterwards a join is 409 group-dissolved', async () => {
      const general = await adopt(t, w, { title: 'Allgemein' });
      await expectRefused(t, () => office().post(`/v1/groups/${w.groupId}/dissolution`, { resolutionId: general, dissolvedOn: '2025-12-31' }), 409, 'dissolution-resolution-required');
      const dissolution = await adopt(t, w, { title: 'Auflösung', kind: 'group-dissolution', subject: { groupId: w.groupId } });
      expectWritten(await office().post(`/v1/groups/${w.groupId}/dissolution`, { resolutionId: dissolution, dissolvedOn: '2025-12-31', finalReportRef: 'Abschlussbericht' }), 200);
      const group = await t.as('anonymous').get(`/v1/groups/${w.groupId}?asOf=2026-01-01`);
      expect(group.body).toMatchObject({ status: 'dissolved', dissolvedOn: '2025-12-31', finalReportRef: 'Abschlussbericht' });
      expect(group.body.resolutions.map((r: { effect: string }) => r.effect)).toEqual(['formed', 'mandate-amended', 'dissolved']);
      const late = await admitted('Zu spät e. V.');
      await expectRefused(t, () => office().post(`/v1/groups/${w.groupId}/members`, { partnerId: late, joinedOn: '2026-01-02' }), 409, 'group-dissolved');
      await expectRefused(t, () => office().post(`/v1/groups/${UNKNOWN}/dissolution`, { resolutionId: dissolution, dissolvedOn: '2025-12-31' }), 404, 'not-found');
    });

    it('GET /v1/groups lists groups with members, filtered by kind; GET of an unknown group is 404', async () => {
      const working = await t.as('anonymous').get('/v1/groups?kind=working');
      expect(working.status).toBe(200);
      expect(working.body.data.map((g: { id: string }) => g.id)).toEqual([w.groupId]);
      expect(working.body.data[0].members).toEqual(expect.any(Array));
      const project = await t.as('anonymous').get('/v1/groups?kind=project');
      expect(project.body.data).toHaveLength(1);
      expect(project.body.data[0]).toMatchObject({ kind: 'project', name: 'Projekt Y' });
      expectProblem(await t.as('anonymous').get(`/v1/groups/${UNKNOWN}`), 404, 'not-found');
    });
  });

  describe('admission delegated to the office', () => {
    it('once the rules delegate admission, the office admits without a resolution (200); before, 409', async () => {
      const id = await apply('Delegiert e. V.');
      const rules = await adopt(t, w, { title: 'Delegation', kind: 'rules', subject: { rules: { admissionBy: 'office' } } });
      expectWritten(await office().post('/v1/board/rules', { resolutionId: rules, effectiveFrom: '2026-01-01' }), 200);
      await expectRefused(t, () => office().post(`/v1/partners/${id}/admission`, { decidedOn: '2025-12-15' }), 409, 'admission-resolution-required');
      expectWritten(await office().post(`/v1/partners/${id}/admission`, { decidedOn: '2026-01-05' }), 200);
      expect((await t.as('anonymous').get(`/v1/partners/${id}`)).body).toMatchObject({ status: 'admitted', admittedBy: 'office', admittedOn: '2026-01-05' });
    });
  });
});
