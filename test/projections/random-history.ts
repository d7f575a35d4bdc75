import fc from 'fast-check';
import { defaultRules } from '../../src/domain/rules/rules-of-procedure';
import { seatCategories } from '../../src/domain/board/seats';
import { addDays, History, instantOn, type HistoryEvent } from './history';

/**
 * Random valid histories for property tests: a step picks an operation, which of the existing things it acts on,
 * how far the effective day lies from the recording day (negative: back-dated, positive: dated ahead) and how
 * long the clock moves on. The builder keeps a small model of the world so that every event is one a decider
 * could have emitted (an admission follows an application, a deputy serves a member, …), and every event's data
 * follows its schema.
 */
export interface Step {
  op: number;
  pick: number;
  shift: number;
  waitMinutes: number;
}

export const stepArbitrary: fc.Arbitrary<Step> = fc.record({
  op: fc.nat({ max: 39 }),
  pick: fc.nat({ max: 1000 }),
  shift: fc.integer({ min: -40, max: 20 }),
  waitMinutes: fc.oneof(fc.constant(0), fc.nat({ max: 3 * 24 * 60 })),
});

/** Steps that lay the ground (alliance, patron, board and members, meetings, resolutions, partners, groups). */
const groundStepArbitrary: fc.Arbitrary<Step> = fc.record({
  op: fc.constantFrom(0, 1, 2, 4, 5, 6, 7, 10, 11, 15, 16, 17, 19, 19, 23, 24, 25, 25, 30, 31, 32),
  pick: fc.nat({ max: 1000 }),
  shift: fc.integer({ min: -40, max: 20 }),
  waitMinutes: fc.nat({ max: 2 * 24 * 60 }),
});

export const stepsArbitrary: fc.Arbitrary<Step[]> = fc
  .tuple(fc.array(groundStepArbitrary, { minLength: 10, maxLength: 40 }), fc.array(stepArbitrary, { minLength: 10, maxLength: 150, size: 'large' }))
  .map(([ground, rest]) => [...ground, ...rest]);

export const historyArbitrary = stepsArbitrary.map((steps) => buildHistory(steps));

interface Member {
  id: string;
  start: string;
  end?: string;
  departed: boolean;
  deputies: { id: string; start: string; departed: boolean }[];
}

interface World {
  alliance: boolean;
  board?: { establishedOn: string; members: Member[]; rulesVersion: number };
  patrons: { id: string; start: string }[];
  statements: string[];
  meetings: { id: string; date: string; agenda: string[]; open: boolean; invited: boolean }[];
  resolutions: { id: string; meetingId?: string; agendaItemId?: string; proposedOn: string; written: boolean; decided: boolean; adopted: boolean; revoked: boolean; voting?: 'named' | 'tally' }[];
  partners: { id: string; status: string; receivedOn: string; admittedOn?: string }[];
  groups: { id: string; start: string; dissolved: boolean; members: Set<string> }[];
}

const max = (a: string, b: string) => (a > b ? a : b);

