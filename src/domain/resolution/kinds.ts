import { z } from 'zod';
import { rulesOfProcedure } from '../rules/rules-of-procedure';
import { id, longText, shortText } from '../shared/text';

export const resolutionKind = z.enum([
  'general',
  'partner-admission',
  'partner-exclusion',
  'group-formation',
  'group-dissolution',
  'group-mandate',
  'rules',
  'revocation',
]);
export type ResolutionKind = z.infer<typeof resolutionKind>;

export const groupKind = z.enum(['working', 'project']);
export type GroupKind = z.infer<typeof groupKind>;

/** What a resolution is about; which form fits which kind is checked by `subjectFits`. */
export const resolutionSubject = z.union([
  z.object({ partnerId: id }).strict(),
  z.object({ groupId: id }).strict(),
  z.object({ group: z.object({ kind: groupKind, name: shortText, mandate: longText }).strict() }).strict(),
  z.object({ rules: rulesOfProcedure }).strict(),
  z.object({ resolutionId: id }).strict(),
]);
export type ResolutionSubject = z.infer<typeof resolutionSubject>;

/** The subject a kind requires (none for `general`). */
export function subjectFits(kind: ResolutionKind, subject: ResolutionSubject | undefined): boolean {
  switch (kind) {
    case 'general':
      return subject === undefined;
    case 'partner-admission':
    case 'partner-exclusion':
      return subject !== undefined && 'partnerId' in subject;
    case 'group-formation':
      return subject !== undefined && 'group' in subject;
    case 'group-dissolution':
    case 'group-mandate':
      return subject !== undefined && 'groupId' in subject;
    case 'rules':
      return subject !== undefined && 'rules' in subject;
    case 'revocation':
      return subject !== undefined && 'resolutionId' in subject;
  }
}
