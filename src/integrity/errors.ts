/** Errors of the integrity module's queries. An unknown event is the domain's NotFound (src/domain/shared/errors). */

/**
 * A proof or digest was asked for sizes the ledger tree cannot answer: not a whole number, larger than the tree,
 * `from` after `to`, or an event that is not among the first `size` leaves. A RangeError, so that code catching
 * range errors of the tree itself sees it too; the API maps it to 400.
 */
export class InvalidProofRequest extends RangeError {
  override readonly name = 'InvalidProofRequest';
}
