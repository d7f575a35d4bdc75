import type { DecisionBasis } from '../../domain/resolution/events';
import { z } from '../openapi-zod';

/** `basis` as API.md defines it, with the rules applied and the member lists an auditor recomputes it from. */
export const basisSchema = z
  .object({
    procedure: z.enum(['meeting', 'written']),
    votingMembers: z.number().int(),
    present: z.number().int(),
    recused: z.number().int(),
    quorumMet: z.boolean(),
    tally: z.object({ yes: z.number().int(), no: z.number().int(), abstain: z.number().int() }),
    tieBrokenBy: z.uuid().optional(),
    presidingMemberId: z.uuid().optional(),
    rulesVersion: z.number().int(),
    rules: z.record(z.string(), z.unknown()),
    votingMemberIds: z.array(z.uuid()),
    presentMemberIds: z.array(z.uuid()),
    recusedMemberIds: z.array(z.uuid()),
  })
  .openapi('DecisionBasis');

export function basisJson(basis: DecisionBasis): z.infer<typeof basisSchema> {
  return basis;
}
