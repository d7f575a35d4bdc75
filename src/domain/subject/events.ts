import { z } from 'zod';
import { instant } from '../shared/dates';
import { subjectId } from '../shared/personal';
import { shortText } from '../shared/text';

/**
 * A data subject's personal data was erased (crypto-shredding: the subject's key was deleted). The event holds
 * nothing personal: the subject's id, which carries no personal data, and why.
 */
export const subjectErased = z.object({
  subjectId,
  reason: shortText,
  occurredAt: instant,
});

export const subjectEventSchemas = {
  SubjectErased: subjectErased,
} as const;

export type SubjectEvent = { type: 'SubjectErased'; data: z.infer<typeof subjectErased>; occurredAt: string };
