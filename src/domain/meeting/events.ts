import { z } from 'zod';
import { instant, isoDate } from '../shared/dates';
import { id, reference, shortText } from '../shared/text';

export const agendaItem = z.object({
  id,
  /** 1-based position on the agenda */
  order: z.number().int().min(1),
  title: shortText,
  public: z.boolean(),
  /** the item of the reconvened meeting this one carries forward, if any */
  deferredFrom: id.optional(),
});
export type AgendaItem = z.infer<typeof agendaItem>;

export const meetingScheduled = z.object({
  meetingId: id,
  title: shortText,
  date: isoDate,
  place: shortText,
  urgent: z.boolean(),
  /** an earlier meeting that was not quorate, whose deferred items this one takes up */
  reconvenes: id.optional(),
  agenda: z.array(agendaItem).min(1).max(200),
});

/** One invitation per meeting, to the whole board; recorded even when late, because it happened. */
export const invitationSent = z.object({
  sentOn: isoDate,
  timely: z.boolean(),
  /** the invitation period that applied (days), from the rules in force when it was sent */
  periodDays: z.number().int().min(0),
  rulesVersion: z.number().int().min(1),
});

/** Attendance as recorded; a later record replaces an earlier one (both stay in the log). */
export const attendanceRecorded = z.object({
  present: z.array(id).max(500),
  deputies: z.array(z.object({ memberId: id, deputyId: id })).max(500),
  occurredAt: instant,
});

export const meetingClosed = z.object({
  occurredAt: instant,
  minutesRef: reference.optional(),
});

export const meetingCancelled = z.object({
  occurredAt: instant,
  reason: shortText.optional(),
});

export const meetingEventSchemas = {
  MeetingScheduled: meetingScheduled,
  InvitationSent: invitationSent,
  AttendanceRecorded: attendanceRecorded,
  MeetingClosed: meetingClosed,
  MeetingCancelled: meetingCancelled,
} as const;

export type MeetingEvent =
  | { type: 'MeetingScheduled'; data: z.infer<typeof meetingScheduled>; occurredAt: string }
  | { type: 'InvitationSent'; data: z.infer<typeof invitationSent>; occurredAt: string }
  | { type: 'AttendanceRecorded'; data: z.infer<typeof attendanceRecorded>; occurredAt: string }
  | { type: 'MeetingClosed'; data: z.infer<typeof meetingClosed>; occurredAt: string }
  | { type: 'MeetingCancelled'; data: z.infer<typeof meetingCancelled>; occurredAt: string };
