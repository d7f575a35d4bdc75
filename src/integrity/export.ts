import { createHash, sign, type Hash, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { open, rename, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { canonicalJson } from '../ledger/canonical-json';
import { toEventJson } from '../ledger/envelope';
import { StoreCorrupted } from '../store/errors';
import type { EventStore } from '../store/port';
import { exportPublicKeyPem, signDigest, type SignedLedgerDigest } from './digest-signing';
import { isHexHash } from './merkle-hashing';
import { MerkleFrontier } from './merkle-frontier';
import type { LedgerSigningKey } from './signing-keys';

/**
 * The ledger as one JSON Lines file an auditor can check with nothing but the file and the ledger's public key
 * (docs/EXPORT-FORMAT.md): every event as /v1/events shows it, in log order, then one line with the signed digest of
 * exactly those events, the public key, and a signature over every byte before that line.
 */

export const EXPORT_FORMAT = 'allianz-ledger-export/1';

/** The last line of an export. */
export interface ExportTrailer {
  digest: SignedLedgerDigest;
  /** SPKI PEM of the signing key: which key signed, for the reader; checkExport trusts only the key it is given */
  publicKey: string;
  /** base64 Ed25519 over exportSignatureBytes(SHA-256 of every byte before this line) */
  exportSignature: string;
}

/**
 * What the export signature covers: the UTF-8 bytes of the canonical JSON of {format, sha256}. The digest signature
 * covers the canonical JSON of {rootHash, signedAt, size}; having no field in common, the two messages can never be
 * taken for one another although one key signs both.
 */
export function exportSignatureBytes(eventLinesSha256Hex: string): Buffer {
  return Buffer.from(canonicalJson({ format: EXPORT_FORMAT, sha256: eventLinesSha256Hex }), 'utf8');
}

export interface ExportOptions {
  /** the clock for the digest's signedAt (default: the wall clock) */
  now?: () => Date;
}

export interface ExportResult {
  events: number;
  digest: SignedLedgerDigest;
}

/**
 * Writes the whole log to `out`: a Writable (left open, e.g. stdout) or a file path (written beside under a
 * temporary name and renamed into place once complete and flushed, so a failed export leaves no partial file).
 * The digest covers exactly the events written; appends made meanwhile are in the next export. The root is over
 * the hashes as stored, the ledger digest's definition, so an export never vouches for an altered event:
 * checkExport recomputes every hash. An event without a well-formed metadata.hash stops the export (StoreCorrupted).
 */
export async function exportLedger(
  store: EventStore,
  key: LedgerSigningKey | KeyObject,
  out: Writable | string,
  options: ExportOptions = {},
): Promise<ExportResult> {
  const privateKey = 'privateKey' in key ? key.privateKey : key;
  if (typeof out !== 'string') return writeExport(store, privateKey, streamSink(out), options);
  const temp = `${out}.${process.pid}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    const result = await writeExport(store, privateKey, fileSink(handle), options);
    await handle.sync();
    await handle.close();
    await rename(temp, out);
    return result;
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
}

interface Sink {
  write(chunk: string): Promise<void>;
}

const CHUNK_CHARS = 1 << 16;

async function writeExport(store: EventStore, privateKey: KeyObject, sink: Sink, options: ExportOptions): Promise<ExportResult> {
  const frontier = new MerkleFrontier();
  const linesHash: Hash = createHash('sha256');
  let chunk = '';
  const flush = async () => {
    linesHash.update(chunk, 'utf8');
    await sink.write(chunk);
    chunk = '';
  };
  for await (const event of store.readAll()) {
    const hash = event.metadata.hash;
    if (!isHexHash(hash)) {
      const at = { position: event.position, stream: event.stream, revision: event.revision, eventId: event.eventId };
      throw new StoreCorrupted(`event ${event.stream}@${event.revision} (position ${event.position}) has no well-formed metadata.hash`, { at });
    }
    frontier.appendEventHash(Buffer.from(hash, 'hex'));
    chunk += JSON.stringify(toEventJson(event)) + '\n';
    if (chunk.length >= CHUNK_CHARS) await flush();
  }
  await flush();

  const signedAt = (options.now?.() ?? new Date()).toISOString();
  const unsigned = { size: frontier.size, rootHash: frontier.root(), signedAt };
  const digest: SignedLedgerDigest = { ...unsigned, signature: signDigest(unsigned, privateKey) };
  const exportSignature = sign(null, exportSignatureBytes(linesHash.digest('hex')), privateKey).toString('base64');
  const trailer: ExportTrailer = { digest, publicKey: exportPublicKeyPem(privateKey), exportSignature };
  await sink.write(JSON.stringify(trailer) + '\n');
  return { events: frontier.size, digest };
}

function streamSink(out: Writable): Sink {
  return {
    async write(chunk) {
      if (chunk.length === 0) return;
      if (!out.write(chunk, 'utf8')) await once(out, 'drain');
    },
  };
}

function fileSink(handle: Awaited<ReturnType<typeof open>>): Sink {
  return {
    async write(chunk) {
      if (chunk.length > 0) await handle.write(chunk, null, 'utf8');
    },
  };
}
