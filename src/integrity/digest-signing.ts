import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import { instant } from '../domain/shared/dates';

/**
 * Signed ledger digests: Ed25519 over the UTF-8 bytes of the RFC 8785 canonical JSON of exactly
 * `{size, rootHash, signedAt}`. Signing only those three fields means a whole `{…, signature}` answer can be handed
 * back to `verifyDigestSignature` as it is.
 */

export const SIGNATURE_ALGORITHM = 'Ed25519';

export const ledgerDigestSchema = z
  .object({
    size: z.number().int().nonnegative(),
    rootHash: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits'),
    signedAt: instant,
  })
  .strict();

export type LedgerDigest = z.infer<typeof ledgerDigestSchema>;

export const signedLedgerDigestSchema = ledgerDigestSchema
  .extend({ signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'expected a base64 Ed25519 signature') })
  .strict();

export type SignedLedgerDigest = z.infer<typeof signedLedgerDigestSchema>;

/** The exact bytes a digest's signature covers. */
export function digestSigningBytes(digest: LedgerDigest): Buffer {
  const { size, rootHash, signedAt } = digest;
  const json = canonicalize({ size, rootHash, signedAt });
  if (json === undefined) throw new TypeError('digest cannot be canonicalized');
  return Buffer.from(json, 'utf8');
}

/** Base64 Ed25519 signature of the digest. Throws TypeError for a malformed digest or a key that is not Ed25519. */
export function signDigest(digest: LedgerDigest, privateKey: KeyObject | string): string {
  const parsed = ledgerDigestSchema.safeParse({
    size: digest.size,
    rootHash: digest.rootHash,
    signedAt: digest.signedAt,
  });
  if (!parsed.success) throw new TypeError(`not a ledger digest: ${parsed.error.message}`);
  const key = typeof privateKey === 'string' ? loadPrivateKeyPem(privateKey) : privateKey;
  requireEd25519(key, 'private');
  return sign(null, digestSigningBytes(parsed.data), key).toString('base64');
}

/**
 * Whether `signature` (base64) is the Ed25519 signature of the digest's `{size, rootHash, signedAt}` by the key
 * (SPKI PEM or KeyObject). Other fields of `digest` are ignored. Malformed input of any kind gives false.
 */
export function verifyDigestSignature(digest: LedgerDigest, signature: string, publicKey: KeyObject | string): boolean {
  try {
    if (typeof digest !== 'object' || digest === null) return false;
    const { size, rootHash, signedAt } = digest;
    if (!Number.isSafeInteger(size) || typeof rootHash !== 'string' || typeof signedAt !== 'string') return false;
    const bytes = decodeSignature(signature);
    if (bytes === null) return false;
    const key = typeof publicKey === 'string' ? loadPublicKeyPem(publicKey) : publicKey;
    if (key.type !== 'public' || key.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, digestSigningBytes({ size, rootHash, signedAt }), key, bytes);
  } catch {
    return false;
  }
}

// Only the canonical encoding of 64 bytes, so a signature has one spelling.
function decodeSignature(signature: unknown): Buffer | null {
  if (typeof signature !== 'string' || !/^[A-Za-z0-9+/]{86}==$/.test(signature)) return null;
  const bytes = Buffer.from(signature, 'base64');
  return bytes.length === 64 && bytes.toString('base64') === signature ? bytes : null;
}

export interface SigningKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function generateSigningKeyPair(): SigningKeyPair {
  return generateKeyPairSync('ed25519');
}

/** SPKI PEM of the public key (also accepts the private key and exports its public half). */
export function exportPublicKeyPem(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  requireEd25519(publicKey, 'public');
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** PKCS#8 PEM of the private key, unencrypted: keep it where only the service can read it. */
export function exportPrivateKeyPem(key: KeyObject): string {
  requireEd25519(key, 'private');
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** An Ed25519 private key from PKCS#8 PEM; throws TypeError for anything else. */
export function loadPrivateKeyPem(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new TypeError(`not a PKCS#8 PEM private key: ${(error as Error).message}`);
  }
  requireEd25519(key, 'private');
  return key;
}

/**
 * An Ed25519 public key from SPKI PEM; throws TypeError for anything else, a private key's PEM included (Node would
 * derive the public half from it, which would hide a private key lying where a public one belongs).
 */
export function loadPublicKeyPem(pem: string): KeyObject {
  if (typeof pem !== 'string' || !pem.includes('-----BEGIN PUBLIC KEY-----')) {
    throw new TypeError('not an SPKI PEM public key');
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new TypeError(`not an SPKI PEM public key: ${(error as Error).message}`);
  }
  requireEd25519(key, 'public');
  return key;
}

function requireEd25519(key: KeyObject, type: 'private' | 'public'): void {
  if (key.type !== type || key.asymmetricKeyType !== 'ed25519') {
    const got = `${key.asymmetricKeyType ?? 'symmetric'} ${key.type}`;
    throw new TypeError(`expected an Ed25519 ${type} key, got a ${got} key`);
  }
}
