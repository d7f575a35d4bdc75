import type { z } from 'zod';
import { type Command, type Decider } from '../shared/decider';
import { DomainRuleViolated } from '../shared/errors';
import { subjectErased, type SubjectEvent } from './events';

/** POST /v1/subjects/{subjectId}/erasure: `{reason}`; the erasure instant is the server's. */
export const eraseSubjectData = subjectErased.pick({ reason: true }).strict();
export type EraseSubject = Command<'EraseSubject', { subjectId: string; reason: string }>;

export type SubjectState = { erased: false } | { erased: true; occurredAt: string };

export const subjectDecider: Decider<EraseSubject, SubjectEvent, SubjectState> = {
  initialState: { erased: false },
  evolve: (_state, event) => ({ erased: true, occurredAt: event.data.occurredAt }),
  decide(command, state) {
    if (state.erased) throw new DomainRuleViolated('subject-already-erased', `subject ${command.data.subjectId} was erased at ${state.occurredAt}`);
    const occurredAt = command.metadata.now;
    return [{ type: 'SubjectErased', data: { ...command.data, occurredAt }, occurredAt }];
  },
};

export type EraseSubjectBody = z.infer<typeof eraseSubjectData>;
