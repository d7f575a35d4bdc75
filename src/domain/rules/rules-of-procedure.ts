import { z } from 'zod';

/**
 * The rules of procedure (Geschäftsordnung) as data. Defaults follow VwVfG §§ 90–91; the board is established
 * with them (or with its own), and they change only by an adopted resolution of kind `rules`.
 */
export const rulesOfProcedure = z
  .object({
    /** an invitation is timely when sent at least this many calendar days before the meeting day */
    invitationPeriodDays: z.number().int().min(0).max(365).default(7),
    /** the same for a meeting marked urgent */
    urgentInvitationPeriodDays: z.number().int().min(0).max(365).default(3),
    /** quorum: strictly more than this share of the voting members in office must be present */
    quorumShare: z.number().min(0).max(1).default(0.5),
    /** quorum: and at least this many */
    quorumMinimumPresent: z.number().int().min(1).max(1000).default(3),
    /** a tie is decided by the presiding member's vote, or the motion is rejected */
    tieBreak: z.enum(['presiding-member', 'rejected']).default('presiding-member'),
    /** who admits partners: the board by resolution, or the office under delegation */
    admissionBy: z.enum(['board', 'office']).default('board'),
  })
  .strict();

export type RulesOfProcedure = z.output<typeof rulesOfProcedure>;
export type RulesOfProcedureInput = z.input<typeof rulesOfProcedure>;

export const defaultRules: RulesOfProcedure = rulesOfProcedure.parse({});
