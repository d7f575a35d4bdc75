/** Errors that cross the store boundary. Adapters translate their client's errors into these. */

export class StoreError extends Error {
  override readonly name: string = 'StoreError';
}

/** The stream's revision was not what the caller expected. */
export class ConcurrencyConflict extends StoreError {
  override readonly name = 'ConcurrencyConflict';
  constructor(
    readonly stream: string,
    /** what the caller expected, as passed to append */
    readonly expected: 'no-stream' | 'exists' | 'any' | bigint,
    /** the stream's actual last revision, or 'no-stream' */
    readonly actual: bigint | 'no-stream',
  ) {
    super(`stream ${stream}: expected revision ${String(expected)}, actual ${String(actual)}`);
  }
}

/** The store cannot be reached or refused to work (connection lost, disk unavailable). */
export class StoreUnavailable extends StoreError {
  override readonly name = 'StoreUnavailable';
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
  }
}

/** Where a corrupt event lies, as far as the adapter could still read it. */
export interface CorruptedEventLocation {
  position: bigint;
  stream?: string;
  revision?: bigint;
  eventId?: string;
}

/** The stored data is not what the store wrote (corrupt row, unparseable JSON). */
export class StoreCorrupted extends StoreError {
  override readonly name = 'StoreCorrupted';
  /** the event that cannot be read, when known: lets a verifier name it and read on after it */
  readonly at?: CorruptedEventLocation;

  constructor(message: string, options?: { cause?: unknown; at?: CorruptedEventLocation }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.at) this.at = options.at;
  }
}
