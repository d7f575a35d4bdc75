import { membersInOffice } from '../../domain/board/state';
import type { Seats } from '../../domain/board/seats';
import { partnerStatus, type PartnerStatus } from '../../domain/partner/events';
import type { IsoDate } from '../../domain/shared/dates';
import type { ResolvedCut } from '../as-of';
import type { EntityIndex } from '../entity-index';
import { boardAt } from './board';
import { patronView, type PatronTermJson } from './patron';
import { defined } from './shared';

export interface AllianceJson {
  name: string;
  constitutedOn: IsoDate;
  place: string;
  strategyRef?: string;
  officeEmail: string;
  /** the patron in office on the view day */
  patron: PatronTermJson | null;
  board: {
    name: string;
    establishedOn: IsoDate;
    seats: Seats;
    /** seats in all categories, and those taken on the view day */
    seatsTotal: number;
    seatsUsed: number;
    members: number;
    votingMembers: number;
  } | null;
  partners: { total: number } & Record<PartnerStatus, number>;
  groups: { total: number; active: number; dissolved: number; working: number; project: number };
}

/** GET /v1/alliance: the alliance, its patron, a board summary, partner and group counts. Undefined before its constitution. */
export function allianceView(index: EntityIndex, cut: ResolvedCut): AllianceJson | undefined {
  const alliance = index.stateOf('alliance', 'main', cut);
  if (!alliance || alliance.status !== 'constituted') return undefined;
  const board = boardAt(index, cut);
  const inOffice = board ? membersInOffice(board, cut.viewDay) : [];
  const seatsTotal = board ? Object.values(board.seats).reduce((a, b) => a + b, 0) : 0;
  return defined({
    name: alliance.name,
    constitutedOn: alliance.constitutedOn,
    place: alliance.place,
    strategyRef: alliance.strategyRef,
    officeEmail: alliance.officeEmail,
    patron: patronView(index, cut).inOffice,
    board: board
      ? {
          name: board.name,
          establishedOn: board.establishedOn,
          seats: { ...board.seats },
          seatsTotal,
          seatsUsed: inOffice.length,
          members: inOffice.length,
          votingMembers: inOffice.filter((m) => m.votingRight).length,
        }
      : null,
    partners: partnerCounts(index, cut),
    groups: groupCounts(index, cut),
  });
}

function partnerCounts(index: EntityIndex, cut: ResolvedCut): AllianceJson['partners'] {
  const counts = { total: 0 } as AllianceJson['partners'];
  for (const status of partnerStatus.options) counts[status] = 0;
  index.facetsAt('partner', cut, (facets) => {
    counts.total += 1;
    counts[facets.status as PartnerStatus] += 1;
  });
  return counts;
}

function groupCounts(index: EntityIndex, cut: ResolvedCut): AllianceJson['groups'] {
  const counts = { total: 0, active: 0, dissolved: 0, working: 0, project: 0 };
  index.facetsAt('group', cut, (facets) => {
    counts.total += 1;
    counts[facets.status as 'active' | 'dissolved'] += 1;
    counts[facets.kind as 'working' | 'project'] += 1;
  });
  return counts;
}
