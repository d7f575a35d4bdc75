import type { Tally, VoteValue } from '../resolution/events';
import type { RulesOfProcedure } from './rules-of-procedure';

/** The member presiding over the vote (chair, else deputy chair; the chair in written procedure). */
export interface PresidingMember {
  memberId: string;
  votingRight: boolean;
  /** their own vote on the motion, if they cast one */
  vote?: VoteValue;
}

export interface MajorityResult {
  outcome: 'adopted' | 'rejected';
  /** the presiding member whose vote decided a tie */
  tieBrokenBy?: string;
}

/**
 * Simple majority of the votes cast: yes must outnumber no; abstentions count for neither side. A tie goes the way
 * the presiding member voted, if the rules give them the casting vote and they have a vote to cast; otherwise the
 * motion fails, because it did not win a majority.
 */
export function majority(tally: Tally, presiding: PresidingMember | undefined, rules: RulesOfProcedure): MajorityResult {
  if (tally.yes > tally.no) return { outcome: 'adopted' };
  if (tally.yes < tally.no) return { outcome: 'rejected' };
  const casting =
    rules.tieBreak === 'presiding-member' && presiding?.votingRight && (presiding.vote === 'yes' || presiding.vote === 'no')
      ? presiding
      : undefined;
  if (!casting) return { outcome: 'rejected' };
  return { outcome: casting.vote === 'yes' ? 'adopted' : 'rejected', tieBrokenBy: casting.memberId };
}
