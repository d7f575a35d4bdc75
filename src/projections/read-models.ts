import { resolveCut, type Cut, type ResolvedCut } from './as-of';
import { EntityIndex, type EntityIndexOptions } from './entity-index';
import { ReadModelSet, type Projection } from './projection';
import { allianceView, type AllianceJson } from './views/alliance';
import { boardMemberView, boardView, type BoardJson, type MemberJson } from './views/board';
import { groupsView, groupView, type GroupFilter, type GroupJson } from './views/groups';
import { meetingsView, meetingView, type MeetingFilter, type MeetingJson } from './views/meetings';
import { partnerContactView, partnersView, partnerView, type ContactJson, type PartnerFilter, type PartnerJson } from './views/partners';
import { patronView, statementsView, statementView, type PatronJson, type StatementFilter, type StatementJson } from './views/patron';
import { resolutionsView, resolutionView, type ResolutionFilter, type ResolutionJson } from './views/resolutions';
import type { ListResult, PageRequest, RevealPersonalData } from './views/shared';

/**
 * A read: the cut (asOf, knownAt; see as-of.ts), whether the reader may see personal data and how it is decrypted
 * (the read models, like the log, hold it encrypted only), and the clock.
 */
export interface ReadQuery extends Cut {
  withPersonalData?: boolean;
  reveal?: RevealPersonalData;
  /** what "today" is when neither asOf nor knownAt is given (default: the wall clock) */
  now?: Date;
}

/**
 * Every read model of the ledger, sharing one checkpoint: the entity index (from which the views of API.md's GET
 * routes are computed for any cut) and any further projections passed in (the integrity module's Merkle tree).
 * Throws RangeError for a malformed asOf/knownAt.
 */
export class ReadModels extends ReadModelSet {
  constructor(
    readonly entities: EntityIndex,
    extra: readonly Projection[] = [],
  ) {
    super([entities, ...extra]);
  }

  cut(query: ReadQuery = {}): ResolvedCut {
    return resolveCut(query, query.now);
  }

  alliance(query: ReadQuery = {}): AllianceJson | undefined {
    return allianceView(this.entities, this.cut(query));
  }

  patron(query: ReadQuery = {}): PatronJson {
    return patronView(this.entities, this.cut(query));
  }

  statements(query: ReadQuery & StatementFilter = {}, page?: PageRequest): ListResult<StatementJson> {
    return statementsView(this.entities, this.cut(query), query, page);
  }

  statement(statementId: string, query: ReadQuery = {}): StatementJson | undefined {
    return statementView(this.entities, statementId, this.cut(query));
  }

  board(query: ReadQuery = {}): BoardJson | undefined {
    return boardView(this.entities, this.cut(query), query);
  }

  boardMember(memberId: string, query: ReadQuery = {}): MemberJson | undefined {
    return boardMemberView(this.entities, memberId, this.cut(query), query);
  }

  meetings(query: ReadQuery & MeetingFilter = {}, page?: PageRequest): ListResult<MeetingJson> {
    return meetingsView(this.entities, this.cut(query), query, page);
  }

  meeting(meetingId: string, query: ReadQuery = {}): MeetingJson | undefined {
    return meetingView(this.entities, meetingId, this.cut(query));
  }

  resolutions(query: ReadQuery & ResolutionFilter = {}, page?: PageRequest): ListResult<ResolutionJson> {
    return resolutionsView(this.entities, this.cut(query), query, page);
  }

  resolution(resolutionId: string, query: ReadQuery = {}): ResolutionJson | undefined {
    return resolutionView(this.entities, resolutionId, this.cut(query));
  }

  partners(query: ReadQuery & PartnerFilter = {}, page?: PageRequest): ListResult<PartnerJson> {
    return partnersView(this.entities, this.cut(query), query, query, page);
  }

  partner(partnerId: string, query: ReadQuery = {}): PartnerJson | undefined {
    return partnerView(this.entities, partnerId, this.cut(query), query);
  }

  /** A partner's contact person alone: personal data, for privileged readers only. */
  partnerContact(partnerId: string, query: ReadQuery = {}): ContactJson | undefined {
    return partnerContactView(this.entities, partnerId, this.cut(query), query);
  }

  groups(query: ReadQuery & GroupFilter = {}, page?: PageRequest): ListResult<GroupJson> {
    return groupsView(this.entities, this.cut(query), query, page);
  }

  group(groupId: string, query: ReadQuery = {}): GroupJson | undefined {
    return groupView(this.entities, groupId, this.cut(query));
  }
}

/** The read models, with room for further projections (they share the snapshot and the checkpoint). */
export function createReadModels(extra: readonly Projection[] = [], options: EntityIndexOptions = {}): ReadModels {
  return new ReadModels(new EntityIndex(options), extra);
}
