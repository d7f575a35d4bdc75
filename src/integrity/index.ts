/** The integrity module: the ledger's Merkle tree, proofs, signed digests, full verification and the export. */
export { MerkleTree, EMPTY_ROOT, eventLeafHash } from './merkle-tree';
export { verifyInclusion, verifyLeafHashInclusion, verifyConsistency } from './proofs';
export {
  SIGNATURE_ALGORITHM,
  ledgerDigestSchema,
  signedLedgerDigestSchema,
  signDigest,
  verifyDigestSignature,
  digestSigningBytes,
  exportPublicKeyPem,
  loadPublicKeyPem,
  type LedgerDigest,
  type SignedLedgerDigest,
} from './digest-signing';
export { InvalidProofRequest } from './errors';
export {
  LedgerDigestProjection,
  LEDGER_DIGEST_PROJECTION,
  type TreeDigest,
  type InclusionProof,
  type ConsistencyProof,
} from './digest-projection';
export { loadOrCreateSigningKey, signedDigest, SIGNING_KEY_FILE, type LedgerSigningKey, type LoadSigningKeyOptions } from './signing-keys';
export {
  verifyLedger,
  type VerifyLedgerOptions,
  type LedgerVerification,
  type BadEvent,
  type BadEventReason,
  type DigestComparison,
} from './verification';
export { exportLedger, EXPORT_FORMAT, type ExportOptions, type ExportResult, type ExportTrailer } from './export';
export { checkExport, type ExportCheck, type ExportProblem, type ExportText } from './export-check';
export { computeEventHash } from './event-hashing';
