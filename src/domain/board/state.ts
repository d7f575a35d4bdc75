import type { NamedPerson } from '../shared/personal';
import { withinPeriod, type IsoDate } from '../shared/dates';
import type { RulesOfProcedure } from '../rules/rules-of-procedure';
import type { MemberRole, SeatCategory, Seats } from './seats';

export interface Deputy {
  deputyId: string;
  memberId: string;
  person: NamedPerson;
  startDate: IsoDate;
  endDate?: IsoDate;
  /** true once a departure was recorded (then `endDate` is the departure day) */
  departed?: boolean;
  departureReason?: string;
}

export interface BoardMember {
  memberId: string;
  person: NamedPerson;
  onBehalfOf: string;
  seatCategory: SeatCategory;
  role: MemberRole;
  votingRight: boolean;
  startDate: IsoDate;
  endDate?: IsoDate;
  /** true once a departure was recorded; an `endDate` alone may be the planned end of the term */
  departed?: boolean;
  departureReason?: string;
  deputies: Deputy[];
}

export interface RulesVersion {
  version: number;
  rules: RulesOfProcedure;
  effectiveFrom: IsoDate;
  /** the `rules` resolution that adopted them; none for the rules the board was established with */
  resolutionId?: string;
}

export type BoardState =
  | { status: 'none' }
  | {
      status: 'established';
      name: string;
      establishedOn: IsoDate;
      seats: Seats;
      members: Record<string, BoardMember>;
      /** ordered by version */
      rulesHistory: RulesVersion[];
    };

export type EstablishedBoard = Extract<BoardState, { status: 'established' }>;

/** The rules in force on a date: the latest version whose effectiveFrom is on or before it. */
export function rulesInForce(board: EstablishedBoard, date: IsoDate): RulesVersion {
  let current = board.rulesHistory[0]!;
  for (const version of board.rulesHistory) {
    if (version.effectiveFrom <= date && version.version >= current.version) current = version;
  }
  return current;
}

export function membersInOffice(board: EstablishedBoard, date: IsoDate): BoardMember[] {
  return Object.values(board.members).filter((m) => withinPeriod(date, m.startDate, m.endDate));
}

export function votingMembersInOffice(board: EstablishedBoard, date: IsoDate): BoardMember[] {
  return membersInOffice(board, date).filter((m) => m.votingRight);
}

/** The member's deputy `deputyId`, if that deputy is in office on the date. */
export function deputyInOffice(board: EstablishedBoard, memberId: string, deputyId: string, date: IsoDate): Deputy | undefined {
  return board.members[memberId]?.deputies.find((d) => d.deputyId === deputyId && withinPeriod(date, d.startDate, d.endDate));
}

/** Seats taken in a category on a date. */
export function seatsTaken(board: EstablishedBoard, category: SeatCategory, date: IsoDate): number {
  return membersInOffice(board, date).filter((m) => m.seatCategory === category).length;
}

/** True when [aStart, aEnd] and [bStart, bEnd] share a day (an undefined end is open). */
export function periodsOverlap(aStart: IsoDate, aEnd: IsoDate | undefined, bStart: IsoDate, bEnd: IsoDate | undefined): boolean {
  return (bEnd === undefined || aStart <= bEnd) && (aEnd === undefined || bStart <= aEnd);
}

/**
 * The most seats taken in a category on any day of [start, end]. Occupancy only rises on a member's start day, so
 * it suffices to look at `start` and at the start days that fall within the period.
 */
export function peakSeatsTaken(board: EstablishedBoard, category: SeatCategory, start: IsoDate, end?: IsoDate): number {
  const days = [start, ...Object.values(board.members).map((m) => m.startDate).filter((d) => withinPeriod(d, start, end))];
  return Math.max(...days.map((day) => seatsTaken(board, category, day)));
}

/** Members holding `role` on some day of [start, end]. */
export function roleHoldersDuring(board: EstablishedBoard, role: MemberRole, start: IsoDate, end?: IsoDate): BoardMember[] {
  return Object.values(board.members).filter((m) => m.role === role && periodsOverlap(m.startDate, m.endDate, start, end));
}

/** The latest rules version recorded (not necessarily in force yet). */
export function latestRulesVersion(board: EstablishedBoard): RulesVersion {
  return board.rulesHistory[board.rulesHistory.length - 1]!;
}
