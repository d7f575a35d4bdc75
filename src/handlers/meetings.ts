import type { z } from 'zod';
import { streams } from '../domain/events';
import { cancelMeetingData, closeMeetingData, recordAttendanceData, scheduleMeetingData, sendInvitationData, type MeetingCommand } from '../domain/meeting/commands';
import { meetingDecider } from '../domain/meeting/decider';
import type { MeetingState } from '../domain/meeting/state';
import { NotFound } from '../domain/shared/errors';
import type { Ledger, UnstampedCommand } from '../ledger/ledger';
import { newId, options, written, type CommandContext, type Written } from './command-context';
import type { Contexts } from './contexts';

/** POST /v1/meetings: the agenda items get their ids from the server. */
export const meetingBody = scheduleMeetingData
  .omit({ meetingId: true })
  .extend({ agenda: scheduleMeetingData.shape.agenda.element.omit({ id: true }).strict().array().min(1).max(200) })
  .strict();
export const invitationBody = sendInvitationData;
export const attendanceBody = recordAttendanceData;
export const closureBody = closeMeetingData;
export const cancellationBody = cancelMeetingData;

/** Meetings of the board: scheduling, the invitation, attendance, closure and cancellation. */
export class MeetingHandlers {
  constructor(
    private readonly ledger: Ledger,
    private readonly contexts: Contexts,
  ) {}

  private async run(meetingId: string, command: UnstampedCommand<MeetingCommand>, ctx: CommandContext, mustExist = true): Promise<Written<MeetingState>> {
    const stream = streams.meeting(meetingId);
    if (mustExist && !(await this.ledger.exists(stream, meetingDecider))) throw new NotFound('meeting', meetingId);
    return written(meetingId, await this.ledger.execute(stream, meetingDecider, command, options(ctx, !mustExist)));
  }

  async schedule(body: z.output<typeof meetingBody>, ctx: CommandContext) {
    const meetingId = newId(ctx);
    const agenda = body.agenda.map((item, index) => ({ ...item, id: newId(ctx, `agenda-${index}`) }));
    const reconvened = await this.contexts.meeting(body.reconvenes);
    if (body.reconvenes !== undefined && !reconvened) throw new NotFound('meeting', body.reconvenes);
    const context = reconvened ? { reconvened } : {};
    return this.run(meetingId, { type: 'ScheduleMeeting', data: { ...body, meetingId, agenda }, context }, ctx, false);
  }

  async sendInvitation(meetingId: string, body: z.output<typeof invitationBody>, ctx: CommandContext) {
    const context = { board: await this.contexts.board() };
    return this.run(meetingId, { type: 'SendInvitation', data: body, context }, ctx);
  }

  async recordAttendance(meetingId: string, body: z.output<typeof attendanceBody>, ctx: CommandContext) {
    const context = { board: await this.contexts.board() };
    return this.run(meetingId, { type: 'RecordAttendance', data: body, context }, ctx);
  }

  async close(meetingId: string, body: z.output<typeof closureBody>, ctx: CommandContext) {
    return this.run(meetingId, { type: 'CloseMeeting', data: body }, ctx);
  }

  async cancel(meetingId: string, body: z.output<typeof cancellationBody>, ctx: CommandContext) {
    return this.run(meetingId, { type: 'CancelMeeting', data: body }, ctx);
  }
}
