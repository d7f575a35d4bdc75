import type { Meeting } from '../../domain/meeting/state';
import type { ResolutionKind } from '../../domain/resolution/kinds';
import type { IsoDate } from '../../domain/shared/dates';
import type { ResolvedCut } from '../as-of';
import type { EntityIndex } from '../entity-index';
import { meetingAt, resolutionAt } from './lookup';
import { resolutionDay, type Outcome } from './resolutions';
import { defined, newestFirst, type ListResult, type PageRequest } from './shared';

export interface MeetingResolutionJson {
  id: string;
  title: string;
  kind: ResolutionKind;
  agendaItemId?: string;
  outcome: Outcome | null;
  decidedOn: IsoDate | null;
}

export interface MeetingJson {
  id: string;
  title: string;
  date: IsoDate;
  place: string;
  urgent: boolean;
  reconvenes?: string;
  status: 'scheduled' | 'closed' | 'cancelled';
  agenda: { id: string; order: number; title: string; public: boolean; deferredFrom?: string }[];
  invitation: { sentOn: IsoDate; timely: boolean; periodDays: number; rulesVersion: number } | null;
  /** the latest attendance record: members present in person, and deputies standing in for absent members */
  attendance: { present: string[]; deputies: { memberId: string; deputyId: string }[]; occurredAt: string } | null;
  /** members recused, per agenda item (from the resolutions proposed for it) */
  recusals: { agendaItemId: string; resolutionId: string; memberIds: string[] }[];
  /** the resolutions proposed for the meeting's agenda, in agenda order */
  resolutions: MeetingResolutionJson[];
  minutesRef?: string;
  closedAt?: string;
  cancelledAt?: string;
  cancellationReason?: string;
}

export interface MeetingFilter {
  from?: IsoDate;
  to?: IsoDate;
}

/** GET /v1/meetings/{id} */
export function meetingView(index: EntityIndex, meetingId: string, cut: ResolvedCut): MeetingJson | undefined {
  const meeting = meetingAt(index, meetingId, cut);
  return meeting ? meetingJson(index, meeting, cut) : undefined;
}

/** GET /v1/meetings: newest first. */
export function meetingsView(index: EntityIndex, cut: ResolvedCut, filter: MeetingFilter = {}, request?: PageRequest): ListResult<MeetingJson> {
  const matching = index.listAt('meeting', cut, (facets) => (filter.from === undefined || facets.day >= filter.from) && (filter.to === undefined || facets.day <= filter.to));
  return newestFirst(matching, (item) => meetingJson(index, index.stateOfListed(item, cut) as Meeting, cut), request);
}

function meetingJson(index: EntityIndex, meeting: Meeting, cut: ResolvedCut): MeetingJson {
  const order = new Map(meeting.agenda.map((item) => [item.id, item.order]));
  const resolutions = index
    .linked('resolution', `meeting:${meeting.meetingId}`)
    .map((id) => resolutionAt(index, id, cut))
    .filter((r) => r !== undefined && r.meetingId === meeting.meetingId)
    .map((r) => r!)
    .sort(
      (a, b) =>
        (order.get(a.agendaItemId ?? '') ?? Infinity) - (order.get(b.agendaItemId ?? '') ?? Infinity) ||
        (a.proposedOn < b.proposedOn ? -1 : a.proposedOn > b.proposedOn ? 1 : 0) ||
        (a.resolutionId < b.resolutionId ? -1 : 1),
    );
  const { invitation, attendance } = meeting;
  return defined({
    id: meeting.meetingId,
    title: meeting.title,
    date: meeting.date,
    place: meeting.place,
    urgent: meeting.urgent,
    reconvenes: meeting.reconvenes,
    status: meeting.status,
    agenda: meeting.agenda.map((item) =>
      defined({ id: item.id, order: item.order, title: item.title, public: item.public, deferredFrom: item.deferredFrom }),
    ),
    invitation: invitation
      ? { sentOn: invitation.sentOn, timely: invitation.timely, periodDays: invitation.periodDays, rulesVersion: invitation.rulesVersion }
      : null,
    attendance: attendance
      ? {
          present: [...attendance.present],
          deputies: attendance.deputies.map((d) => ({ memberId: d.memberId, deputyId: d.deputyId })),
          occurredAt: attendance.occurredAt,
        }
      : null,
    recusals: resolutions
      .filter((r) => r.recusals.length > 0)
      .map((r) => ({ agendaItemId: r.agendaItemId ?? '', resolutionId: r.resolutionId, memberIds: [...r.recusals] })),
    resolutions: resolutions.map((r) =>
      defined({
        id: r.resolutionId,
        title: r.title,
        kind: r.kind,
        agendaItemId: r.agendaItemId,
        outcome: r.status === 'decided' ? r.decision.outcome : null,
        decidedOn: r.status === 'decided' ? resolutionDay(r) : null,
      }),
    ),
    minutesRef: meeting.status === 'closed' ? meeting.closure.minutesRef : undefined,
    closedAt: meeting.status === 'closed' ? meeting.closure.occurredAt : undefined,
    cancelledAt: meeting.status === 'cancelled' ? meeting.cancellation.occurredAt : undefined,
    cancellationReason: meeting.status === 'cancelled' ? meeting.cancellation.reason : undefined,
  });
}
