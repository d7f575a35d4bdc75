import { z } from 'zod';
import type { BoardState } from '../board/state';
import type { Command } from '../shared/decider';
import { id } from '../shared/text';
import { agendaItem, attendanceRecorded, invitationSent, meetingCancelled, meetingClosed, meetingScheduled } from './events';
import type { MeetingState } from './state';

/** The API body of POST /v1/meetings plus the ids the server assigns (meeting and agenda items). */
export const scheduleMeetingData = meetingScheduled
  .pick({ meetingId: true, title: true, date: true, place: true, reconvenes: true })
  .extend({
    urgent: z.boolean().optional(),
    agenda: z
      .array(
        agendaItem
          .pick({ id: true, title: true, deferredFrom: true })
          .extend({ public: z.boolean().optional() })
          .strict(),
      )
      .min(1)
      .max(200),
  })
  .strict();
export type ScheduleMeetingData = z.infer<typeof scheduleMeetingData>;

export const sendInvitationData = invitationSent.pick({ sentOn: true }).strict();
export type SendInvitationData = z.infer<typeof sendInvitationData>;

export const recordAttendanceData = attendanceRecorded
  .pick({ present: true, occurredAt: true })
  .extend({
    deputies: z
      .array(z.object({ memberId: id, deputyId: id }).strict())
      .max(500)
      .optional(),
  })
  .strict();
export type RecordAttendanceData = z.infer<typeof recordAttendanceData>;

export const closeMeetingData = meetingClosed.strict();
export type CloseMeetingData = z.infer<typeof closeMeetingData>;

export const cancelMeetingData = meetingCancelled.strict();
export type CancelMeetingData = z.infer<typeof cancelMeetingData>;

/** Facts from other streams, loaded by the command handler and passed as the command's `context`. */
export interface ScheduleMeetingContext {
  /** the meeting `reconvenes` names (its stream folded), when it names one */
  reconvened?: MeetingState;
}
export interface BoardContext {
  board: BoardState;
}

export type ScheduleMeeting = Command<'ScheduleMeeting', ScheduleMeetingData> & { context: ScheduleMeetingContext };
export type SendInvitation = Command<'SendInvitation', SendInvitationData> & { context: BoardContext };
export type RecordAttendance = Command<'RecordAttendance', RecordAttendanceData> & { context: BoardContext };
export type CloseMeeting = Command<'CloseMeeting', CloseMeetingData>;
export type CancelMeeting = Command<'CancelMeeting', CancelMeetingData>;

export type MeetingCommand = ScheduleMeeting | SendInvitation | RecordAttendance | CloseMeeting | CancelMeeting;

/** The body schemas (context excluded: it is loaded by the handler, never sent). */
export const meetingCommandSchemas = {
  ScheduleMeeting: scheduleMeetingData,
  SendInvitation: sendInvitationData,
  RecordAttendance: recordAttendanceData,
  CloseMeeting: closeMeetingData,
  CancelMeeting: cancelMeetingData,
} as const;
