import type { z } from 'zod';
import type { IsoDate } from '../shared/dates';
import type { AgendaItem, MeetingEvent, attendanceRecorded, invitationSent, meetingCancelled, meetingClosed } from './events';

export type Invitation = z.infer<typeof invitationSent>;
export type Attendance = z.infer<typeof attendanceRecorded>;

interface MeetingRecord {
  meetingId: string;
  title: string;
  date: IsoDate;
  place: string;
  urgent: boolean;
  reconvenes?: string;
  agenda: AgendaItem[];
  invitation?: Invitation;
  /** the latest attendance record */
  attendance?: Attendance;
  closure?: z.infer<typeof meetingClosed>;
  cancellation?: z.infer<typeof meetingCancelled>;
}

export type MeetingState =
  | { status: 'none' }
  | ({ status: 'scheduled' } & MeetingRecord)
  | ({ status: 'closed' } & MeetingRecord & { closure: z.infer<typeof meetingClosed> })
  | ({ status: 'cancelled' } & MeetingRecord & { cancellation: z.infer<typeof meetingCancelled> });

export type Meeting = Exclude<MeetingState, { status: 'none' }>;

export const initialState: MeetingState = { status: 'none' };

export function evolve(state: MeetingState, event: MeetingEvent): MeetingState {
  if (event.type === 'MeetingScheduled') return { status: 'scheduled', ...event.data };
  // every other event follows the scheduling in its stream
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'InvitationSent':
      return { ...state, invitation: event.data };
    case 'AttendanceRecorded':
      return { ...state, attendance: event.data };
    case 'MeetingClosed':
      return { ...state, status: 'closed', closure: event.data };
    case 'MeetingCancelled':
      return { ...state, status: 'cancelled', cancellation: event.data };
  }
}

/** Duly invited: the one invitation was sent in time. */
export function dulyInvited(meeting: Meeting): boolean {
  return meeting.invitation?.timely === true;
}

export function presentInPerson(meeting: Meeting): string[] {
  return meeting.attendance?.present ?? [];
}

/** Members present in person or represented by their deputy. */
export function representedMembers(meeting: Meeting): string[] {
  const present = presentInPerson(meeting);
  const byDeputy = (meeting.attendance?.deputies ?? []).map((d) => d.memberId).filter((m) => !present.includes(m));
  return [...present, ...byDeputy];
}

export function findAgendaItem(meeting: Meeting, agendaItemId: string): AgendaItem | undefined {
  return meeting.agenda.find((item) => item.id === agendaItemId);
}
