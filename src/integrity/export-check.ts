import { createHash, verify, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { exportPublicKeyPem, loadPublicKeyPem, verifyDigestSignature, type SignedLedgerDigest } from './digest-signing';
import { exportSignatureBytes, type ExportTrailer } from './export';
import { LedgerCheck, type BadEvent, type CheckableEvent } from './ledger-check';

/** Why an export fails the check (the first reason found, in this order). */
export type ExportProblem =
  /** a line is not a complete JSON line of the format (firstBad names the event when it is an event line) */
  | 'malformed-line'
  /** an event's hash, chain, revision, id or position is wrong: firstBad names the first */
  | 'bad-event'
  /** the last line is missing or not {digest, publicKey, exportSignature} exactly as the exporter writes it */
  | 'malformed-trailer'
  /** the file names another public key than the one the check was given */
  | 'public-key-differs'
  | 'digest-signature-invalid'
  /** the digest's size is not the number of events in the file */
  | 'size-mismatch'
  /** the digest's root is not the Merkle root of the events' hashes */
  | 'root-mismatch'
  | 'export-signature-invalid';

export interface ExportCheck {
  ok: boolean;
  /** event lines read */
  checkedEvents: number;
  firstBad?: BadEvent;
  reason?: ExportProblem;
  /** the signed digest from the file, once it passed the checks (an auditor keeps it for later consistency proofs) */
  digest?: SignedLedgerDigest;
}

/** An export given as its contents rather than as a path. */
export interface ExportText {
  text: string | Uint8Array;
}

const MAX_LINE_BYTES = 64 * 1024 * 1024;
const POSITION = /^(0|[1-9][0-9]*)$/;
const EVENT_KEYS = 'position,stream,revision,eventId,type,data,metadata';

/**
 * Checks an export (docs/EXPORT-FORMAT.md) with nothing but its bytes and the public key the auditor trusts:
 * every event's hash and chain recomputed, the Merkle root recomputed and compared with the digest's root and
 * size, the digest's signature and the signature over all event lines verified.
 *
 * Signatures are checked against `publicKeyPem`, never against the key written in the file: whoever could alter
 * the file could re-sign it with a key of their own and write that key in, and a check that trusts the file would
 * pass it. The file's key must be the given one, so an export from another installation (or another key) is told
 * apart from a damaged one.
 *
 * `source`: a path (read as a stream, so exports larger than memory work) or `{ text }`.
 * Throws TypeError when `publicKeyPem` is not an Ed25519 SPKI PEM, and the file system's error for a missing file.
 */
export async function checkExport(source: string | ExportText, publicKeyPem: string): Promise<ExportCheck> {
  const publicKey = loadPublicKeyPem(publicKeyPem);
  const reader = new ExportReader(publicKey);
  if (typeof source === 'string') {
    for await (const chunk of createReadStream(source)) reader.push(chunk as Buffer);
  } else {
    reader.push(typeof source.text === 'string' ? Buffer.from(source.text, 'utf8') : Buffer.from(source.text));
  }
  return reader.finish();
}

class ExportReader {
  private readonly check = new LedgerCheck();
  private readonly linesHash = createHash('sha256');
  private partial: Buffer[] = [];
  private partialBytes = 0;
  /** the last complete line: an event line once another line follows it, the trailer when none does */
  private pending: Buffer | undefined;
  private problem: ExportProblem | undefined;
  private readonly publicKeyPem: string;

  constructor(private readonly publicKey: KeyObject) {
    this.publicKeyPem = exportPublicKeyPem(publicKey);
  }

  push(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      this.partial.push(chunk.subarray(start, nl));
      this.completeLine(Buffer.concat(this.partial));
      this.partial = [];
      this.partialBytes = 0;
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.partialBytes += chunk.length - start;
      // a line this long is no export line; keeping it would only let a hostile file exhaust memory
      if (this.partialBytes > MAX_LINE_BYTES) {
        this.problem ??= 'malformed-line';
        this.partial = [];
        this.partialBytes = 0;
      } else {
        this.partial.push(Buffer.from(chunk.subarray(start)));
      }
    }
  }

  finish(): ExportCheck {
    // the format ends every line with \n: trailing bytes after the last one are not part of any line
    if (this.partialBytes > 0) this.problem ??= 'malformed-line';
    const trailer = this.pending === undefined ? undefined : parseTrailer(this.pending);
    const result: ExportCheck = { ok: false, checkedEvents: this.check.checkedEvents };
    const firstBad = this.check.firstBad;
    if (firstBad) result.firstBad = firstBad;
    result.reason = this.problem ?? (firstBad ? 'bad-event' : this.trailerProblem(trailer));
    if (result.reason === undefined) {
      delete result.reason;
      result.ok = true;
      result.digest = (trailer as ExportTrailer).digest;
    }
    return result;
  }

  private completeLine(line: Buffer): void {
    if (this.pending !== undefined) {
      this.linesHash.update(this.pending);
      this.linesHash.update('\n');
      this.eventLine(this.pending);
    }
    this.pending = line;
  }

  private eventLine(line: Buffer): void {
    const event = parseEventLine(line);
    if (typeof event === 'string') {
      this.problem ??= 'malformed-line';
      this.check.addUnreadable(this.locate(line));
      return;
    }
    this.check.add(event);
  }

  /** Whatever of an unreadable event line can still be read, to name it. */
  private locate(line: Buffer): { position?: bigint; stream?: string; revision?: bigint; eventId?: string } {
    let value: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(line.toString('utf8'));
      if (parsed !== null && typeof parsed === 'object') value = parsed as Record<string, unknown>;
    } catch {
      // nothing to read
    }
    const at: { position?: bigint; stream?: string; revision?: bigint; eventId?: string } = {};
    if (typeof value.position === 'string' && POSITION.test(value.position)) at.position = BigInt(value.position);
    if (typeof value.stream === 'string') at.stream = value.stream;
    if (Number.isSafeInteger(value.revision)) at.revision = BigInt(value.revision as number);
    if (typeof value.eventId === 'string') at.eventId = value.eventId;
    return at;
  }

  private trailerProblem(trailer: ExportTrailer | undefined): ExportProblem | undefined {
    if (trailer === undefined) return 'malformed-trailer';
    if (trailer.publicKey !== this.publicKeyPem) return 'public-key-differs';
    const { digest } = trailer;
    if (!verifyDigestSignature(digest, digest.signature, this.publicKey)) return 'digest-signature-invalid';
    if (digest.size !== this.check.size) return 'size-mismatch';
    if (digest.rootHash !== this.check.rootHash) return 'root-mismatch';
    const signed = exportSignatureBytes(this.linesHash.digest('hex'));
    return verifySignature(signed, trailer.exportSignature, this.publicKey) ? undefined : 'export-signature-invalid';
  }
}

