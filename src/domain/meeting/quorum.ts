import { rulesInForce, votingMembersInOffice, type EstablishedBoard } from '../board/state';
import { NotFound } from '../shared/errors';
import { isQuorate } from '../rules/quorum';
import type { RulesOfProcedure } from '../rules/rules-of-procedure';
import { dulyInvited, findAgendaItem, representedMembers, type Meeting, type MeetingState } from './state';

export interface ItemQuorum {
  quorumMet: boolean;
  dulyInvited: boolean;
  /** quorum held only because the item is deferred from an earlier meeting that was not quorate for it */
  byReconvening: boolean;
  /** voting members in office on the meeting day */
  votingMemberIds: string[];
  /** of those, present in person or by deputy and not recused */
  presentMemberIds: string[];
  /** of those in office, recused from the item */
  recusedMemberIds: string[];
}

export interface ItemQuorumInput {
  meeting: Meeting;
  agendaItemId: string;
  board: EstablishedBoard;
  rules: RulesOfProcedure;
  /** members recused from this item */
  recused: readonly string[];
  /** the meeting `meeting.reconvenes` names, when it does */
  reconvened?: MeetingState;
}

/** Quorum of a meeting for one agenda item, from the meeting's own invitation and attendance. */
export function itemQuorum(input: ItemQuorumInput): ItemQuorum {
  const { meeting, board, rules } = input;
  const item = findAgendaItem(meeting, input.agendaItemId);
  if (!item) throw new NotFound('agenda item', input.agendaItemId);
  const votingMemberIds = votingMembersInOffice(board, meeting.date).map((m) => m.memberId);
  const recusedMemberIds = votingMemberIds.filter((m) => input.recused.includes(m));
  const represented = representedMembers(meeting);
  const presentMemberIds = votingMemberIds.filter((m) => represented.includes(m) && !recusedMemberIds.includes(m));
  const facts = {
    votingMembers: votingMemberIds.length,
    present: presentMemberIds.length,
    recused: recusedMemberIds.length,
    dulyInvited: dulyInvited(meeting),
  };
  const quorateByAttendance = isQuorate(facts, rules);
  const deferredFromInquorateMeeting =
    !quorateByAttendance && item.deferredFrom !== undefined && earlierMeetingInquorate(meeting, item.deferredFrom, board, input.reconvened);
  return {
    quorumMet: quorateByAttendance || isQuorate({ ...facts, deferredFromInquorateMeeting }, rules),
    dulyInvited: facts.dulyInvited,
    byReconvening: !quorateByAttendance && deferredFromInquorateMeeting && facts.dulyInvited,
    votingMemberIds,
    presentMemberIds,
    recusedMemberIds,
  };
}

/**
 * Whether the reconvened meeting was not quorate for the item, judged on its own invitation and attendance under
 * the rules in force on its day. Its recusals live in its resolutions, which are not loaded here, so it is judged on
 * attendance alone. Only one step back is looked at; a cancelled meeting never sat, so it cannot be reconvened.
 */
function earlierMeetingInquorate(meeting: Meeting, deferredFrom: string, board: EstablishedBoard, reconvened?: MeetingState): boolean {
  if (!reconvened || reconvened.status === 'none' || reconvened.status === 'cancelled') return false;
  if (reconvened.meetingId !== meeting.reconvenes || reconvened.date >= meeting.date) return false;
  if (!findAgendaItem(reconvened, deferredFrom)) return false;
  const earlier = itemQuorum({
    meeting: reconvened,
    agendaItemId: deferredFrom,
    board,
    rules: rulesInForce(board, reconvened.date).rules,
    recused: [],
  });
  return !earlier.quorumMet;
}
