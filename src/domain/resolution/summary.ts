import { DomainRuleViolated, NotFound } from '../shared/errors';
import type { IsoDate } from '../shared/dates';
import type { ResolutionKind, ResolutionSubject } from './kinds';

/**
 * What other streams need to know of a resolution: the context the command handler loads for commands that must
 * cite an adopted resolution (admission, exclusion, group formation, mandate, dissolution, rules, revocation).
 */
export interface ResolutionSummary {
  resolutionId: string;
  kind: ResolutionKind;
  subject?: ResolutionSubject;
  outcome: 'adopted' | 'rejected' | null;
  decidedOn?: IsoDate;
  revokedBy?: string;
}

/**
 * Requires `summary` to be an adopted, unrevoked resolution of `kind` whose subject passes `fits`, decided on or
 * before `onDate`. Throws NotFound when there is none, DomainRuleViolated(rule) otherwise.
 */
export function requireAdoptedResolution(
  summary: ResolutionSummary | undefined,
  resolutionId: string,
  expected: { kind: ResolutionKind; fits: (subject: ResolutionSubject | undefined) => boolean; onDate?: IsoDate; rule: string },
): ResolutionSummary {
  if (!summary) throw new NotFound('resolution', resolutionId);
  const fail = (why: string): never => {
    throw new DomainRuleViolated(expected.rule, `resolution ${resolutionId} ${why}`);
  };
  if (summary.kind !== expected.kind) fail(`is of kind ${summary.kind}, not ${expected.kind}`);
  if (summary.outcome !== 'adopted') fail(summary.outcome === null ? 'has not been decided' : 'was rejected');
  if (summary.revokedBy) fail(`was revoked by resolution ${summary.revokedBy}`);
  if (!expected.fits(summary.subject)) fail('does not name this subject');
  if (expected.onDate && summary.decidedOn && summary.decidedOn > expected.onDate) fail(`was adopted only on ${summary.decidedOn}`);
  return summary;
}
