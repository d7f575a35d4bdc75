import * as crypto from 'node:crypto';

/** The hashes of RFC 6962 / RFC 9162 Merkle trees (SHA-256), shared by the tree and the proof verifiers. */

export const HASH_BYTES = 32;

/** SHA-256, through the one-shot `crypto.hash` where Node has it (twice as fast for small inputs). */
export const sha256: (data: Uint8Array) => Buffer =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'buffer')
    : (data) => crypto.createHash('sha256').update(data).digest();

/** The root of the empty tree: SHA-256 of the empty string. */
export const EMPTY_ROOT = sha256(new Uint8Array(0)).toString('hex');

const HEX_HASH = /^[0-9a-fA-F]{64}$/;

export function isHexHash(value: unknown): value is string {
  return typeof value === 'string' && HEX_HASH.test(value);
}

/** 32 bytes from 64 hex digits (either case); throws TypeError otherwise. */
export function parseHexHash(value: string, what = 'hash'): Buffer {
  if (!isHexHash(value)) throw new TypeError(`${what} must be 64 hex digits`);
  return Buffer.from(value, 'hex');
}

function requireHashBytes(value: Uint8Array, what: string): void {
  if (!(value instanceof Uint8Array) || value.length !== HASH_BYTES) {
    throw new TypeError(`${what} must be ${HASH_BYTES} bytes`);
  }
}

// Scratch inputs: hashing is synchronous, so one buffer each is never shared between two calls in flight.
const leafInput = Buffer.alloc(1 + HASH_BYTES, 0x00);
const nodeInput = Buffer.alloc(1 + 2 * HASH_BYTES, 0x01);

/** RFC 6962 leaf hash of arbitrary leaf data: SHA-256(0x00 ‖ data). */
export function hashLeaf(data: Uint8Array): Buffer {
  if (data.length === HASH_BYTES) {
    leafInput.set(data, 1);
    return sha256(leafInput);
  }
  return sha256(Buffer.concat([leafInput.subarray(0, 1), data]));
}

/** RFC 6962 interior node: SHA-256(0x01 ‖ left ‖ right), both 32 bytes. */
export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  requireHashBytes(left, 'left child');
  requireHashBytes(right, 'right child');
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_BYTES);
  return sha256(nodeInput);
}

/** The leaf hash (hex) of an event whose hash is `eventHashHex`. */
export function eventLeafHash(eventHashHex: string): string {
  return hashLeaf(parseHexHash(eventHashHex, 'event hash')).toString('hex');
}

/** floor(log2(x)) for a positive safe integer, exactly (Math.log2 may round near powers of two). */
export function floorLog2(x: number): number {
  if (x < 2 ** 32) return 31 - Math.clz32(x);
  return 32 + (31 - Math.clz32(Math.floor(x / 2 ** 32)));
}

/** 32 bytes given as bytes or as hex; throws TypeError otherwise. */
export function toHashBytes(value: Uint8Array | string, what: string): Uint8Array {
  if (typeof value === 'string') return parseHexHash(value, what);
  requireHashBytes(value, what);
  return value;
}

/** The largest power of two strictly below n (n ≥ 2): RFC 9162's split point k. */
export function largestPowerOfTwoBelow(n: number): number {
  return 2 ** floorLog2(n - 1);
}
