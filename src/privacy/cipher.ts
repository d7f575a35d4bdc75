import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';

/**
 * Personal data at rest: AES-256-GCM with a fresh 96-bit nonce per value and the subject's id as associated data
 * (a value cannot be moved to another subject). Written as `enc:v1:<base64url(nonce ‖ ciphertext ‖ tag)>`.
 */
const PREFIX = 'enc:v1:';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Random bytes for keys and nonces, from a pool refilled 4 KiB at a time: each randomBytes call is a call into
 * OpenSSL's generator costing 5–25 µs on this project's machine, and every application needs three (a key, two
 * nonces). Each byte is handed out once, and zeroed in the pool when it is, so that the pool never holds a key that
 * was handed out.
 */
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

function randomBytesFromPool(size: number): Buffer {
  if (poolAt + size > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolAt, poolAt + size));
  pool.fill(0, poolAt, poolAt + size);
  poolAt += size;
  return bytes;
}

export function isEncrypted(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PREFIX);
}

export function encryptValue(key: Buffer, subjectId: string, plaintext: string): string {
  const nonce = randomBytesFromPool(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(subjectId, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url');
}

/** The plaintext, or undefined when the value was not encrypted with this key for this subject. */
export function decryptValue(key: Buffer, subjectId: string, value: string): string | undefined {
  if (!isEncrypted(value)) return undefined;
  const raw = Buffer.from(value.slice(PREFIX.length), 'base64url');
  if (raw.length < NONCE_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.from(subjectId, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

export function newSubjectKey(): Buffer {
  return randomBytesFromPool(32);
}