/** Only the canonical base64 of 64 bytes counts, so a signature has one spelling (as for digest signatures). */
function verifySignature(message: Buffer, signatureBase64: string, publicKey: KeyObject): boolean {
  const signature = Buffer.from(signatureBase64, 'base64');
  if (signature.length !== 64 || signature.toString('base64') !== signatureBase64) return false;
  try {
    return verify(null, message, publicKey, signature);
  } catch {
    return false;
  }
}

/** The event of a line, or a string saying why the line is not one. */
function parseEventLine(line: Buffer): CheckableEvent | string {
  let value: unknown;
  try {
    value = JSON.parse(line.toString('utf8'));
  } catch {
    return 'not JSON';
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not an object';
  const e = value as Record<string, unknown>;
  if (Object.keys(e).join(',') !== EVENT_KEYS) return `not the fields ${EVENT_KEYS}`;
  const { position, stream, revision, eventId, type, data, metadata } = e;
  if (typeof position !== 'string' || !POSITION.test(position)) return 'position is not a whole number in a string';
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0) return 'revision is not a whole number';
  if (typeof stream !== 'string' || typeof eventId !== 'string' || typeof type !== 'string') return 'stream, eventId or type not a string';
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) return 'metadata is not an object';
  return { position: BigInt(position), stream, revision: BigInt(revision), eventId, type, data, metadata: metadata as Record<string, unknown> };
}

/** The trailer, when the line is exactly what the exporter writes for one (any other spelling is refused). */
function parseTrailer(line: Buffer): ExportTrailer | undefined {
  const text = line.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const t = value as Partial<ExportTrailer> | null;
  const d = t?.digest as Partial<SignedLedgerDigest> | undefined;
  if (typeof t?.publicKey !== 'string' || typeof t.exportSignature !== 'string' || d === null || typeof d !== 'object') return undefined;
  const { size, rootHash, signedAt, signature } = d;
  if (typeof size !== 'number' || typeof rootHash !== 'string' || typeof signedAt !== 'string' || typeof signature !== 'string') return undefined;
  const trailer: ExportTrailer = {
    digest: { size, rootHash, signedAt, signature },
    publicKey: t.publicKey,
    exportSignature: t.exportSignature,
  };
  return JSON.stringify(trailer) === text ? trailer : undefined;
}
