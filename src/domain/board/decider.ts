import type { IsoDate } from '../shared/dates';
import { assertNever, type Decider } from '../shared/decider';
import { DomainRuleViolated, NotFound } from '../shared/errors';
import { defaultRules } from '../rules/rules-of-procedure';
import { requireAdoptedResolution } from '../resolution/summary';
import type {
  AppointBoardMember,
  AppointDeputy,
  BoardCommand,
  ChangeRules,
  EstablishBoard,
  RecordDeputyDeparture,
  RecordMemberDeparture,
} from './commands';
import type { BoardEvent } from './events';
import {
  latestRulesVersion,
  peakSeatsTaken,
  periodsOverlap,
  roleHoldersDuring,
  type BoardMember,
  type BoardState,
  type Deputy,
  type EstablishedBoard,
} from './state';

export const initialState: BoardState = { status: 'none' };

/** Why a deputy's term ends when nobody recorded a reason of the deputy's own. */
export const MEMBER_DEPARTED_REASON = 'term of the member ended';

function withMember(board: EstablishedBoard, memberId: string, change: (m: BoardMember) => BoardMember): EstablishedBoard {
  const member = board.members[memberId];
  return member ? { ...board, members: { ...board.members, [memberId]: change(member) } } : board;
}

function withDeputy(board: EstablishedBoard, memberId: string, deputyId: string, change: (d: Deputy) => Deputy): EstablishedBoard {
  return withMember(board, memberId, (m) => ({ ...m, deputies: m.deputies.map((d) => (d.deputyId === deputyId ? change(d) : d)) }));
}

export function evolve(state: BoardState, event: BoardEvent): BoardState {
  if (event.type === 'BoardEstablished') {
    const { name, establishedOn, seats, rules } = event.data;
    return { status: 'established', name, establishedOn, seats, members: {}, rulesHistory: [{ version: 1, rules, effectiveFrom: establishedOn }] };
  }
  if (state.status !== 'established') return state;
  switch (event.type) {
    case 'BoardMemberAppointed':
      return { ...state, members: { ...state.members, [event.data.memberId]: { ...event.data, deputies: [] } } };
    case 'DeputyAppointed':
      return withMember(state, event.data.memberId, (m) => ({ ...m, deputies: [...m.deputies, { ...event.data }] }));
    case 'BoardMemberDeparted': {
      const { endDate, reason } = event.data;
      return withMember(state, event.data.memberId, (m) => ({ ...m, endDate, departed: true, ...(reason !== undefined && { departureReason: reason }) }));
    }
    case 'DeputyDeparted': {
      const { memberId, deputyId, endDate, reason } = event.data;
      return withDeputy(state, memberId, deputyId, (d) => ({ ...d, endDate, departed: true, ...(reason !== undefined && { departureReason: reason }) }));
    }
    case 'RulesOfProcedureChanged': {
      const { version, rules, effectiveFrom, resolutionId } = event.data;
      return { ...state, rulesHistory: [...state.rulesHistory, { version, rules, effectiveFrom, resolutionId }] };
    }
    default:
      return assertNever(event);
  }
}

function requireBoard(state: BoardState): EstablishedBoard {
  if (state.status !== 'established') throw new DomainRuleViolated('board-not-established', 'the board has not been established');
  return state;
}

function requireMember(state: BoardState, memberId: string): BoardMember {
  const member = state.status === 'established' ? state.members[memberId] : undefined;
  if (!member) throw new NotFound('member', memberId);
  return member;
}

function requirePeriod(startDate: IsoDate, endDate: IsoDate | undefined): void {
  if (endDate !== undefined && endDate < startDate) {
    throw new DomainRuleViolated('invalid-period', `the end ${endDate} lies before the start ${startDate}`);
  }
}

/** A departure may cut a term short, never lengthen it: the seat after a planned end may be someone else's. */
function requireDepartureWithinTerm(term: { startDate: IsoDate; endDate?: IsoDate }, endDate: IsoDate): void {
  requirePeriod(term.startDate, endDate);
  if (term.endDate !== undefined && endDate > term.endDate) {
    throw new DomainRuleViolated('invalid-period', `the term ends on ${term.endDate} already; a departure cannot extend it`);
  }
}

function establish(command: EstablishBoard, state: BoardState): BoardEvent[] {
  if (state.status === 'established') {
    throw new DomainRuleViolated('board-already-established', `the board was established on ${state.establishedOn}`);
  }
  const { name, establishedOn, seats, rules } = command.data;
  return [{ type: 'BoardEstablished', data: { name, establishedOn, seats, rules: rules ?? defaultRules }, occurredAt: establishedOn }];
}

/**
 * A seat must be free on every day of the new term, counting members whose terms overlap it; a departed member's
 * seat is free from the day after the departure. Chair and deputy chair are each held by one member at a time.
 */
