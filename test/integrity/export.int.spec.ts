import { createHash, sign } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { verifyDigestSignature, exportPublicKeyPem, generateSigningKeyPair, signDigest } from '../../src/integrity/digest-signing';
import { LedgerDigestProjection } from '../../src/integrity/digest-projection';
import { checkExport } from '../../src/integrity/export-check';
import { exportLedger, exportSignatureBytes, type ExportTrailer } from '../../src/integrity/export';
import { MerkleTree } from '../../src/integrity/merkle-tree';
import { toEventJson } from '../../src/ledger/envelope';
import { eventHash } from '../../src/ledger/hash-chain';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store';
import type { StoredEvent } from '../../src/store/port';
import { prng } from '../support/prng';
import { readLog, storedLedger } from './ledger-fixture';

const N = 40;
const now = () => new Date('2025-06-30T10:00:00.000Z');

describe('export and offline check', () => {
  let ledger: Awaited<ReturnType<typeof storedLedger>>;
  let log: StoredEvent[];
  const key = generateSigningKeyPair();
  const publicKeyPem = exportPublicKeyPem(key.publicKey);
  let file: string;
  let text: string;

  beforeAll(async () => {
    ledger = await storedLedger(N, 4, 77);
    log = await readLog(ledger.store);
    file = join(ledger.directory, 'export.jsonl');
    await exportLedger(ledger.store, key.privateKey, file, { now });
    text = readFileSync(file, 'utf8');
  });
  afterAll(() => ledger.cleanup());

  it('writes every event as /v1/events shows it, then the signed digest of exactly those events', async () => {
    const lines = text.split('\n');
    expect(lines).toHaveLength(N + 2);
    expect(lines.pop()).toBe('');
    const trailer = JSON.parse(lines.pop() as string) as ExportTrailer;
    expect(lines.map((line) => JSON.parse(line))).toEqual(log.map(toEventJson));
    expect(lines[0]).toBe(JSON.stringify(toEventJson(log[0]!)));

    const projection = new LedgerDigestProjection();
    for (const event of log) projection.apply(event);
    expect(trailer.digest).toMatchObject({ ...projection.digest(), signedAt: '2025-06-30T10:00:00.000Z' });
    expect(verifyDigestSignature(trailer.digest, trailer.digest.signature, publicKeyPem)).toBe(true);
    expect(trailer.publicKey).toBe(publicKeyPem);
  });

  it('passes the check, from the file and from its text, and writes the same bytes to a stream', async () => {
    const expected = { ok: true, checkedEvents: N, digest: JSON.parse(text.trimEnd().split('\n').pop() as string).digest };
    expect(await checkExport(file, publicKeyPem)).toEqual(expected);
    expect(await checkExport({ text }, publicKeyPem)).toEqual(expected);
    expect(await checkExport({ text: Buffer.from(text) }, publicKeyPem)).toEqual(expected);

    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    const result = await exportLedger(ledger.store, { privateKey: key.privateKey, publicKey: key.publicKey, publicKeyPem, source: 'generated' }, out, { now });
    expect(Buffer.concat(chunks).toString('utf8')).toBe(text);
    expect(result).toEqual({ events: N, digest: expected.digest });
  });

  it('fails after any one byte is changed, wherever it is', async () => {
    const bytes = Buffer.from(text, 'utf8');
    const trailerStart = bytes.lastIndexOf(0x0a, bytes.length - 2) + 1;
    const random = prng(99);
    // every byte of the trailer, the first and last bytes, and random bytes among the events
    const positions = new Set<number>([0, bytes.length - 1, trailerStart - 1]);
    for (let i = trailerStart; i < bytes.length; i++) positions.add(i);
    while (positions.size < bytes.length - trailerStart + 600) positions.add(Math.floor(random() * trailerStart));
    const reasons = new Map<string, number>();
    for (const at of positions) {
      const changed = Buffer.from(bytes);
      const replacement = 0x20 + Math.floor(random() * 95);
      changed[at] = replacement === bytes[at] ? 0x0a : replacement;
      const result = await checkExport({ text: changed }, publicKeyPem);
      expect({ at, ok: result.ok }).toEqual({ at, ok: false });
      reasons.set(result.reason as string, (reasons.get(result.reason as string) ?? 0) + 1);
    }
    for (const reason of ['malformed-line', 'bad-event', 'malformed-trailer', 'public-key-differs', 'digest-signature-invalid', 'export-signature-invalid']) {
      expect(reasons.get(reason)).toBeGreaterThan(0);
    }
  });

  it('names the first bad event of an export whose event was changed', async () => {
    const lines = text.split('\n');
    const event = JSON.parse(lines[12] as string) as { data: { name: string } };
    event.data.name += '!';
    lines[12] = JSON.stringify(event);
    const result = await checkExport({ text: lines.join('\n') }, publicKeyPem);
    expect(result).toMatchObject({ ok: false, reason: 'bad-event', firstBad: { position: String(log[12]!.position), eventId: log[12]!.eventId, reason: 'hash-mismatch' } });
  });

  it('fails with another public key, also when the file was re-signed and names that key', async () => {
    const other = generateSigningKeyPair();
    const otherPem = exportPublicKeyPem(other.publicKey);
    expect(await checkExport({ text }, otherPem)).toMatchObject({ ok: false, reason: 'public-key-differs' });

    // a forger changes an event, fixes its hash, the chain after it and the digest, and signs with their own key
    const events = log.map((e) => ({ ...e, metadata: { ...e.metadata } }));
    const victim = events[5] as StoredEvent;
    victim.data = { ...(victim.data as object), name: 'forged' };
    const last = new Map<string, string>();
    for (const e of events) {
      if (last.has(e.stream)) e.metadata.prevHash = last.get(e.stream);
      e.metadata.hash = eventHash(e);
      last.set(e.stream, e.metadata.hash as string);
    }
    const body = events.map((e) => JSON.stringify(toEventJson(e)) + '\n').join('');
    const unsigned = { size: N, rootHash: MerkleTree.fromEventHashes(events.map((e) => e.metadata.hash as string)).root(), signedAt: now().toISOString() };
    const trailer: ExportTrailer = {
      digest: { ...unsigned, signature: signDigest(unsigned, other.privateKey) },
      publicKey: otherPem,
      exportSignature: sign(null, exportSignatureBytes(createHash('sha256').update(body).digest('hex')), other.privateKey).toString('base64'),
    };
    const forged = body + JSON.stringify(trailer) + '\n';
    expect(await checkExport({ text: forged }, otherPem)).toMatchObject({ ok: true });
    expect(await checkExport({ text: forged }, publicKeyPem)).toMatchObject({ ok: false, reason: 'public-key-differs' });
    // writing the trusted key into the forged file does not help: the signatures are not by it
    const withTrustedKey = body + JSON.stringify({ ...trailer, publicKey: publicKeyPem }) + '\n';
    expect(await checkExport({ text: withTrustedKey }, publicKeyPem)).toMatchObject({ ok: false, reason: 'digest-signature-invalid' });
  });

  it('refuses a public key that is not an Ed25519 SPKI PEM', async () => {
    await expect(checkExport({ text }, 'not a key')).rejects.toThrow(TypeError);
  });

  it('exports an empty ledger as the trailer alone, which passes', async () => {
    const empty = await openEmbeddedStore({ path: ':memory:' });
    const target = join(ledger.directory, 'empty.jsonl');
    const result = await exportLedger(empty, key.privateKey, target, { now });
    await empty.close();
    expect(result.digest).toMatchObject({ size: 0, rootHash: new MerkleTree().root() });
    expect(readFileSync(target, 'utf8').split('\n')).toHaveLength(2);
    expect(await checkExport(target, publicKeyPem)).toMatchObject({ ok: true, checkedEvents: 0 });
    expect(await checkExport({ text: '' }, publicKeyPem)).toMatchObject({ ok: false, reason: 'malformed-trailer' });
  });

  it('exports a tampered store faithfully, and the check names the tampered event', async () => {
    const original = ledger.raw.prepare('SELECT type FROM events WHERE position = 9').pluck().get() as string;
    ledger.raw.prepare("UPDATE events SET type = 'PartnerExpelled' WHERE position = 9").run();
    try {
      const target = join(ledger.directory, 'tampered.jsonl');
      await exportLedger(ledger.store, key.privateKey, target, { now });
      expect(await checkExport(target, publicKeyPem)).toMatchObject({ ok: false, reason: 'bad-event', firstBad: { position: '9', reason: 'hash-mismatch' } });
    } finally {
      ledger.raw.prepare('UPDATE events SET type = ? WHERE position = 9').run(original);
    }
  });

  it('leaves no file behind when the export fails', async () => {
    const target = join(ledger.directory, 'failed.jsonl');
    writeFileSync(target, 'earlier export');
    ledger.raw.prepare("UPDATE events SET metadata = json_set(metadata, '$.hash', 'x') WHERE position = 3").run();
    try {
      await expect(exportLedger(ledger.store, key.privateKey, target, { now })).rejects.toThrow(/metadata.hash/);
      expect(readFileSync(target, 'utf8')).toBe('earlier export');
      expect(readdirSync(ledger.directory).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    } finally {
      ledger.raw.prepare('UPDATE events SET metadata = ? WHERE position = 3').run(JSON.stringify(log[2]!.metadata));
    }
  });
});
