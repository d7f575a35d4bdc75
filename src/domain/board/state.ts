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
