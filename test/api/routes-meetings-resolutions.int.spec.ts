import { expectProblem, expectRefused, expectWritten, startTestServer, type TestServer } from './server-harness';
import { adopt, buildWorld, MEETING_DAY, type World } from './world';

/** Meetings, resolutions and changes of the rules of procedure, over the real server. */

const UNKNOWN = '00000000-0000-4000-8000-000000000002';
const at = (day: string, time = '11:00:00') => `${day}T${time}+01:00`;

describe('meeting and resolution routes', () => {
  let t: TestServer;
  let w: World;
  beforeAll(async () => {
    t = await startTestServer();
    w = await buildWorld(t);
  });
  afterAll(async () => t.cleanup());
  const office = () => t.as('office');
  const propose = async (body: Record<string, unknown>) =>
    expectWritten(
      await office().post('/v1/resolutions', { title: 'Antrag', text: 'Der Vorstand möge beschließen.', kind: 'general', meetingId: w.meetingId, agendaItemId: w.agenda[2]!.id, proposedOn: MEETING_DAY, ...body }),
      201,
    ).id;

  describe('meetings', () => {
    let late: { id: string; agenda: { id: string; order: number; title: string }[] };
    let cancelled: string;

    it('POST /v1/meetings: 201 with the agenda {id, order, title} and a Location; GET shows the meeting', async () => {
      const res = await office().post('/v1/meetings', {
        title: 'Zweite Sitzung',
        date: '2025-11-05',
        place: 'Chemnitz',
        urgent: false,
        agenda: [{ title: 'Bericht', public: true }, { title: 'Personalien', public: false }],
      });
      const written = expectWritten(res, 201);
      expect(res.body.agenda).toEqual([
        { id: expect.any(String), order: 1, title: 'Bericht' },
        { id: expect.any(String), order: 2, title: 'Personalien' },
      ]);
      expect(res.headers.location).toBe(`/v1/meetings/${written.id}`);
      late = { id: written.id, agenda: res.body.agenda };
      const meeting = await t.as('anonymous').get(`/v1/meetings/${written.id}`);
      expect(meeting.status).toBe(200);
      expect(meeting.body).toMatchObject({ id: written.id, title: 'Zweite Sitzung', date: '2025-11-05', status: 'scheduled', invitation: null, attendance: null });
      expect(meeting.body.agenda.map((a: { id: string; public: boolean }) => [a.id, a.public])).toEqual([
        [res.body.agenda[0].id, true],
        [res.body.agenda[1].id, false],
      ]);
    });

    it('a meeting that reconvenes an unknown one is 404', async () => {
      await expectRefused(t, () => office().post('/v1/meetings', { title: 'X', date: '2025-12-01', place: 'Dresden', reconvenes: UNKNOWN, agenda: [{ title: 'A' }] }), 404, 'not-found');
    });

    it('POST /invitations answers timely: true for the world meeting and false for a late invitation', async () => {
      const meeting = await t.as('anonymous').get(`/v1/meetings/${w.meetingId}`);
      expect(meeting.body.invitation).toMatchObject({ sentOn: '2025-09-30', timely: true });
      const res = await office().post(`/v1/meetings/${late.id}/invitations`, { sentOn: '2025-11-03' });
      expectWritten(res, 200);
      expect(res.body.timely).toBe(false);
      expect((await t.as('anonymous').get(`/v1/meetings/${late.id}`)).body.invitation).toMatchObject({ sentOn: '2025-11-03', timely: false });
    });

    it('a second invitation is 409 invitation-already-sent; for an unknown meeting 404', async () => {
      await expectRefused(t, () => office().post(`/v1/meetings/${late.id}/invitations`, { sentOn: '2025-11-04' }), 409, 'invitation-already-sent');
      await expectRefused(t, () => office().post(`/v1/meetings/${UNKNOWN}/invitations`, { sentOn: '2025-11-04' }), 404, 'not-found');
    });

    it('POST /attendance: a deputy stands in for an absent member (200); GET shows present and deputies', async () => {
      const body = { present: [w.memberIds[0], w.memberIds[1]], deputies: [{ memberId: w.memberIds[2], deputyId: w.deputyId }], occurredAt: at('2025-11-05', '10:00:00') };
      expectWritten(await office().post(`/v1/meetings/${late.id}/attendance`, body), 200);
      const meeting = await t.as('anonymous').get(`/v1/meetings/${late.id}`);
      expect(meeting.body.attendance).toEqual({ present: body.present, deputies: body.deputies, occurredAt: body.occurredAt });
    });

    it('attendance refusals: a deputy for a present member 409, an unknown member 404, before the meeting 409, unknown meeting 404', async () => {
      await expectRefused(
        t,
        () => office().post(`/v1/meetings/${late.id}/attendance`, { present: [w.memberIds[2]], deputies: [{ memberId: w.memberIds[2], deputyId: w.deputyId }], occurredAt: at('2025-11-05') }),
        409,
        'deputy-for-present-member',
      );
      await expectRefused(t, () => office().post(`/v1/meetings/${late.id}/attendance`, { present: [UNKNOWN], occurredAt: at('2025-11-05') }), 404, 'not-found');
      await expectRefused(t, () => office().post(`/v1/meetings/${late.id}/attendance`, { present: [w.memberIds[0]], occurredAt: at('2025-11-01') }), 409, 'attendance-before-meeting');
      await expectRefused(t, () => office().post(`/v1/meetings/${UNKNOWN}/attendance`, { present: [w.memberIds[0]], occurredAt: at('2025-11-05') }), 404, 'not-found');
    });

    it('POST /decision is 409 with type quorum when the meeting is not quorate, and no decision is taken', async () => {
      const resolutionId = await propose({ meetingId: late.id, agendaItemId: late.agenda[0]!.id, proposedOn: '2025-11-05' });
      expectWritten(await office().post(`/v1/resolutions/${resolutionId}/votes`, { votes: [{ memberId: w.memberIds[0], vote: 'yes' }], occurredAt: at('2025-11-05') }), 200);
      const problem = await expectRefused(t, () => office().post(`/v1/resolutions/${resolutionId}/decision`, { decidedOn: '2025-11-05' }), 409, 'quorum');
      expect(problem.type).toMatch(/\/quorum$/);
      const resolution = await t.as('anonymous').get(`/v1/resolutions/${resolutionId}`);
      expect(resolution.body).toMatchObject({ status: 'proposed', outcome: null, basis: null });
    });

    it('POST /closure (200); a cancellation after it is 409 meeting-closed', async () => {
      expectWritten(await office().post(`/v1/meetings/${late.id}/closure`, { occurredAt: at('2025-11-05', '18:00:00'), minutesRef: 'Niederschrift 2' }), 200);
      const meeting = await t.as('anonymous').get(`/v1/meetings/${late.id}`);
      expect(meeting.body).toMatchObject({ status: 'closed', minutesRef: 'Niederschrift 2' });
      await expectRefused(t, () => office().post(`/v1/meetings/${late.id}/cancellation`, { occurredAt: at('2025-11-06') }), 409, 'meeting-closed');
      await expectRefused(t, () => office().post(`/v1/meetings/${UNKNOWN}/closure`, { occurredAt: at('2025-11-06') }), 404, 'not-found');
    });

    it('POST /cancellation (200); then an invitation or a proposal for it is 409 meeting-cancelled', async () => {
      const res = await office().post('/v1/meetings', { title: 'Abgesagt', date: '2025-12-01', place: 'Dresden', agenda: [{ title: 'A' }] });
      cancelled = expectWritten(res, 201).id;
      expectWritten(await office().post(`/v1/meetings/${cancelled}/cancellation`, { occurredAt: at('2025-11-20'), reason: 'Krankheit' }), 200);
      expect((await t.as('anonymous').get(`/v1/meetings/${cancelled}`)).body).toMatchObject({ status: 'cancelled', cancellationReason: 'Krankheit' });
      await expectRefused(t, () => office().post(`/v1/meetings/${cancelled}/invitations`, { sentOn: '2025-11-21' }), 409, 'meeting-cancelled');
      await expectRefused(t, () => office().post('/v1/resolutions', { title: 'A', text: 'B', kind: 'general', meetingId: cancelled, agendaItemId: res.body.agenda[0].id, proposedOn: '2025-11-21' }), 409, 'meeting-cancelled');
      await expectRefused(t, () => office().post(`/v1/meetings/${UNKNOWN}/cancellation`, { occurredAt: at('2025-11-06') }), 404, 'not-found');
    });

    it('GET /v1/meetings lists newest first, filtered by from and to; GET of an unknown meeting is 404', async () => {
      const list = await t.as('anonymous').get('/v1/meetings');
      expect(list.status).toBe(200);
      expect(list.body.data.map((m: { date: string }) => m.date)).toEqual(['2025-12-01', '2025-11-05', MEETING_DAY]);
      const filtered = await t.as('anonymous').get('/v1/meetings?from=2025-11-01&to=2025-11-30');
      expect(filtered.body.data.map((m: { id: string }) => m.id)).toEqual([late.id]);
      expect(filtered.body.pagination).toEqual({ totalElements: 1, elementsPerPage: 50, currentPage: 1 });
      expectProblem(await t.as('anonymous').get(`/v1/meetings/${UNKNOWN}`), 404, 'not-found');
    });
  });

  describe('resolutions', () => {
    it('POST /v1/resolutions: 201 with Location; refusals: unknown meeting 404, subject-mismatch, procedure-required', async () => {
      const res = await office().post('/v1/resolutions', { title: 'Neu', text: 'Text', kind: 'general', meetingId: w.meetingId, agendaItemId: w.agenda[2]!.id, proposedOn: MEETING_DAY });
      const id = expectWritten(res, 201).id;
      expect(res.headers.location).toBe(`/v1/resolutions/${id}`);
      await expectRefused(t, () => office().post('/v1/resolutions', { title: 'X', text: 'Y', kind: 'general', meetingId: UNKNOWN, agendaItemId: w.agenda[2]!.id, proposedOn: MEETING_DAY }), 404, 'not-found');
      await expectRefused(t, () => office().post('/v1/resolutions', { title: 'X', text: 'Y', kind: 'general', subject: { partnerId: w.partnerId }, meetingId: w.meetingId, agendaItemId: w.agenda[2]!.id, proposedOn: MEETING_DAY }), 409, 'subject-mismatch');
      await expectRefused(t, () => office().post('/v1/resolutions', { title: 'X', text: 'Y', kind: 'general', proposedOn: MEETING_DAY }), 409, 'procedure-required');
    });

    it('named votes accumulate; a later vote replaces the earlier one, both stay in the trail', async () => {
      const id = await propose({});
      const [a, b] = w.memberIds;
      expectWritten(await office().post(`/v1/resolutions/${id}/votes`, { votes: [{ memberId: a, vote: 'no' }, { memberId: b, vote: 'yes' }], occurredAt: at(MEETING_DAY) }), 200);
      expectWritten(await office().post(`/v1/resolutions/${id}/votes`, { votes: [{ memberId: a, vote: 'yes' }], occurredAt: at(MEETING_DAY, '11:05:00') }), 200);
      const res = await t.as('anonymous').get(`/v1/resolutions/${id}`);
      expect(res.body.voting).toBe('named');
      expect(res.body.votes).toEqual(expect.arrayContaining([{ memberId: a, vote: 'yes' }, { memberId: b, vote: 'yes' }]));
      expect(res.body.votes).toHaveLength(2);
      expect(res.body.trail.map((e: { type: string }) => e.type)).toEqual(['ResolutionProposed', 'VotesRecorded', 'VotesRecorded']);
      for (const entry of res.body.trail) {
        expect(entry).toMatchObject({ type: expect.any(String), occurredAt: expect.any(String), recordedAt: expect.any(String), actor: { id: expect.stringMatching(/^office-/), role: 'office' } });
      }
    });

    it('a tally after named votes (or named votes after a tally) is 409 votes-and-tally-mixed; both in one body is 409 too', async () => {
      const named = await propose({});
      expectWritten(await office().post(`/v1/resolutions/${named}/votes`, { votes: [{ memberId: w.memberIds[0], vote: 'yes' }], occurredAt: at(MEETING_DAY) }), 200);
      await expectRefused(t, () => office().post(`/v1/resolutions/${named}/votes`, { tally: { yes: 5, no: 0, abstain: 0 }, occurredAt: at(MEETING_DAY) }), 409, 'votes-and-tally-mixed');

      const tallied = await propose({});
      expectWritten(await office().post(`/v1/resolutions/${tallied}/votes`, { tally: { yes: 4, no: 1, abstain: 1 }, occurredAt: at(MEETING_DAY) }), 200);
      await expectRefused(t, () => office().post(`/v1/resolutions/${tallied}/votes`, { votes: [{ memberId: w.memberIds[0], vote: 'yes' }], occurredAt: at(MEETING_DAY) }), 409, 'votes-and-tally-mixed');
      const fresh = await propose({});
      await expectRefused(
        t,
        () => office().post(`/v1/resolutions/${fresh}/votes`, { votes: [{ memberId: w.memberIds[0], vote: 'yes' }], tally: { yes: 1, no: 0, abstain: 0 }, occurredAt: at(MEETING_DAY) }),
        409,
        'votes-and-tally-mixed',
      );

      const decided = await office().post(`/v1/resolutions/${tallied}/decision`, { decidedOn: MEETING_DAY });
      expectWritten(decided, 200);
      expect(decided.body).toMatchObject({ id: tallied, outcome: 'adopted', basis: { tally: { yes: 4, no: 1, abstain: 1 }, quorumMet: true } });
    });

    it('votes of a member who is not a voting member or not present are 409; an unknown resolution is 404', async () => {
      const id = await propose({});
      await expectRefused(t, () => office().post(`/v1/resolutions/${id}/votes`, { votes: [{ memberId: UNKNOWN, vote: 'yes' }], occurredAt: at(MEETING_DAY) }), 409, 'not-a-voting-member');
      await expectRefused(t, () => office().post(`/v1/resolutions/${UNKNOWN}/votes`, { votes: [{ memberId: w.memberIds[0], vote: 'yes' }], occurredAt: at(MEETING_DAY) }), 404, 'not-found');
    });

    it('POST /decision answers {id, outcome, basis} with the basis of API.md; a second decision is 409 already-decided', async () => {
      const id = await propose({});
      const votes = w.memberIds.map((memberId, i) => ({ memberId, vote: i < 2 ? 'yes' : 'no' }));
      expectWritten(await office().post(`/v1/resolutions/${id}/votes`, { votes, recusals: [], occurredAt: at(MEETING_DAY) }), 200);
      const res = await office().post(`/v1/resolutions/${id}/decision`, { decidedOn: MEETING_DAY });
      const written = expectWritten(res, 200);
      expect(written.id).toBe(id);
      expect(res.body.outcome).toBe('rejected');
      expect(res.body.basis).toMatchObject({
        votingMembers: w.memberIds.length,
        present: w.memberIds.length,
        recused: 0,
        quorumMet: true,
        tally: { yes: 2, no: w.memberIds.length - 2, abstain: 0 },
        rulesVersion: 1,
      });
      const read = await t.as('anonymous').get(`/v1/resolutions/${id}`);
      expect(read.body).toMatchObject({ status: 'decided', outcome: 'rejected', decidedOn: MEETING_DAY, basis: res.body.basis });
      await expectRefused(t, () => office().post(`/v1/resolutions/${id}/decision`, { decidedOn: MEETING_DAY }), 409, 'already-decided');
      await expectRefused(t, () => office().post(`/v1/resolutions/${UNKNOWN}/decision`, { decidedOn: MEETING_DAY }), 404, 'not-found');
    });

    it('a written procedure with an objection cannot pass: POST /objections 200, then /decision 409 written-procedure-objected', async () => {
      const id = expectWritten(
        await office().post('/v1/resolutions', { title: 'Umlauf', text: 'Im Umlaufverfahren', kind: 'general', writtenProcedure: { deadline: '2025-11-30' }, proposedOn: '2025-11-01' }),
        201,
      ).id;
      expectWritten(await office().post(`/v1/resolutions/${id}/objections`, { memberId: w.memberIds[3], occurredAt: at('2025-11-02') }), 200);
      expect((await t.as('anonymous').get(`/v1/resolutions/${id}`)).body.objections).toEqual([{ memberId: w.memberIds[3], occurredAt: at('2025-11-02') }]);
      await expectRefused(t, () => office().post(`/v1/resolutions/${id}/objections`, { memberId: w.memberIds[3], occurredAt: at('2025-11-03') }), 409, 'objection-already-raised');
      await expectRefused(t, () => office().post(`/v1/resolutions/${id}/decision`, { decidedOn: '2025-12-01' }), 409, 'written-procedure-objected');
    });

    it('an objection to a resolution of a meeting is 409 not-written-procedure; to an unknown resolution 404', async () => {
      const id = await propose({});
      await expectRefused(t, () => office().post(`/v1/resolutions/${id}/objections`, { memberId: w.memberIds[0], occurredAt: at(MEETING_DAY) }), 409, 'not-written-procedure');
      await expectRefused(t, () => office().post(`/v1/resolutions/${UNKNOWN}/objections`, { memberId: w.memberIds[0], occurredAt: at(MEETING_DAY) }), 404, 'not-found');
    });

    it('POST /corrections (201): the original text stays beside the correction', async () => {
      const id = await propose({ text: 'Ursprünglicher Text' });
      const res = await office().post(`/v1/resolutions/${id}/corrections`, { text: 'Berichtigter Text', reason: 'Schreibfehler', occurredAt: at(MEETING_DAY, '15:00:00') });
      const correction = expectWritten(res, 201);
      expect(correction.id).not.toBe(id);
      const read = await t.as('anonymous').get(`/v1/resolutions/${id}`);
      expect(read.body).toMatchObject({ text: 'Ursprünglicher Text', currentText: 'Berichtigter Text' });
      expect(read.body.corrections).toEqual([{ id: correction.id, text: 'Berichtigter Text', reason: 'Schreibfehler', occurredAt: at(MEETING_DAY, '15:00:00') }]);
      await expectRefused(t, () => office().post(`/v1/resolutions/${UNKNOWN}/corrections`, { text: 'x', reason: 'y', occurredAt: at(MEETING_DAY) }), 404, 'not-found');
    });

    it('POST /revocation (200) cites the adopted revocation resolution; refusals: not-adopted, revocation-resolution-required, already-revoked', async () => {
      const target = await adopt(t, w, { title: 'Zu widerrufen' });
      const undecided = await propose({});
      const general = await adopt(t, w, { title: 'Allgemein' });
      const revoking = await adopt(t, w, { title: 'Widerruf', kind: 'revocation', subject: { resolutionId: target } });
      const occurredAt = at('2025-10-11');

      await expectRefused(t, () => office().post(`/v1/resolutions/${undecided}/revocation`, { resolutionId: revoking, occurredAt }), 409, 'not-adopted');
      await expectRefused(t, () => office().post(`/v1/resolutions/${target}/revocation`, { resolutionId: general, occurredAt }), 409, 'revocation-resolution-required');
      await expectRefused(t, () => office().post(`/v1/resolutions/${target}/revocation`, { resolutionId: UNKNOWN, occurredAt }), 404, 'not-found');
      expectWritten(await office().post(`/v1/resolutions/${target}/revocation`, { resolutionId: revoking, occurredAt }), 200);
      expect((await t.as('anonymous').get(`/v1/resolutions/${target}`)).body).toMatchObject({ status: 'revoked', revokedBy: revoking });
      await expectRefused(t, () => office().post(`/v1/resolutions/${target}/revocation`, { resolutionId: revoking, occurredAt }), 409, 'already-revoked');
    });

    it('GET /v1/resolutions: every resolution newest first, undecided ones with outcome null; filters kind and outcome', async () => {
      const all = await t.as('anonymous').get('/v1/resolutions?limit=500');
      expect(all.status).toBe(200);
      const days = all.body.data.map((r: { decidedOn: string | null; proposedOn: string }) => r.decidedOn ?? r.proposedOn);
      expect(days).toEqual([...days].sort().reverse());
      expect(all.body.data.some((r: { outcome: unknown }) => r.outcome === null)).toBe(true);
      const undecided = await t.as('anonymous').get('/v1/resolutions?outcome=null&limit=500');
      expect(undecided.body.data.length).toBeGreaterThan(0);
      expect(undecided.body.data.every((r: { outcome: unknown }) => r.outcome === null)).toBe(true);
      const admissions = await t.as('anonymous').get('/v1/resolutions?kind=partner-admission');
      expect(admissions.body.data.map((r: { id: string }) => r.id)).toEqual([w.admissionResolutionId]);
      const written = await t.as('anonymous').get('/v1/resolutions?from=2025-11-01&to=2025-11-30');
      expect(written.body.data.length).toBeGreaterThan(0);
      for (const r of written.body.data) expect((r.decidedOn ?? r.proposedOn) >= '2025-11-01' && (r.decidedOn ?? r.proposedOn) <= '2025-11-30').toBe(true);
      const rejected = await t.as('anonymous').get('/v1/resolutions?outcome=rejected');
      expect(rejected.body.data.every((r: { outcome: string }) => r.outcome === 'rejected')).toBe(true);
      expectProblem(await t.as('anonymous').get(`/v1/resolutions/${UNKNOWN}`), 404, 'not-found');
      expectProblem(await t.as('anonymous').get('/v1/resolutions?kind=nonsense'), 400, 'bad-request');
    });
  });

  describe('POST /v1/board/rules', () => {
    it('applies the rules of an adopted rules resolution from effectiveFrom (200); refusals: rules-resolution-required, rules-already-applied, 404', async () => {
      const rules = await adopt(t, w, { title: 'Geschäftsordnung', kind: 'rules', subject: { rules: { invitationPeriodDays: 14 } } });
      const general = await adopt(t, w, { title: 'Kein Regelwerk' });
      await expectRefused(t, () => office().post('/v1/board/rules', { resolutionId: general, effectiveFrom: '2026-01-01' }), 409, 'rules-resolution-required');
      await expectRefused(t, () => office().post('/v1/board/rules', { resolutionId: UNKNOWN, effectiveFrom: '2026-01-01' }), 404, 'not-found');
      const res = await office().post('/v1/board/rules', { resolutionId: rules, effectiveFrom: '2026-01-01' });
      expect(expectWritten(res, 200).id).toBe('main');
      const before = await t.as('anonymous').get('/v1/board?asOf=2025-12-31');
      expect(before.body).toMatchObject({ rulesVersion: 1, rules: { invitationPeriodDays: 7 } });
      const after = await t.as('anonymous').get('/v1/board?asOf=2026-01-01');
      expect(after.body).toMatchObject({ rulesVersion: 2, rules: { invitationPeriodDays: 14 }, rulesResolutionId: rules });
      await expectRefused(t, () => office().post('/v1/board/rules', { resolutionId: rules, effectiveFrom: '2026-02-01' }), 409, 'rules-already-applied');
    });
  });
});
