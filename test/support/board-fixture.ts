import type { BoardMember, Deputy, EstablishedBoard, RulesVersion } from '../../src/domain/board/state';
import { defaultRules, type RulesOfProcedure } from '../../src/domain/rules/rules-of-procedure';

/** A valid v4 UUID ending in `n`, so that test ids read as numbers. */
export const uid = (n: number): string => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;

export const CHAIR = uid(1);
export const DEPUTY_CHAIR = uid(2);
export const M3 = uid(3);
export const M4 = uid(4);
export const M5 = uid(5);
/** an advisory member: sits on the board, has no vote */
export const ADVISORY = uid(6);
/** the deputy of M3 */
export const D3 = uid(13);
/** the deputy of M4 */
export const D4 = uid(14);
export const OUTSIDER = uid(99);

export const VOTING = [CHAIR, DEPUTY_CHAIR, M3, M4, M5];

export function boardMember(memberId: string, overrides: Partial<BoardMember> = {}): BoardMember {
  return {
    memberId,
    person: { subjectId: uid(1000 + Number.parseInt(memberId.slice(-4), 10)), name: `Member ${memberId.slice(-2)}` },
    onBehalfOf: 'Organisation',
    seatCategory: 'association',
    role: 'member',
    votingRight: true,
    startDate: '2025-01-01',
    deputies: [],
    ...overrides,
  };
}

export function deputy(deputyId: string, memberId: string, overrides: Partial<Deputy> = {}): Deputy {
  return {
    deputyId,
    memberId,
    person: { subjectId: uid(2000 + Number.parseInt(deputyId.slice(-4), 10)), name: `Deputy ${deputyId.slice(-2)}` },
    startDate: '2025-01-01',
    ...overrides,
  };
}

/**
 * The board the specs sit with, established 2025-01-01 with the default rules: the chair, the deputy chair and
 * three more voting members (M3 and M4 with deputies), and one advisory member.
 */
export function establishedBoard(
  options: { members?: BoardMember[]; rules?: Partial<RulesOfProcedure>; laterRules?: (Omit<RulesVersion, 'rules'> & { rules: Partial<RulesOfProcedure> })[] } = {},
): EstablishedBoard {
  const members = options.members ?? [
    boardMember(CHAIR, { role: 'chair', seatCategory: 'ministry' }),
    boardMember(DEPUTY_CHAIR, { role: 'deputy-chair', seatCategory: 'municipal' }),
    boardMember(M3, { seatCategory: 'chamber', deputies: [deputy(D3, M3)] }),
    boardMember(M4, { seatCategory: 'union', deputies: [deputy(D4, M4)] }),
    boardMember(M5, { seatCategory: 'welfare' }),
    boardMember(ADVISORY, { votingRight: false }),
  ];
  const rulesHistory: RulesVersion[] = [
    { version: 1, rules: { ...defaultRules, ...options.rules }, effectiveFrom: '2025-01-01' },
    ...(options.laterRules ?? []).map((v) => ({ ...v, rules: { ...defaultRules, ...v.rules } })),
  ];
  return {
    status: 'established',
    name: 'Beschließendes Gremium',
    establishedOn: '2025-01-01',
    seats: { ministry: 2, municipal: 2, chamber: 2, association: 2, union: 2, welfare: 2 },
    members: Object.fromEntries(members.map((m) => [m.memberId, m])),
    rulesHistory,
  };
}

/** The board with one member changed. */
export function withMember(board: EstablishedBoard, memberId: string, change: Partial<BoardMember>): EstablishedBoard {
  const member = board.members[memberId];
  if (!member) throw new Error(`no member ${memberId} in the fixture`);
  return { ...board, members: { ...board.members, [memberId]: { ...member, ...change } } };
}