/** `firstId` and `start` let a test write a second history after a first one: other ids, a later clock. */
export function buildHistory(steps: readonly Step[], options: { firstId?: number; start?: string } = {}): HistoryEvent[] {
  const h = new History(options.start, options.firstId);
  const w: World = { alliance: false, patrons: [], statements: [], meetings: [], resolutions: [], partners: [], groups: [] };
  const pickOf = <T>(list: readonly T[], n: number): T | undefined => (list.length === 0 ? undefined : list[n % list.length]);
  for (const step of steps) {
    h.advance(step.waitMinutes * 60_000 + (step.waitMinutes === 0 ? 0 : 1));
    const day = addDays(h.today, step.shift);
    const at = (d: string) => instantOn(d, step.pick % 600);
    const memberIds = () => (w.board?.members ?? []).map((m) => m.id);
    switch (step.op) {
      case 0:
        if (w.alliance) break;
        w.alliance = true;
        h.record('alliance-main', 'AllianceConstituted', { name: 'Fachkräfteallianz Sachsen', constitutedOn: day, place: 'Dresden', officeEmail: 'fachkraefteallianz@smwa.sachsen.de' }, day);
        break;
      case 1: {
        const previous = w.patrons.at(-1);
        const start = previous && day <= previous.start ? addDays(previous.start, 1 + (step.pick % 30)) : day;
        const id = h.id();
        if (previous) h.record('patron-main', 'PatronTermEnded', { patronId: previous.id, endDate: addDays(start, -1) }, start);
        h.record('patron-main', 'PatronAppointed', { patronId: id, name: `Minister ${id.slice(-3)}`, office: 'Staatsminister', startDate: start }, start);
        w.patrons.push({ id, start });
        break;
      }
      case 2:
      case 3: {
        if (step.op === 3 && w.statements.length > 0) {
          const statementId = pickOf(w.statements, step.pick)!;
          h.record('patron-main', 'StatementCorrected', { correctionId: h.id(), statementId, text: `corrected ${step.pick}`, reason: 'typo', occurredAt: at(day) }, at(day));
          break;
        }
        const patron = w.patrons.find((p, i) => p.start <= day && (w.patrons[i + 1] === undefined || day < w.patrons[i + 1]!.start));
        if (!patron) break;
        const statementId = h.id();
        h.record('patron-main', 'StatementIssued', { statementId, patronId: patron.id, text: 'Fachkräfte sichern', language: 'de', occasion: 'Neuausrichtung', issuedOn: day }, day);
        w.statements.push(statementId);
        break;
      }
      case 4:
        if (w.board) break;
        w.board = { establishedOn: day, members: [], rulesVersion: 1 };
        h.record('board-main', 'BoardEstablished', { name: 'Gremium', establishedOn: day, seats: { ministry: 3, municipal: 2, chamber: 2, association: 2, union: 2, welfare: 1 }, rules: defaultRules }, day);
        break;
      case 5:
      case 6: {
        if (!w.board) break;
        const start = max(day, w.board.establishedOn);
        const id = h.id();
        const end = step.op === 6 ? addDays(start, 30 + (step.pick % 200)) : undefined;
        h.record('board-main', 'BoardMemberAppointed', {
          memberId: id,
          person: { subjectId: h.id(), name: `Person ${id.slice(-4)}` },
          onBehalfOf: `Organisation ${step.pick % 7}`,
          seatCategory: seatCategories[step.pick % seatCategories.length],
          role: 'member',
          votingRight: step.pick % 5 !== 0,
          startDate: start,
          ...(end && { endDate: end }),
        }, start);
        w.board.members.push({ id, start, ...(end && { end }), departed: false, deputies: [] });
        break;
      }
      case 7: {
        const member = pickOf((w.board?.members ?? []).filter((m) => !m.departed), step.pick);
        if (!member) break;
        const start = max(day, member.start);
        if (member.end !== undefined && start > member.end) break;
        if (member.deputies.some((d) => !d.departed)) break;
        const id = h.id();
        h.record('board-main', 'DeputyAppointed', { deputyId: id, memberId: member.id, person: { subjectId: h.id(), name: `Deputy ${id.slice(-4)}` }, startDate: start }, start);
        member.deputies.push({ id, start, departed: false });
        break;
      }
      case 8: {
        const member = pickOf((w.board?.members ?? []).filter((m) => !m.departed), step.pick);
        if (!member) break;
        let end = max(day, member.start);
        if (member.end !== undefined && end > member.end) end = member.end;
        member.departed = true;
        member.end = end;
        h.record('board-main', 'BoardMemberDeparted', { memberId: member.id, endDate: end, reason: 'Wechsel' }, end);
        for (const deputy of member.deputies.filter((d) => !d.departed)) {
          deputy.departed = true;
          h.record('board-main', 'DeputyDeparted', { deputyId: deputy.id, memberId: member.id, endDate: max(end, deputy.start), reason: 'term of the member ended' }, max(end, deputy.start));
        }
        break;
      }
      case 9: {
        const rules = w.resolutions.find((r) => r.adopted && !r.revoked);
        if (!w.board || !rules) break;
        w.board.rulesVersion += 1;
        const effectiveFrom = max(day, w.board.establishedOn);
        h.record('board-main', 'RulesOfProcedureChanged', { version: w.board.rulesVersion, rules: { ...defaultRules, quorumMinimumPresent: 1 + (step.pick % 4) }, effectiveFrom, resolutionId: rules.id }, effectiveFrom);
        break;
      }
      case 10: {
        const id = h.id();
        const agenda = [h.id(), h.id()];
        const date = addDays(day, 10);
        h.record(`meeting-${id}`, 'MeetingScheduled', {
          meetingId: id,
          title: `Sitzung ${step.pick}`,
          date,
          place: 'Dresden',
          urgent: step.pick % 3 === 0,
          agenda: agenda.map((itemId, i) => ({ id: itemId, order: i + 1, title: `TOP ${i + 1}`, public: i === 0 })),
        }, date);
        w.meetings.push({ id, date, agenda, open: true, invited: false });
        break;
      }
      case 11: {
        const meeting = pickOf(w.meetings.filter((m) => m.open && !m.invited), step.pick);
        if (!meeting) break;
        const sentOn = day < meeting.date ? day : addDays(meeting.date, -1);
        meeting.invited = true;
        h.record(`meeting-${meeting.id}`, 'InvitationSent', { sentOn, timely: sentOn <= addDays(meeting.date, -7), periodDays: 7, rulesVersion: 1 }, sentOn);
        break;
      }
      case 12: {
        const meeting = pickOf(w.meetings.filter((m) => m.open), step.pick);
        if (!meeting) break;
        const present = memberIds().filter((_, i) => (step.pick >> i) % 2 === 0);
        const occurredAt = at(max(day, meeting.date));
        h.record(`meeting-${meeting.id}`, 'AttendanceRecorded', { present, deputies: [], occurredAt }, occurredAt);
        break;
      }
      case 13:
      case 14: {
        const meeting = pickOf(w.meetings.filter((m) => m.open), step.pick);
        if (!meeting) break;
        meeting.open = false;
        const occurredAt = at(max(day, meeting.date));
        if (step.op === 13) h.record(`meeting-${meeting.id}`, 'MeetingClosed', { occurredAt, minutesRef: `Protokoll ${step.pick}` }, occurredAt);
        else h.record(`meeting-${meeting.id}`, 'MeetingCancelled', { occurredAt, reason: 'Terminkonflikt' }, occurredAt);
        break;
      }
      case 15:
      case 16: {
        const meeting = step.op === 15 ? pickOf(w.meetings.filter((m) => m.open), step.pick) : undefined;
        const id = h.id();
        const partner = pickOf(w.partners.filter((p) => p.status === 'applied'), step.pick);
        const revocable = pickOf(w.resolutions.filter((r) => r.adopted && !r.revoked), step.pick);
        const variant = step.pick % 4;
        const [kind, subject] =
          variant === 1 && partner
            ? (['partner-admission', { partnerId: partner.id }] as const)
            : variant === 2 && revocable
              ? (['revocation', { resolutionId: revocable.id }] as const)
              : variant === 3
                ? (['group-formation', { group: { kind: 'working', name: 'AG Fachkräfte', mandate: 'Strategie umsetzen' } }] as const)
                : (['general', undefined] as const);
        const written = meeting === undefined;
        const agendaItemId = meeting?.agenda[step.pick % meeting.agenda.length];
        h.record(`resolution-${id}`, 'ResolutionProposed', {
          resolutionId: id,
          title: `Beschluss ${step.pick}`,
          text: 'Der Ausschuss beschließt …',
          kind,
          ...(subject && { subject }),
          ...(meeting ? { meetingId: meeting.id, agendaItemId } : { writtenProcedure: { deadline: addDays(day, 14) } }),
          proposedOn: day,
        }, day);
        w.resolutions.push({ id, ...(meeting && { meetingId: meeting.id, agendaItemId }), proposedOn: day, written, decided: false, adopted: false, revoked: false });
        break;
      }
      case 17:
      case 18: {
        const resolution = pickOf(w.resolutions.filter((r) => !r.decided), step.pick);
        const ids = memberIds();
        if (!resolution || ids.length === 0) break;
        const occurredAt = at(max(day, resolution.proposedOn));
        if (step.op === 17 && resolution.voting !== 'tally') {
          resolution.voting = 'named';
          const votes = ids.slice(0, 1 + (step.pick % ids.length)).map((memberId, i) => ({ memberId, vote: (['yes', 'no', 'abstain'] as const)[(step.pick + i) % 3] }));
          h.record(`resolution-${resolution.id}`, 'VotesRecorded', { votes, recusals: step.pick % 4 === 0 ? [ids.at(-1)!] : [], occurredAt }, occurredAt);
        } else if (step.op === 18 && resolution.voting !== 'named') {
          resolution.voting = 'tally';
          h.record(`resolution-${resolution.id}`, 'TallyRecorded', { tally: { yes: step.pick % 5, no: step.pick % 3, abstain: 1 }, chairVote: 'yes', recusals: [], occurredAt }, occurredAt);
        } else if (resolution.written) {
          h.record(`resolution-${resolution.id}`, 'ObjectionRaised', { memberId: pickOf(ids, step.pick)!, occurredAt }, occurredAt);
        }
        break;
      }
      case 19:
      case 20: {
        const resolution = pickOf(w.resolutions.filter((r) => !r.decided), step.pick);
        if (!resolution) break;
        const decidedOn = max(day, resolution.proposedOn);
        const adopted = step.op === 19;
        resolution.decided = true;
        resolution.adopted = adopted;
        const voting = memberIds();
        h.record(`resolution-${resolution.id}`, 'ResolutionDecided', {
          outcome: adopted ? 'adopted' : 'rejected',
          decidedOn,
          basis: {
            procedure: resolution.written ? 'written' : 'meeting',
            votingMembers: voting.length,
            present: voting.length,
            recused: 0,
            quorumMet: true,
            tally: { yes: adopted ? voting.length : 0, no: adopted ? 0 : voting.length, abstain: 0 },
            rulesVersion: w.board?.rulesVersion ?? 1,
            rules: defaultRules,
            votingMemberIds: voting,
            presentMemberIds: voting,
            recusedMemberIds: [],
          },
        }, decidedOn);
        break;
      }
      case 21: {
        const resolution = pickOf(w.resolutions, step.pick);
        if (!resolution) break;
        h.record(`resolution-${resolution.id}`, 'ResolutionCorrected', { correctionId: h.id(), text: `Berichtigt ${step.pick}`, reason: 'Schreibfehler', occurredAt: at(day) }, at(day));
        break;
      }
      case 22: {
        const revoked = pickOf(w.resolutions.filter((r) => r.adopted && !r.revoked), step.pick);
        const by = pickOf(w.resolutions.filter((r) => r.adopted && r !== revoked), step.pick);
        if (!revoked || !by) break;
        revoked.revoked = true;
        h.record(`resolution-${revoked.id}`, 'ResolutionRevoked', { revokedBy: by.id, occurredAt: at(day) }, at(day));
        break;
      }
      case 23:
      case 24: {
        const id = h.id();
        h.record(`partner-${id}`, 'PartnerApplied', {
          partnerId: id,
          organisation: { name: `Betrieb ${step.pick}`, category: (['employer', 'chamber', 'education', 'union'] as const)[step.pick % 4], city: 'Leipzig' },
          contact: { subjectId: h.id(), name: `Kontakt ${step.pick}`, email: `kontakt${step.pick}@example.org`, ...(step.pick % 2 === 0 && { phone: '+49 351 0000' }) },
          expertise: step.pick % 3 === 0 ? [] : ['Ausbildung', 'Zuwanderung'].slice(0, 1 + (step.pick % 2)),
          channel: 'email',
          receivedOn: day,
          messageRef: `<msg-${step.pick}@example.org>`,
        }, day);
        w.partners.push({ id, status: 'applied', receivedOn: day });
        break;
      }
      case 25:
      case 26:
      case 27: {
        const partner = pickOf(w.partners.filter((p) => p.status === 'applied'), step.pick);
        if (!partner) break;
        const decidedOn = max(day, partner.receivedOn);
        const stream = `partner-${partner.id}`;
        if (step.op === 25) {
          partner.status = 'admitted';
          partner.admittedOn = decidedOn;
          h.record(stream, 'PartnerAdmitted', { decidedOn, by: 'office' }, decidedOn);
        } else if (step.op === 26) {
          partner.status = 'rejected';
          h.record(stream, 'PartnerRejected', { decidedOn, reason: 'nicht in Sachsen tätig' }, decidedOn);
        } else {
          partner.status = 'withdrawn';
          h.record(stream, 'ApplicationWithdrawn', { occurredAt: at(decidedOn) }, at(decidedOn));
        }
        break;
      }
      case 28:
      case 29: {
        const partner = pickOf(w.partners.filter((p) => p.status === 'admitted'), step.pick);
        if (!partner) break;
        const on = max(day, partner.admittedOn!);
        const stream = `partner-${partner.id}`;
        if (step.op === 28) {
          partner.status = 'left';
          h.record(stream, 'PartnerLeft', { occurredAt: at(on), reason: 'Umstrukturierung' }, at(on));
        } else {
          const resolution = pickOf(w.resolutions.filter((r) => r.adopted), step.pick);
          if (!resolution) break;
          partner.status = 'excluded';
          h.record(stream, 'PartnerExcluded', { decidedOn: on, resolutionId: resolution.id }, on);
        }
        break;
      }
      case 30:
      case 31: {
        const resolution = pickOf(w.resolutions.filter((r) => r.adopted), step.pick);
        if (!resolution) break;
        const id = h.id();
        const lead = pickOf(w.partners.filter((p) => p.status === 'admitted'), step.pick);
        const project = step.op === 31;
        h.record(`group-${id}`, 'GroupFormed', {
          groupId: id,
          kind: project ? 'project' : 'working',
          name: `${project ? 'PG' : 'AG'} ${step.pick}`,
          mandate: 'Fachkräfte gewinnen',
          resolutionId: resolution.id,
          ...(lead && { leadPartnerId: lead.id }),
          startDate: day,
          ...(project && { plannedEndDate: addDays(day, 180) }),
        }, day);
        w.groups.push({ id, start: day, dissolved: false, members: new Set() });
        break;
      }
      case 32:
      case 33: {
        const group = pickOf(w.groups.filter((g) => !g.dissolved), step.pick);
        const partner = pickOf(w.partners.filter((p) => p.status === 'admitted'), step.pick);
        if (!group || !partner) break;
        const on = max(max(day, group.start), partner.admittedOn!);
        if (!group.members.has(partner.id)) {
          group.members.add(partner.id);
          h.record(`group-${group.id}`, 'GroupMemberJoined', { partnerId: partner.id, joinedOn: on }, on);
        } else {
          group.members.delete(partner.id);
          h.record(`group-${group.id}`, 'GroupMemberLeft', { partnerId: partner.id, leftOn: on }, on);
        }
        break;
      }
      case 34: {
        const group = pickOf(w.groups.filter((g) => !g.dissolved), step.pick);
        const partner = pickOf(w.partners.filter((p) => p.status === 'admitted'), step.pick);
        if (!group || !partner) break;
        h.record(`group-${group.id}`, 'GroupLeadChanged', { partnerId: partner.id, occurredAt: at(max(day, group.start)) }, at(max(day, group.start)));
        break;
      }
      case 35:
      case 36: {
        const group = pickOf(w.groups.filter((g) => !g.dissolved), step.pick);
        const resolution = pickOf(w.resolutions.filter((r) => r.adopted), step.pick);
        if (!group || !resolution) break;
        const on = max(day, group.start);
        if (step.op === 35) {
          h.record(`group-${group.id}`, 'GroupMandateAmended', { mandate: `Mandat ${step.pick}`, resolutionId: resolution.id, occurredAt: at(on) }, at(on));
        } else {
          group.dissolved = true;
          h.record(`group-${group.id}`, 'GroupDissolved', { resolutionId: resolution.id, dissolvedOn: on, finalReportRef: `Bericht ${step.pick}` }, on);
        }
        break;
      }
      default:
        // a pause: the clock moves on with nothing recorded
        break;
    }
  }
  return h.events;
}
