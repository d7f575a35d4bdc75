import { createPrivateKey, generateKeyPairSync, verify } from 'node:crypto';
import {
  SIGNATURE_ALGORITHM,
  digestSigningBytes,
  exportPrivateKeyPem,
  exportPublicKeyPem,
  generateSigningKeyPair,
  ledgerDigestSchema,
  loadPrivateKeyPem,
  loadPublicKeyPem,
  signDigest,
  signedLedgerDigestSchema,
  verifyDigestSignature,
  type LedgerDigest,
} from '../../src/integrity/digest-signing';

const digest: LedgerDigest = {
  size: 8,
  rootHash: '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
  signedAt: '2025-03-14T09:26:53.589Z',
};

// RFC 8032 §7.1, TEST 1: the secret key as PKCS#8 (a fixed DER prefix, then the 32-byte seed) and its public key.
const RFC8032_SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const RFC8032_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const rfc8032PrivatePem = createPrivateKey({
  key: Buffer.from(`302e020100300506032b657004220420${RFC8032_SEED}`, 'hex'),
  format: 'der',
  type: 'pkcs8',
})
  .export({ type: 'pkcs8', format: 'pem' })
  .toString();

describe('digest signing', () => {
  const keys = generateSigningKeyPair();
  const publicPem = exportPublicKeyPem(keys.publicKey);

  it('signs the UTF-8 bytes of the RFC 8785 canonical JSON of {size, rootHash, signedAt}', () => {
    const expectedBytes = Buffer.from(
      `{"rootHash":"${digest.rootHash}","signedAt":"${digest.signedAt}","size":8}`,
      'utf8',
    );
    expect(digestSigningBytes(digest).equals(expectedBytes)).toBe(true);
    const signature = signDigest(digest, keys.privateKey);
    expect(Buffer.from(signature, 'base64')).toHaveLength(64);
    expect(verify(null, expectedBytes, keys.publicKey, Buffer.from(signature, 'base64'))).toBe(true);
    expect(SIGNATURE_ALGORITHM).toBe('Ed25519');
  });

  it('round-trips through PEM keys', () => {
    const signature = signDigest(digest, keys.privateKey);
    expect(verifyDigestSignature(digest, signature, publicPem)).toBe(true);
    expect(verifyDigestSignature(digest, signature, keys.publicKey)).toBe(true);
    expect(verifyDigestSignature(digest, signature, loadPublicKeyPem(publicPem))).toBe(true);

    const privatePem = exportPrivateKeyPem(keys.privateKey);
    expect(privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    // Ed25519 is deterministic: the reloaded key gives the very same signature.
    expect(signDigest(digest, loadPrivateKeyPem(privatePem))).toBe(signature);
    expect(signDigest(digest, privatePem)).toBe(signature);
    expect(exportPublicKeyPem(keys.privateKey)).toBe(publicPem);
  });

  it('loads a known key: RFC 8032 test 1', () => {
    const key = loadPrivateKeyPem(rfc8032PrivatePem);
    const spki = loadPublicKeyPem(exportPublicKeyPem(key)).export({ type: 'spki', format: 'der' });
    expect(spki.subarray(-32).toString('hex')).toBe(RFC8032_PUBLIC);
    const signature = signDigest(digest, key);
    expect(verifyDigestSignature(digest, signature, exportPublicKeyPem(key))).toBe(true);
  });

  it('ignores fields beyond the three, so a whole signed answer verifies as it is', () => {
    const signed = { ...digest, signature: signDigest(digest, keys.privateKey) };
    expect(signedLedgerDigestSchema.safeParse(signed).success).toBe(true);
    expect(verifyDigestSignature(signed, signed.signature, publicPem)).toBe(true);
  });

  it('refuses a tampered digest, a tampered signature and another key', () => {
    const signature = signDigest(digest, keys.privateKey);
    const tampered: LedgerDigest[] = [
      { ...digest, size: 9 },
      { ...digest, size: 0 },
      { ...digest, rootHash: `4${digest.rootHash.slice(1)}` },
      { ...digest, rootHash: digest.rootHash.toUpperCase() },
      { ...digest, signedAt: '2025-03-14T09:26:53.590Z' },
      { ...digest, signedAt: '2025-03-14T10:26:53.589+01:00' },
    ];
    for (const other of tampered) expect(verifyDigestSignature(other, signature, publicPem)).toBe(false);

    const bytes = Buffer.from(signature, 'base64');
    bytes[10] = (bytes[10] as number) ^ 1;
    expect(verifyDigestSignature(digest, bytes.toString('base64'), publicPem)).toBe(false);

    const stranger = exportPublicKeyPem(generateSigningKeyPair().publicKey);
    expect(verifyDigestSignature(digest, signature, stranger)).toBe(false);
  });

  it('answers false, never throws, for malformed signatures, keys and digests', () => {
    const signature = signDigest(digest, keys.privateKey);
    const check = (d: unknown, s: unknown, k: unknown): boolean =>
      (verifyDigestSignature as (...a: unknown[]) => boolean)(d, s, k);
    const last = signature.at(-3) as string;
    // 64 bytes leave 4 spare bits in the last digit; Node would ignore them, we refuse the other spelling.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const sloppy = `${signature.slice(0, -3)}${alphabet[alphabet.indexOf(last) ^ 1] as string}==`;
    expect(Buffer.from(sloppy, 'base64').equals(Buffer.from(signature, 'base64'))).toBe(true);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' });

    const truncatedPem = publicPem.replace(/\n(.{40}).*\n/, '\n$1\n');
    expect(truncatedPem).not.toBe(publicPem);

    const bad: [unknown, unknown, unknown][] = [
      [digest, sloppy, publicPem],
      [digest, signature.slice(0, -2), publicPem],
      [digest, signature.replace(/==$/, ''), publicPem],
      [digest, Buffer.from(signature, 'base64').toString('base64url'), publicPem],
      [digest, `${signature}AAAA`, publicPem],
      [digest, '', publicPem],
      [digest, null, publicPem],
      [digest, Buffer.from(signature, 'base64'), publicPem],
      [digest, signature, 'not a key'],
      [digest, signature, truncatedPem],
      [digest, signature, exportPrivateKeyPem(keys.privateKey)],
      [digest, signature, keys.privateKey],
      [digest, signature, rsa],
      [digest, signature, ec],
      [digest, signature, null],
      [null, signature, publicPem],
      ['digest', signature, publicPem],
      [{ ...digest, size: '8' }, signature, publicPem],
      [{ ...digest, size: Number.NaN }, signature, publicPem],
      [{ ...digest, size: 8.5 }, signature, publicPem],
      [{ size: 8, rootHash: digest.rootHash }, signature, publicPem],
    ];
    expect(bad.map(([d, s, k], i) => [i, check(d, s, k)]).filter(([, ok]) => ok)).toEqual([]);
  });

  it('refuses to sign a malformed digest or with a key that is not an Ed25519 private key', () => {
    const malformed: unknown[] = [
      { ...digest, size: -1 },
      { ...digest, size: 1.5 },
      { ...digest, size: 2 ** 60 },
      { ...digest, rootHash: digest.rootHash.toUpperCase() },
      { ...digest, rootHash: digest.rootHash.slice(1) },
      { ...digest, signedAt: '2025-03-14' },
      { ...digest, signedAt: '2025-03-14T09:26:53' },
    ];
    for (const d of malformed) expect(() => signDigest(d as LedgerDigest, keys.privateKey)).toThrow(TypeError);
    expect(() => signDigest(digest, keys.publicKey)).toThrow(TypeError);
    const ecPrivate = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expect(() => signDigest(digest, ecPrivate)).toThrow(TypeError);
    expect(() => signDigest(digest, 'not a key')).toThrow(TypeError);
  });

  it('loads only Ed25519 keys of the right kind', () => {
    expect(() => loadPrivateKeyPem(publicPem)).toThrow(TypeError);
    expect(() => loadPrivateKeyPem('garbage')).toThrow(TypeError);
    const ecPem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(() => loadPrivateKeyPem(ecPem)).toThrow(TypeError);
    expect(() => loadPublicKeyPem(exportPrivateKeyPem(keys.privateKey))).toThrow(TypeError);
    expect(() => loadPublicKeyPem('garbage')).toThrow(TypeError);
    expect(() => exportPrivateKeyPem(keys.publicKey)).toThrow(TypeError);
  });

  it('describes a digest with a zod schema', () => {
    expect(ledgerDigestSchema.safeParse(digest).success).toBe(true);
    expect(ledgerDigestSchema.safeParse({ ...digest, extra: 1 }).success).toBe(false);
    expect(ledgerDigestSchema.safeParse({ ...digest, size: -1 }).success).toBe(false);
  });
});
