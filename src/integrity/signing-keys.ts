import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config';
import {
  exportPrivateKeyPem,
  exportPublicKeyPem,
  generateSigningKeyPair,
  loadPrivateKeyPem,
  signDigest,
  type SignedLedgerDigest,
} from './digest-signing';
import type { TreeDigest } from './digest-projection';

/** The file name of a generated key, in the directory of LEDGER_DB beside the other files of an installation. */
export const SIGNING_KEY_FILE = 'signing-key.pem';

export interface LedgerSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SPKI PEM, as GET /v1/ledger/public-key answers it */
  publicKeyPem: string;
  /** where the key came from, for the start-up line (never the key itself) */
  source: 'LEDGER_SIGNING_KEY' | 'LEDGER_SIGNING_KEY_FILE' | 'stored' | 'generated';
  /** the file, for LEDGER_SIGNING_KEY_FILE and a stored or generated key */
  path?: string;
}

export interface LoadSigningKeyOptions {
  /** the directory of the store file (dirname of LEDGER_DB) */
  directory: string;
  env?: Record<string, string | undefined>;
}

/**
 * The ledger's Ed25519 signing key: LEDGER_SIGNING_KEY (PKCS#8 PEM; `\n` escapes are accepted for one-line
 * environment files) or LEDGER_SIGNING_KEY_FILE (a path to one), else `signing-key.pem` in `directory`, generated on
 * the first start (mode 0600). Setting both variables, or a key that is not an Ed25519 PKCS#8 PEM, is a ConfigError
 * naming the source: signing with a different key than the operator meant would make every digest unverifiable for
 * their auditors.
 */
export function loadOrCreateSigningKey(options: LoadSigningKeyOptions): LedgerSigningKey {
  const env = options.env ?? process.env;
  const inline = nonEmpty(env.LEDGER_SIGNING_KEY);
  const file = nonEmpty(env.LEDGER_SIGNING_KEY_FILE);
  if (inline !== undefined && file !== undefined) {
    throw new ConfigError('set either LEDGER_SIGNING_KEY or LEDGER_SIGNING_KEY_FILE, not both');
  }
  if (inline !== undefined) {
    const pem = inline.includes('\n') ? inline : inline.replace(/\\n/g, '\n');
    return keyFrom(parse(pem, 'LEDGER_SIGNING_KEY'), 'LEDGER_SIGNING_KEY');
  }
  if (file !== undefined) {
    return keyFrom(parse(readKeyFile(file, `LEDGER_SIGNING_KEY_FILE ${file}`), `LEDGER_SIGNING_KEY_FILE ${file}`), 'LEDGER_SIGNING_KEY_FILE', file);
  }
  const path = join(options.directory, SIGNING_KEY_FILE);
  const stored = readIfPresent(path);
  if (stored !== undefined) return keyFrom(parse(stored, path), 'stored', path);
  return createKeyFile(options.directory, path);
}

/** The projection's current digest, signed: GET /v1/ledger/digest's answer. */
export function signedDigest(
  projection: { digest(): TreeDigest },
  key: LedgerSigningKey | KeyObject,
  now: Date,
): SignedLedgerDigest {
  const { size, rootHash } = projection.digest();
  const signedAt = now.toISOString();
  const privateKey = 'privateKey' in key ? key.privateKey : key;
  return { size, rootHash, signedAt, signature: signDigest({ size, rootHash, signedAt }, privateKey) };
}

function keyFrom(privateKey: KeyObject, source: LedgerSigningKey['source'], path?: string): LedgerSigningKey {
  const publicKey = createPublicKey(privateKey);
  const key: LedgerSigningKey = { privateKey, publicKey, publicKeyPem: exportPublicKeyPem(publicKey), source };
  if (path !== undefined) key.path = path;
  return key;
}

function parse(pem: string, source: string): KeyObject {
  try {
    return loadPrivateKeyPem(pem);
  } catch (error) {
    throw new ConfigError(`${source}: ${(error as Error).message}`);
  }
}

function readKeyFile(path: string, source: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${source} cannot be read: ${(error as Error).message}`);
  }
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`${path} cannot be read: ${(error as Error).message}`);
  }
}

/**
 * Generates the key into a temporary file (0600, flushed) and links it into place. A link does not replace an
 * existing file, so when two processes start on a new installation at once both end up with the one key that was
 * linked first, and a crash never leaves a half-written key behind under the real name.
 */
function createKeyFile(directory: string, path: string): LedgerSigningKey {
  mkdirSync(directory, { recursive: true });
  const { privateKey } = generateSigningKeyPair();
  const temp = join(directory, `.${SIGNING_KEY_FILE}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, exportPrivateKeyPem(privateKey));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return keyFrom(parse(readFileSync(path, 'utf8'), path), 'stored', path);
  } finally {
    rmSync(temp, { force: true });
  }
  syncDirectory(directory);
  return keyFrom(privateKey, 'generated', path);
}

// The new name must survive a crash too: digests signed with a key that is then lost can never be checked again.
function syncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(directory, 'r');
    fsyncSync(fd);
  } catch {
    // some platforms cannot open or sync a directory; the file itself is on disk
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