function appointMember(command: AppointBoardMember, state: BoardState): BoardEvent[] {
  const board = requireBoard(state);
  const { memberId, subjectId, name, onBehalfOf, seatCategory, role, votingRight, startDate, endDate } = command.data;
  requirePeriod(startDate, endDate);
  if (startDate < board.establishedOn) {
    throw new DomainRuleViolated('board-not-established', `the board was established only on ${board.establishedOn}`);
  }
  if (role !== 'member') {
    const holder = roleHoldersDuring(board, role, startDate, endDate)[0];
    if (holder) throw new DomainRuleViolated('role-taken', `member ${holder.memberId} holds the role ${role} during that period`);
  }
  if (peakSeatsTaken(board, seatCategory, startDate, endDate) >= board.seats[seatCategory]) {
    throw new DomainRuleViolated('seat-category-full', `no ${seatCategory} seat is free for the whole period`);
  }
  return [
    {
      type: 'BoardMemberAppointed',
      data: {
        memberId,
        person: { subjectId, name },
        onBehalfOf,
        seatCategory,
        role,
        votingRight,
        startDate,
        ...(endDate !== undefined && { endDate }),
      },
      occurredAt: startDate,
    },
  ];
}

/** A deputy stands in for one member, so serves only while that member does, and one at a time. */
function appointDeputy(command: AppointDeputy, state: BoardState): BoardEvent[] {
  const { deputyId, memberId, subjectId, name, startDate, endDate } = command.data;
  const member = requireMember(state, memberId);
  requirePeriod(startDate, endDate);
  if (startDate < member.startDate || (member.endDate !== undefined && startDate > member.endDate)) {
    throw new DomainRuleViolated('member-not-in-office', `member ${memberId} is not in office on ${startDate}`);
  }
  const current = member.deputies.find((d) => periodsOverlap(d.startDate, d.endDate, startDate, endDate));
  if (current) {
    throw new DomainRuleViolated('deputy-already-appointed', `member ${memberId} has deputy ${current.deputyId} during that period`);
  }
  return [
    {
      type: 'DeputyAppointed',
      data: { deputyId, memberId, person: { subjectId, name }, startDate, ...(endDate !== undefined && { endDate }) },
      occurredAt: startDate,
    },
  ];
}

/** The member's deputies cannot outlast the member: those still serving after the departure leave with it. */
function recordMemberDeparture(command: RecordMemberDeparture, state: BoardState): BoardEvent[] {
  const { memberId, endDate, reason } = command.data;
  const member = requireMember(state, memberId);
  if (member.departed) {
    throw new DomainRuleViolated('member-already-departed', `member ${memberId} departed on ${member.endDate}`);
  }
  requireDepartureWithinTerm(member, endDate);
  const remaining = member.deputies.filter((d) => !d.departed && (d.endDate === undefined || d.endDate > endDate));
  return [
    { type: 'BoardMemberDeparted', data: { memberId, endDate, ...(reason !== undefined && { reason }) }, occurredAt: endDate },
    ...remaining.map(
      (d): BoardEvent => ({
        type: 'DeputyDeparted',
        data: { deputyId: d.deputyId, memberId, endDate, reason: MEMBER_DEPARTED_REASON },
        occurredAt: endDate,
      }),
    ),
  ];
}

function recordDeputyDeparture(command: RecordDeputyDeparture, state: BoardState): BoardEvent[] {
  const { memberId, deputyId, endDate, reason } = command.data;
  const deputy = requireMember(state, memberId).deputies.find((d) => d.deputyId === deputyId);
  if (!deputy) throw new NotFound('deputy', deputyId);
  if (deputy.departed) throw new DomainRuleViolated('deputy-already-departed', `deputy ${deputyId} departed on ${deputy.endDate}`);
  requireDepartureWithinTerm(deputy, endDate);
  return [
    { type: 'DeputyDeparted', data: { deputyId, memberId, endDate, ...(reason !== undefined && { reason }) }, occurredAt: endDate },
  ];
}

/** Rules of procedure change only by an adopted `rules` resolution, from a day on or after its adoption, once. */
function changeRules(command: ChangeRules, state: BoardState): BoardEvent[] {
  const board = requireBoard(state);
  const { resolutionId, effectiveFrom } = command.data;
  const { context } = command;
  if (board.rulesHistory.some((v) => v.resolutionId === resolutionId)) {
    throw new DomainRuleViolated('rules-already-applied', `the rules of resolution ${resolutionId} were applied already`);
  }
  const cited = context.resolution?.resolutionId === resolutionId ? context.resolution : undefined;
  const resolution = requireAdoptedResolution(cited, resolutionId, {
    kind: 'rules',
    fits: (subject) => subject !== undefined && 'rules' in subject,
    onDate: effectiveFrom,
    rule: 'rules-resolution-required',
  });
  const subject = resolution.subject;
  if (!subject || !('rules' in subject)) throw new DomainRuleViolated('rules-resolution-required', `resolution ${resolutionId} names no rules`);
  return [
    {
      type: 'RulesOfProcedureChanged',
      data: { version: latestRulesVersion(board).version + 1, rules: subject.rules, effectiveFrom, resolutionId },
      occurredAt: effectiveFrom,
    },
  ];
}

export function decide(command: BoardCommand, state: BoardState): BoardEvent[] {
  switch (command.type) {
    case 'EstablishBoard':
      return establish(command, state);
    case 'AppointBoardMember':
      return appointMember(command, state);
    case 'AppointDeputy':
      return appointDeputy(command, state);
    case 'RecordMemberDeparture':
      return recordMemberDeparture(command, state);
    case 'RecordDeputyDeparture':
      return recordDeputyDeparture(command, state);
    case 'ChangeRules':
      return changeRules(command, state);
    default:
      return assertNever(command);
  }
}

export const boardDecider: Decider<BoardCommand, BoardEvent, BoardState> = { decide, evolve, initialState };
