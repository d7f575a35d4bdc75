import { membersInOffice, rulesInForce, type BoardMember, type EstablishedBoard } from '../../domain/board/state';
import { seatCategories, type MemberRole, type SeatCategory, type Seats } from '../../domain/board/seats';
import { withinPeriod, type IsoDate } from '../../domain/shared/dates';
import type { RulesOfProcedure } from '../../domain/rules/rules-of-procedure';
import type { ResolvedCut } from '../as-of';
import type { EntityIndex } from '../entity-index';
import { copy, defined, personFields, type PersonJson, type ViewOptions } from './shared';

export type DeputyJson = PersonJson & {
  id: string;
  startDate: IsoDate;
  endDate?: IsoDate;
  departed?: true;
  departureReason?: string;
};

export type MemberJson = PersonJson & {
  id: string;
  onBehalfOf: string;
  seatCategory: SeatCategory;
  role: MemberRole;
  votingRight: boolean;
  startDate: IsoDate;
  endDate?: IsoDate;
  departed?: true;
  departureReason?: string;
  /** whether the member holds the seat on the view day */
  inOffice: boolean;
  /** the deputies in office on the view day */
  deputies: DeputyJson[];
};

export interface SeatUse {
  seats: number;
  used: number;
  free: number;
}

export interface RulesVersionJson {
  version: number;
  effectiveFrom: IsoDate;
  resolutionId?: string;
  rules: RulesOfProcedure;
}

export interface BoardJson {
  name: string;
  establishedOn: IsoDate;
  seats: Seats;
  /** seats used and free per category on the view day */
  seatsUsed: Record<SeatCategory, SeatUse>;
  /** the rules of procedure in force on the view day */
  rules: RulesOfProcedure;
  rulesVersion: number;
  rulesEffectiveFrom: IsoDate;
  rulesResolutionId?: string;
  /** every version known at the cut, also those not yet in force */
  rulesHistory: RulesVersionJson[];
  /** the members in office on the view day */
  members: MemberJson[];
}

const ROLE_ORDER: Record<MemberRole, number> = { chair: 0, 'deputy-chair': 1, member: 2 };

/** The established board at the cut (undefined before its establishment, also when established later than the view day). */
export function boardAt(index: EntityIndex, cut: ResolvedCut): EstablishedBoard | undefined {
  const board = index.stateOf('board', 'main', cut);
  if (!board || board.status !== 'established' || board.establishedOn > cut.viewDay) return undefined;
  return board;
}

/** GET /v1/board */
export function boardView(index: EntityIndex, cut: ResolvedCut, options: ViewOptions = {}): BoardJson | undefined {
  const board = boardAt(index, cut);
  if (!board) return undefined;
  const day = cut.viewDay;
  const inForce = rulesInForce(board, day);
  const members = membersInOffice(board, day).sort(
    (a, b) =>
      ROLE_ORDER[a.role] - ROLE_ORDER[b.role] ||
      seatCategories.indexOf(a.seatCategory) - seatCategories.indexOf(b.seatCategory) ||
      compare(a.startDate, b.startDate) ||
      compare(a.memberId, b.memberId),
  );
  return defined({
    name: board.name,
    establishedOn: board.establishedOn,
    seats: { ...board.seats },
    seatsUsed: seatsUsed(board.seats, members),
    rules: copy(inForce.rules),
    rulesVersion: inForce.version,
    rulesEffectiveFrom: inForce.effectiveFrom,
    rulesResolutionId: inForce.resolutionId,
    rulesHistory: board.rulesHistory.map((v) =>
      defined({ version: v.version, effectiveFrom: v.effectiveFrom, resolutionId: v.resolutionId, rules: copy(v.rules) }),
    ),
    members: members.map((m) => memberJson(m, day, options)),
  });
}

/** One member, in office on the view day or not (undefined when not appointed at the cut). */
export function boardMemberView(index: EntityIndex, memberId: string, cut: ResolvedCut, options: ViewOptions = {}): MemberJson | undefined {
  const board = boardAt(index, cut);
  const member = board?.members[memberId];
  return member ? memberJson(member, cut.viewDay, options) : undefined;
}

function seatsUsed(seats: Seats, inOffice: readonly BoardMember[]): Record<SeatCategory, SeatUse> {
  const used = {} as Record<SeatCategory, SeatUse>;
  for (const category of seatCategories) {
    const taken = inOffice.filter((m) => m.seatCategory === category).length;
    used[category] = { seats: seats[category], used: taken, free: Math.max(0, seats[category] - taken) };
  }
  return used;
}

function memberJson(member: BoardMember, day: IsoDate, options: ViewOptions): MemberJson {
  return defined({
    id: member.memberId,
    ...personFields(member.person, options),
    onBehalfOf: member.onBehalfOf,
    seatCategory: member.seatCategory,
    role: member.role,
    votingRight: member.votingRight,
    startDate: member.startDate,
    endDate: member.endDate,
    departed: member.departed ? (true as const) : undefined,
    departureReason: member.departureReason,
    inOffice: withinPeriod(day, member.startDate, member.endDate),
    deputies: member.deputies
      .filter((d) => withinPeriod(day, d.startDate, d.endDate))
      .map((d) =>
        defined({
          id: d.deputyId,
          ...personFields(d.person, options),
          startDate: d.startDate,
          endDate: d.endDate,
          departed: d.departed ? (true as const) : undefined,
          departureReason: d.departureReason,
        }),
      ),
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
