/**
 * The one place where the port's revisions meet EventStoreDB's. Both count a stream's events from 0, so a revision
 * (and an ETag built from it) means the same on either store; only the names of the special expectations differ.
 */
import { ANY, NO_STREAM, STREAM_EXISTS, type AppendExpectedRevision } from '@eventstore/db-client';
import type { ExpectedRevision } from '../port';

export function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no-stream':
      return NO_STREAM;
    case 'exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      if (typeof expected !== 'bigint' || expected < 0n) {
        throw new RangeError(`expected revision must be 'no-stream', 'exists', 'any' or a revision ≥ 0, got ${String(expected)}`);
      }
      return expected;
  }
}

/**
 * The stream's actual revision as WrongExpectedVersionError reports it: a bigint, or the string 'no_stream' when the
 * stream does not exist (older servers and code paths have also sent -1 or a decimal string).
 */
export function fromClientActualRevision(actual: unknown): bigint | 'no-stream' {
  if (typeof actual === 'bigint') return actual < 0n ? 'no-stream' : actual;
  if (typeof actual === 'number' && Number.isSafeInteger(actual)) return actual < 0 ? 'no-stream' : BigInt(actual);
  if (typeof actual === 'string' && /^\d+$/.test(actual)) return BigInt(actual);
  return 'no-stream';
}
