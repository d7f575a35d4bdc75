import { StoreCorrupted } from '../store/errors';
import type { EventStore } from '../store/port';
import { LedgerCheck, type BadEvent, type DigestComparison } from './ledger-check';

export type { BadEvent, BadEventReason, DigestComparison } from './ledger-check';

export interface VerifyLedgerOptions {
  /**
   * A digest kept outside the system (an auditor's signed `{size, rootHash}`; other fields are ignored): the log's
   * root at that size must equal it. The log may have grown since; a shorter log does not match.
   */
  expected?: { size: number; rootHash: string };
  /** called every `progressEvery` events (default 100,000) with the number checked so far, e.g. for a CLI */
  onProgress?: (checkedEvents: number) => void;
  progressEvery?: number;
}

export interface LedgerVerification {
  /** no bad event, and the expected digest (when given) matches */
  ok: boolean;
  /** events read from the log, unreadable ones included */
  checkedEvents: number;
  /** leaves of the recomputed tree: the events that could be read */
  size: number;
  /** RFC 6962 root over the recomputed event hashes in log order (equals the ledger digest when `ok`) */
  rootHash: string;
  /** the first bad event in log order */
  firstBad?: BadEvent;
  /** present when `expected` was given */
  expectedDigest?: DigestComparison;
}

/**
 * Reads the whole log once, in position order, and checks every event: its hash recomputed from its content, its
 * place in its stream's chain (revision one more than the last, prevHash the last hash, 64 zeros at revision 0), a
 * unique event id; and recomputes the Merkle root over the hashes. Reports the first bad event in log order but
 * reads on to the end, so the root and the comparison with `expected` describe the whole log. An event the store
 * cannot decode is bad ('unreadable') and skipped when the store says where it lies; otherwise reading stops there.
 */
export async function verifyLedger(store: EventStore, options: VerifyLedgerOptions = {}): Promise<LedgerVerification> {
  const check = new LedgerCheck(options.expected);
  const every = options.progressEvery ?? 100_000;
  let after: bigint | undefined;
  for (;;) {
    try {
      for await (const event of store.readAll(after === undefined ? {} : { after })) {
        check.add(event);
        if (options.onProgress && check.checkedEvents % every === 0) options.onProgress(check.checkedEvents);
      }
      break;
    } catch (error) {
      if (!(error instanceof StoreCorrupted)) throw error;
      check.addUnreadable(error.at ?? {});
      if (error.at === undefined) break;
      after = error.at.position;
    }
  }
  const result: LedgerVerification = { ok: check.ok, checkedEvents: check.checkedEvents, size: check.size, rootHash: check.rootHash };
  if (check.firstBad) result.firstBad = check.firstBad;
  const comparison = check.digestComparison;
  if (comparison) result.expectedDigest = comparison;
  return result;
}
