import type { RulesOfProcedure } from './rules-of-procedure';

/** The counts quorum is judged on, for one agenda item. */
export interface QuorumFacts {
  /** voting members in office on the meeting day */
  votingMembers: number;
  /** of those, present in person or by their deputy and not recused from the item */
  present: number;
  /** of those in office, recused from the item */
  recused: number;
  /** a timely invitation was sent */
  dulyInvited: boolean;
  /** the item is deferred from an earlier meeting this one reconvenes, which was not quorate for it */
  deferredFromInquorateMeeting?: boolean;
}

/**
 * Quorum after VwVfG § 90: duly invited, and strictly more than `quorumShare` and at least `quorumMinimumPresent`
 * of the voting members present. A defect in the invitation is healed only when every voting member is present
 * (none recused), since then nobody can have been kept away by it. A second meeting on items the first could not
 * decide for want of quorum decides them whatever the attendance (§ 90 (2)), provided it was itself duly invited.
 */
export function isQuorate(facts: QuorumFacts, rules: RulesOfProcedure): boolean {
  if (facts.dulyInvited && facts.deferredFromInquorateMeeting) return true;
  const everyVotingMemberPresent = facts.recused === 0 && facts.present === facts.votingMembers;
  if (!facts.dulyInvited && !everyVotingMemberPresent) return false;
  return facts.present > rules.quorumShare * facts.votingMembers && facts.present >= rules.quorumMinimumPresent;
}
