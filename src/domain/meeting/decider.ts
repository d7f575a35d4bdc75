import { membersInOffice, rulesInForce, deputyInOffice, type BoardState, type EstablishedBoard } from '../board/state';
import { berlinDate } from '../shared/dates';
import { assertNever, type Decider } from '../shared/decider';
import { DomainRuleViolated, NotFound } from '../shared/errors';
import { invitationTimeliness } from '../rules/invitation';
import type { CancelMeeting, CloseMeeting, MeetingCommand, RecordAttendance, ScheduleMeeting, SendInvitation } from './commands';
import type { AgendaItem, MeetingEvent } from './events';
import { evolve, initialState, type Meeting, type MeetingState } from './state';

export function decide(command: MeetingCommand, state: MeetingState): MeetingEvent[] {
  switch (command.type) {
    case 'ScheduleMeeting':
      return scheduleMeeting(command, state);
    case 'SendInvitation':
      return sendInvitation(command, requireMeeting(state));
    case 'RecordAttendance':
      return recordAttendance(command, requireMeeting(state));
    case 'CloseMeeting':
      return closeMeeting(command, requireMeeting(state));
    case 'CancelMeeting':
      return cancelMeeting(command, requireMeeting(state));
    default:
      return assertNever(command);
  }
}

export const meetingDecider: Decider<MeetingCommand, MeetingEvent, MeetingState> = { decide, evolve, initialState };
export { evolve, initialState };

function scheduleMeeting({ data, context }: ScheduleMeeting, state: MeetingState): MeetingEvent[] {
  if (state.status !== 'none') throw new DomainRuleViolated('meeting-already-scheduled', `meeting ${state.meetingId} is already scheduled`);
  const ids = data.agenda.map((item) => item.id);
  if (new Set(ids).size !== ids.length) throw new DomainRuleViolated('duplicate-agenda-item', 'agenda item ids must be distinct');
  const reconvened = data.reconvenes === undefined ? undefined : requireReconvenable(data.reconvenes, data.date, context.reconvened);
  const agenda: AgendaItem[] = data.agenda.map((item, index) => {
    const deferredFrom = deferredItem(item, reconvened);
    return {
      id: item.id,
      order: index + 1,
      title: item.title,
      // the alliance works in public; an item is closed only when marked so
      public: item.public ?? true,
      ...(deferredFrom === undefined ? {} : { deferredFrom }),
    };
  });
  const { meetingId, title, date, place, reconvenes } = data;
  return [
    {
      type: 'MeetingScheduled',
      data: { meetingId, title, date, place, urgent: data.urgent ?? false, ...(reconvenes === undefined ? {} : { reconvenes }), agenda },
      occurredAt: date,
    },
  ];
}

/** Only a meeting that sat before this one can be reconvened. */
function requireReconvenable(reconvenes: string, date: string, reconvened: MeetingState | undefined): Meeting {
  if (!reconvened || reconvened.status === 'none' || reconvened.meetingId !== reconvenes) throw new NotFound('meeting', reconvenes);
  if (reconvened.date >= date) {
    throw new DomainRuleViolated('reconvene-order', `meeting ${reconvenes} on ${reconvened.date} is not before ${date}`);
  }
  if (reconvened.status === 'cancelled') {
    throw new DomainRuleViolated('reconvened-meeting-cancelled', `meeting ${reconvenes} was cancelled and never sat`);
  }
  return reconvened;
}

/** An item carries one of the reconvened meeting forward when it names it, or else when it bears the same title. */
function deferredItem(item: ScheduleMeeting['data']['agenda'][number], reconvened: Meeting | undefined): string | undefined {
  if (!reconvened) {
    if (item.deferredFrom !== undefined) {
      throw new DomainRuleViolated('reconvenes-required', `agenda item ${item.id} is deferred, but the meeting reconvenes none`);
    }
    return undefined;
  }
  if (item.deferredFrom !== undefined) {
    if (!reconvened.agenda.some((earlier) => earlier.id === item.deferredFrom)) throw new NotFound('agenda item', item.deferredFrom);
    return item.deferredFrom;
  }
  return reconvened.agenda.find((earlier) => earlier.title === item.title)?.id;
}

