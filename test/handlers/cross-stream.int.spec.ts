import { createHandlers, type CommandContext, type Handlers } from '../../src/handlers';
import { DomainRuleViolated, NotFound } from '../../src/domain/shared/errors';
import { Ledger } from '../../src/ledger/ledger';
import { seedPressRelease, type SeedResult } from '../../src/seed/press-release';
import { tempStore } from '../support/temp-store';

const office: CommandContext = { actor: { id: 'office-1', role: 'office' } };

/** Rules that span streams, through the handlers that load the other streams' state. */
describe('rules that span streams', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  let h: Handlers;
  let seed: SeedResult;

  beforeEach(async () => {
    t = await tempStore('ledger-handlers-');
    h = createHandlers(new Ledger(t.store));
    seed = await seedPressRelease(h);
  });
  afterEach(() => t.cleanup());

  /** A resolution adopted in written procedure: every voting member answers yes. */
  async function adoptInWriting(kind: Parameters<Handlers['resolutions']['propose']>[0]['kind'], subject: Parameters<Handlers['resolutions']['propose']>[0]['subject'], decidedOn: string) {
    const proposed = await h.resolutions.propose(
      { title: `Beschluss (${kind})`, text: 'Im Umlaufverfahren.', kind, subject, writtenProcedure: { deadline: decidedOn }, proposedOn: '2025-09-16' },
      office,
    );
    await h.resolutions.recordVotes(proposed.id, { votes: seed.ids.memberIds.map((memberId) => ({ memberId, vote: 'yes' as const })), occurredAt: '2025-09-18T10:00:00+02:00' }, office);
    const decided = await h.resolutions.decide(proposed.id, { decidedOn }, office);
    expect(decided.state).toMatchObject({ status: 'decided', decision: { outcome: 'adopted' } });
    return proposed.id;
  }

  async function refusal(promise: Promise<unknown>): Promise<string> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainRuleViolated);
    return (error as DomainRuleViolated).rule;
  }

  it('admits a partner only on an adopted partner-admission resolution naming it', async () => {
    const partnerId = seed.ids.partnerId;
    expect(await refusal(h.partners.admit(partnerId, { decidedOn: '2025-09-25' }, office))).toBe('admission-resolution-required');
    const other = await h.partners.apply(
      { organisation: { name: 'Beispiel-Hochschule', category: 'education' }, contact: { name: 'Max Muster', email: 'max@example.org' }, channel: 'form', receivedOn: '2025-09-16' },
      office,
    );
    const forOther = await adoptInWriting('partner-admission', { partnerId: other.id }, '2025-09-20');
    expect(await refusal(h.partners.admit(partnerId, { resolutionId: forOther, decidedOn: '2025-09-25' }, office))).toBe('admission-resolution-required');

    const resolutionId = await adoptInWriting('partner-admission', { partnerId }, '2025-09-22');
    const admitted = await h.partners.admit(partnerId, { resolutionId, decidedOn: '2025-09-22' }, office);
    expect(admitted.state).toMatchObject({ status: 'admitted', admittedOn: '2025-09-22', admittedBy: 'board' });
  });

  it('lets the office admit once an adopted rules resolution delegates admission, from its effective date', async () => {
    const rulesResolution = await adoptInWriting('rules', { rules: { invitationPeriodDays: 7, urgentInvitationPeriodDays: 3, quorumShare: 0.5, quorumMinimumPresent: 3, tieBreak: 'presiding-member', admissionBy: 'office' } }, '2025-09-24');
    await h.board.changeRules({ resolutionId: rulesResolution, effectiveFrom: '2025-10-01' }, office);
    expect(await refusal(h.partners.admit(seed.ids.partnerId, { decidedOn: '2025-09-30' }, office))).toBe('admission-resolution-required');
    const admitted = await h.partners.admit(seed.ids.partnerId, { decidedOn: '2025-10-01' }, office);
    expect(admitted.state).toMatchObject({ status: 'admitted', admittedBy: 'office' });
  });

  it('forms a group on its resolution and takes only admitted partners as members', async () => {
    const partnerId = seed.ids.partnerId;
    const formation = await adoptInWriting('group-formation', { group: { kind: 'working', name: 'AG Pflege', mandate: 'Fachkräfte in der Pflege gewinnen.' } }, '2025-09-26');
    const group = await h.groups.form({ kind: 'working', name: 'AG Pflege', mandate: 'Fachkräfte in der Pflege gewinnen.', resolutionId: formation, startDate: '2025-10-01' }, office);
    expect(await refusal(h.groups.join(group.id, { partnerId, joinedOn: '2025-10-02' }, office))).toBe('partner-not-admitted');

    const admission = await adoptInWriting('partner-admission', { partnerId }, '2025-09-22');
    await h.partners.admit(partnerId, { resolutionId: admission, decidedOn: '2025-09-22' }, office);
    const joined = await h.groups.join(group.id, { partnerId, joinedOn: '2025-10-02' }, office);
    expect(joined.revision).toBe(1n);
    await expect(h.groups.join('00000000-0000-4000-8000-00000000dead', { partnerId, joinedOn: '2025-10-02' }, office)).rejects.toThrow(NotFound);
  });

  it('refuses a decision at a meeting that is not quorate, and appends nothing', async () => {
    const meeting = await h.meetings.schedule({ title: 'Zweite Sitzung', date: '2025-11-20', place: 'Chemnitz', agenda: [{ title: 'Arbeitsprogramm 2026' }] }, office);
    await h.meetings.sendInvitation(meeting.id, { sentOn: '2025-11-01' }, office);
    await h.meetings.recordAttendance(meeting.id, { present: seed.ids.memberIds.slice(0, 4), occurredAt: '2025-11-20T10:00:00+01:00' }, office);
    const item = meeting.state.status === 'none' ? undefined : meeting.state.agenda[0];
    const proposed = await h.resolutions.propose({ title: 'Arbeitsprogramm 2026', text: 'Das Arbeitsprogramm wird beschlossen.', kind: 'general', meetingId: meeting.id, agendaItemId: item!.id, proposedOn: '2025-11-20' }, office);
    const head = await t.store.headPosition();
    expect(await refusal(h.resolutions.decide(proposed.id, { decidedOn: '2025-11-20' }, office))).toBe('quorum');
    expect(await t.store.headPosition()).toBe(head);
  });
});
