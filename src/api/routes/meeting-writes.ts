import type { Handlers, Written } from '../../handlers';
import { attendanceBody, cancellationBody, closureBody, invitationBody, meetingBody } from '../../handlers/meetings';
import type { MeetingState } from '../../domain/meeting/state';
import { z } from '../openapi-zod';
import type { RouteModule } from '../route';
import { idParams } from '../schemas';
import { defineWrite, writeResultWith, type WriteDeps } from './write-route';

function meetingOf(result: Written): Exclude<MeetingState, { status: 'none' }> {
  const state = result.state as MeetingState;
  if (state.status === 'none') throw new Error(`meeting ${result.id} has no state after a write`);
  return state;
}

export function meetingWrites(handlers: Handlers, deps: WriteDeps): RouteModule {
  const h = handlers.meetings;
  return (r) => {
    defineWrite(r, deps, {
      path: '/v1/meetings',
      summary: 'Schedule a meeting of the board with its agenda',
      tag: 'meetings',
      body: meetingBody,
      status: 201,
      run: (ctx) => h.schedule(ctx.body, ctx.commandOptions()),
      extra: (result) => ({ agenda: meetingOf(result).agenda.map(({ id, order, title }) => ({ id, order, title })) }),
      responseSchema: writeResultWith('MeetingScheduled', { agenda: z.array(z.object({ id: z.uuid(), order: z.number().int(), title: z.string() })) }),
      location: (result) => `/v1/meetings/${result.id}`,
    });
    defineWrite(r, deps, {
      path: '/v1/meetings/{id}/invitations',
      summary: 'Record the invitation; a late one is recorded as late',
      tag: 'meetings',
      params: idParams,
      body: invitationBody,
      status: 200,
      run: (ctx) => h.sendInvitation(ctx.params.id, ctx.body, ctx.commandOptions()),
      extra: (result) => ({ timely: meetingOf(result).invitation?.timely ?? false }),
      responseSchema: writeResultWith('InvitationRecorded', { timely: z.boolean() }),
    });
    defineWrite(r, deps, {
      path: '/v1/meetings/{id}/attendance',
      summary: 'Record who attended; a deputy stands in for an absent member',
      tag: 'meetings',
      params: idParams,
      body: attendanceBody,
      status: 200,
      run: (ctx) => h.recordAttendance(ctx.params.id, ctx.body, ctx.commandOptions()),
    });
    defineWrite(r, deps, {
      path: '/v1/meetings/{id}/closure',
      summary: 'Close the meeting with its minutes',
      tag: 'meetings',
      params: idParams,
      body: closureBody,
      status: 200,
      run: (ctx) => h.close(ctx.params.id, ctx.body, ctx.commandOptions()),
    });
    defineWrite(r, deps, {
      path: '/v1/meetings/{id}/cancellation',
      summary: 'Cancel the meeting',
      tag: 'meetings',
      params: idParams,
      body: cancellationBody,
      status: 200,
      run: (ctx) => h.cancel(ctx.params.id, ctx.body, ctx.commandOptions()),
    });
  };
}