function sendInvitation({ data, context }: SendInvitation, meeting: Meeting): MeetingEvent[] {
  requireOpen(meeting);
  if (meeting.invitation) throw new DomainRuleViolated('invitation-already-sent', `the invitation was sent on ${meeting.invitation.sentOn}`);
  if (data.sentOn > meeting.date) {
    throw new DomainRuleViolated('invitation-after-meeting', `an invitation sent on ${data.sentOn} comes after the meeting on ${meeting.date}`);
  }
  const inForce = rulesInForce(requireBoard(context.board), data.sentOn);
  const { timely, periodDays } = invitationTimeliness(data.sentOn, meeting.date, meeting.urgent, inForce.rules);
  return [{ type: 'InvitationSent', data: { sentOn: data.sentOn, timely, periodDays, rulesVersion: inForce.version }, occurredAt: data.sentOn }];
}

function recordAttendance({ data, context }: RecordAttendance, meeting: Meeting): MeetingEvent[] {
  if (meeting.status === 'cancelled') throw new DomainRuleViolated('meeting-cancelled', 'a cancelled meeting has no attendance');
  if (berlinDate(data.occurredAt) < meeting.date) {
    throw new DomainRuleViolated('attendance-before-meeting', `the meeting is held on ${meeting.date}`);
  }
  const board = requireBoard(context.board);
  const inOffice = new Set(membersInOffice(board, meeting.date).map((m) => m.memberId));
  const deputies = data.deputies ?? [];
  for (const memberId of [...data.present, ...deputies.map((d) => d.memberId)]) {
    if (!inOffice.has(memberId)) throw new NotFound('member', memberId);
  }
  const attending = [...data.present, ...deputies.map((d) => d.memberId)];
  if (new Set(attending).size !== attending.length || new Set(deputies.map((d) => d.deputyId)).size !== deputies.length) {
    // also catches a deputy listed for a member present in person; name that case precisely
    const forPresent = deputies.find((d) => data.present.includes(d.memberId));
    if (forPresent) {
      throw new DomainRuleViolated('deputy-for-present-member', `member ${forPresent.memberId} is present; their deputy cannot stand in`);
    }
    throw new DomainRuleViolated('duplicate-attendance', 'a member or deputy is listed twice');
  }
  for (const { memberId, deputyId } of deputies) {
    if (!deputyInOffice(board, memberId, deputyId, meeting.date)) throw new NotFound('deputy', deputyId);
  }
  return [{ type: 'AttendanceRecorded', data: { present: data.present, deputies, occurredAt: data.occurredAt }, occurredAt: data.occurredAt }];
}

function closeMeeting({ data }: CloseMeeting, meeting: Meeting): MeetingEvent[] {
  requireOpen(meeting);
  if (berlinDate(data.occurredAt) < meeting.date) {
    throw new DomainRuleViolated('meeting-not-yet-held', `the meeting is held on ${meeting.date}`);
  }
  const { occurredAt, minutesRef } = data;
  return [{ type: 'MeetingClosed', data: { occurredAt, ...(minutesRef === undefined ? {} : { minutesRef }) }, occurredAt }];
}

function cancelMeeting({ data }: CancelMeeting, meeting: Meeting): MeetingEvent[] {
  requireOpen(meeting);
  const { occurredAt, reason } = data;
  return [{ type: 'MeetingCancelled', data: { occurredAt, ...(reason === undefined ? {} : { reason }) }, occurredAt }];
}

function requireMeeting(state: MeetingState): Meeting {
  if (state.status === 'none') throw new NotFound('meeting', '(not scheduled)');
  return state;
}

/** Neither closed nor cancelled: each ends the meeting for good. */
function requireOpen(meeting: Meeting): void {
  if (meeting.status === 'closed') throw new DomainRuleViolated('meeting-closed', `meeting ${meeting.meetingId} is closed`);
  if (meeting.status === 'cancelled') throw new DomainRuleViolated('meeting-cancelled', `meeting ${meeting.meetingId} is cancelled`);
}

function requireBoard(board: BoardState): EstablishedBoard {
  if (board.status !== 'established') throw new NotFound('board', 'main');
  return board;
}
