import type { StoredEvent } from '../store/port';
import { GENESIS_HASH } from '../ledger/hash-chain';
import { EMPTY_ROOT } from './merkle-hashing';
import { computeEventHashBytes } from './event-hashing';
import { EventIdIndex } from './event-id-index';
import { MerkleFrontier } from './merkle-frontier';

/**
 * The check of a whole log, event by event in log order, shared by `verifyLedger` (events from the store) and
 * `checkExport` (events from an export file). Keeps per stream only its last revision and hash, the event ids in an
 * EventIdIndex (duplicates), and the Merkle frontier; never the events.
 */

/** Why an event is the first bad one. */
export type BadEventReason =
  /** its stored hash is not the hash of its content */
  | 'hash-mismatch'
  /** its prevHash is not the hash of the previous event in its stream (64 zeros at revision 0) */
  | 'prev-hash-mismatch'
  /** its revision is not one more than the previous event's in its stream (0 for the first) */
  | 'revision-gap'
  /** an earlier event in the log has the same event id */
  | 'duplicate-event-id'
  /** metadata.hash or metadata.prevHash is missing or not a string */
  | 'metadata-missing'
  /** its position is not after the previous event's */
  | 'position-out-of-order'
  /** the store (or the export line) cannot be read as an event at all */
  | 'unreadable';

export interface BadEvent {
  /** the global position, as a string ('' when not even that could be read) */
  position: string;
  stream: string;
  /** -1 when unknown */
  revision: number;
  eventId: string;
  reason: BadEventReason;
}

/** An event as the check needs it: a stored event, whether read from a store or parsed from an export. */
export type CheckableEvent = StoredEvent;

export interface DigestComparison {
  /** the expected digest's size and root */
  size: number;
  rootHash: string;
  /** the log's root at that size; null when the log holds fewer events */
  actualRootHash: string | null;
  matches: boolean;
}

interface StreamHead {
  revision: bigint;
  hash: string;
}

export class LedgerCheck {
  private readonly streams = new Map<string, StreamHead>();
  private readonly ids = new EventIdIndex();
  private readonly frontier = new MerkleFrontier();
  private lastPosition: bigint | undefined;
  private checked = 0;
  private bad: BadEvent | undefined;
  private rootAtExpectedSize: string | null = null;

  /** `expected`: a digest whose root the log must have at its size (the log may have grown since). */
  constructor(private readonly expected?: { size: number; rootHash: string }) {
    if (expected?.size === 0) this.rootAtExpectedSize = EMPTY_ROOT;
  }

  get checkedEvents(): number {
    return this.checked;
  }

  get firstBad(): BadEvent | undefined {
    return this.bad;
  }

  /** Leaves in the recomputed tree: the events that could be read. */
  get size(): number {
    return this.frontier.size;
  }

  /** The root over the recomputed hashes of the events read, in log order. */
  get rootHash(): string {
    return this.frontier.root();
  }

  get digestComparison(): DigestComparison | undefined {
    if (this.expected === undefined) return undefined;
    const { size, rootHash } = this.expected;
    const actual = this.rootAtExpectedSize;
    return { size, rootHash, actualRootHash: actual, matches: actual !== null && actual === rootHash };
  }

  get ok(): boolean {
    return this.bad === undefined && (this.expected === undefined || this.digestComparison?.matches === true);
  }

  /**
   * Checks the next event of the log. Every event is hashed and goes into the tree, also after the first bad one,
   * so the root and the comparison with an expected digest describe the whole log.
   */
  add(event: CheckableEvent): void {
    this.checked += 1;
    const hash = computeEventHashBytes(event);
    this.frontier.appendEventHash(hash);
    if (this.expected !== undefined && this.frontier.size === this.expected.size) this.rootAtExpectedSize = this.frontier.root();
    const duplicate = this.ids.push(event.eventId) !== -1;
    const inOrder = this.lastPosition === undefined || event.position > this.lastPosition;
    this.lastPosition = event.position;
    if (this.bad !== undefined) return;

    // one lookup of the stream's head serves both the checks and the update
    const head = this.streams.get(event.stream);
    const reason = problemOf(event, head, hash, duplicate, inOrder);
    if (reason !== undefined) {
      this.bad = badEvent(event, reason);
    } else if (head === undefined) {
      this.streams.set(event.stream, { revision: event.revision, hash: event.metadata.hash as string });
    } else {
      head.revision = event.revision;
      head.hash = event.metadata.hash as string;
    }
  }

  /** An event that cannot be read: it counts as checked and is the first bad one unless one came before. */
  addUnreadable(at: { position?: bigint; stream?: string; revision?: bigint; eventId?: string }): void {
    this.checked += 1;
    if (at.position !== undefined) this.lastPosition = at.position;
    this.bad ??= {
      position: at.position === undefined ? '' : at.position.toString(),
      stream: at.stream ?? '',
      revision: at.revision === undefined ? -1 : Number(at.revision),
      eventId: at.eventId ?? '',
      reason: 'unreadable',
    };
  }
}

/** The first rule the event breaks, given its stream's head before it; undefined when it breaks none. */
function problemOf(
  event: CheckableEvent,
  head: StreamHead | undefined,
  hash: Buffer,
  duplicate: boolean,
  inOrder: boolean,
): BadEventReason | undefined {
  if (!inOrder) return 'position-out-of-order';
  if (head === undefined ? event.revision !== 0n : event.revision - head.revision !== 1n) return 'revision-gap';
  if (duplicate) return 'duplicate-event-id';
  const { hash: storedHash, prevHash } = event.metadata;
  if (typeof storedHash !== 'string' || typeof prevHash !== 'string') return 'metadata-missing';
  if (prevHash !== (head === undefined ? GENESIS_HASH : head.hash)) return 'prev-hash-mismatch';
  if (storedHash !== hash.toString('hex')) return 'hash-mismatch';
  return undefined;
}

function badEvent(event: CheckableEvent, reason: BadEventReason): BadEvent {
  return {
    position: event.position.toString(),
    stream: event.stream,
    revision: Number(event.revision),
    eventId: event.eventId,
    reason,
  };
}
