/** Errors the ledger raises at its boundary (the API maps them to 412 and 400). */

/** `If-Match` did not hold: the stream is not at the revision the caller saw. Checked before any domain rule. */
export class PreconditionFailed extends Error {
  override readonly name = 'PreconditionFailed';
  constructor(
    readonly stream: string,
    readonly expected: bigint,
    readonly actual: bigint | null,
  ) {
    super(`stream ${stream} is at revision ${actual === null ? 'none' : String(actual)}, not ${String(expected)}`);
  }
}

/** A caller tried to set what only the server sets (recordedAt), or passed options the ledger does not know. */
export class InvalidCommandOptions extends Error {
  override readonly name = 'InvalidCommandOptions';
}

/** Conflicting writers kept winning: the command was retried and still found the stream moved. */
export class TooMuchContention extends Error {
  override readonly name = 'TooMuchContention';
}
