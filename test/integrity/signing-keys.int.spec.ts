import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config';
import { exportPrivateKeyPem, exportPublicKeyPem, generateSigningKeyPair, verifyDigestSignature } from '../../src/integrity/digest-signing';
import { LedgerDigestProjection } from '../../src/integrity/digest-projection';
import { SIGNING_KEY_FILE, loadOrCreateSigningKey, signedDigest } from '../../src/integrity/signing-keys';
import { chainedEvents } from './ledger-fixture';

describe('the ledger signing key', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'ledger-keys-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('is generated on the first start beside the store file, readable only by the owner, and reused after', () => {
    const installation = join(directory, 'data');
    const first = loadOrCreateSigningKey({ directory: installation, env: {} });
    const path = join(installation, SIGNING_KEY_FILE);
    expect(first).toMatchObject({ source: 'generated', path });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(installation)).toEqual([SIGNING_KEY_FILE]);
    const again = loadOrCreateSigningKey({ directory: installation, env: {} });
    expect(again).toMatchObject({ source: 'stored', path });
    expect(again.publicKeyPem).toBe(first.publicKeyPem);
    expect(first.publicKeyPem).toBe(exportPublicKeyPem(first.privateKey));
  });

  it('comes from LEDGER_SIGNING_KEY, also written on one line with \\n escapes', () => {
    const keys = generateSigningKeyPair();
    const pem = exportPrivateKeyPem(keys.privateKey);
    const expected = exportPublicKeyPem(keys.publicKey);
    expect(loadOrCreateSigningKey({ directory, env: { LEDGER_SIGNING_KEY: pem } })).toMatchObject({ source: 'LEDGER_SIGNING_KEY', publicKeyPem: expected });
    const oneLine = pem.trim().replace(/\n/g, '\\n');
    expect(loadOrCreateSigningKey({ directory, env: { LEDGER_SIGNING_KEY: oneLine } }).publicKeyPem).toBe(expected);
    expect(readdirSync(directory)).toEqual([]);
  });

  it('comes from LEDGER_SIGNING_KEY_FILE', () => {
    const keys = generateSigningKeyPair();
    const file = join(directory, 'elsewhere.pem');
    writeFileSync(file, exportPrivateKeyPem(keys.privateKey));
    const key = loadOrCreateSigningKey({ directory, env: { LEDGER_SIGNING_KEY_FILE: file } });
    expect(key).toMatchObject({ source: 'LEDGER_SIGNING_KEY_FILE', path: file, publicKeyPem: exportPublicKeyPem(keys.publicKey) });
  });

  it('refuses a configuration it cannot use, naming the variable', () => {
    const pem = exportPrivateKeyPem(generateSigningKeyPair().privateKey);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ LEDGER_SIGNING_KEY: pem, LEDGER_SIGNING_KEY_FILE: '/x' }, /either LEDGER_SIGNING_KEY or LEDGER_SIGNING_KEY_FILE/],
      [{ LEDGER_SIGNING_KEY: 'garbage' }, /^LEDGER_SIGNING_KEY: /],
      [{ LEDGER_SIGNING_KEY: rsa }, /LEDGER_SIGNING_KEY: expected an Ed25519 private key/],
      [{ LEDGER_SIGNING_KEY_FILE: join(directory, 'missing.pem') }, /LEDGER_SIGNING_KEY_FILE .* cannot be read/],
    ];
    for (const [env, message] of cases) {
      expect(() => loadOrCreateSigningKey({ directory, env })).toThrow(ConfigError);
      expect(() => loadOrCreateSigningKey({ directory, env })).toThrow(message);
    }
    writeFileSync(join(directory, SIGNING_KEY_FILE), 'damaged');
    expect(() => loadOrCreateSigningKey({ directory, env: {} })).toThrow(ConfigError);
  });

  it('signs the projection digest: {size, rootHash, signedAt, signature}', () => {
    const key = loadOrCreateSigningKey({ directory, env: {} });
    const projection = new LedgerDigestProjection();
    chainedEvents(5).forEach(({ stream, event }, i) => projection.apply({ ...event, stream, position: BigInt(i + 1), revision: 0n }));
    const signed = signedDigest(projection, key, new Date('2025-07-01T12:00:00Z'));
    expect(signed).toEqual({ ...projection.digest(), signedAt: '2025-07-01T12:00:00.000Z', signature: expect.any(String) });
    expect(verifyDigestSignature(signed, signed.signature, key.publicKeyPem)).toBe(true);
    expect(verifyDigestSignature({ ...signed, size: 4 }, signed.signature, key.publicKeyPem)).toBe(false);
    expect(signedDigest(projection, key.privateKey, new Date('2025-07-01T12:00:00Z'))).toEqual(signed);
  });
});
