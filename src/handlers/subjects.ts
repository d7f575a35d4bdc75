import type { z } from 'zod';
import { streams } from '../domain/events';
import { NotFound } from '../domain/shared/errors';
import { eraseSubjectData, subjectDecider } from '../domain/subject/decider';
import type { Ledger } from '../ledger/ledger';
import type { SubjectKeyStore } from '../privacy/subject-key-store';
import { options, written, type CommandContext } from './command-context';

export const erasureBody = eraseSubjectData;

/** The right to be forgotten: the subject's key is deleted, then the erasure is recorded (with no personal data). */
export class SubjectHandlers {
  constructor(
    private readonly ledger: Ledger,
    private readonly keys: SubjectKeyStore,
  ) {}

  async erase(subjectId: string, body: z.output<typeof erasureBody>, ctx: CommandContext) {
    if (!this.keys.knows(subjectId)) throw new NotFound('subject', subjectId);
    // key first: should the append fail, the data is erased all the same and a retry records the fact
    this.keys.erase(subjectId);
    const result = await this.ledger.execute(streams.subject(subjectId), subjectDecider, { type: 'EraseSubject', data: { subjectId, reason: body.reason } }, options(ctx));
    return written(subjectId, result);
  }
}
