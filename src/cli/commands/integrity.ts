import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadPublicKeyPem } from '../../integrity/digest-signing';
import { exportLedger } from '../../integrity/export';
import { checkExport, type ExportCheck } from '../../integrity/export-check';
import type { BadEvent } from '../../integrity/ledger-check';
import { loadOrCreateSigningKey } from '../../integrity/signing-keys';
import { verifyLedger } from '../../integrity/verification';
import { CheckFailed, UsageError } from '../exit-codes';
import type { CliIo } from '../io';
import { Progress } from '../progress';
import { locateStore, openExistingInstallation, refuseInstallationFile, usingInstallation, type StoreOptions } from '../store-access';

export interface ExportOptions extends StoreOptions {
  out: string;
  publicKeyOut?: string;
}

/** `ledger export --out FILE`: the whole log and its signed digest as one JSON Lines file (docs/EXPORT-FORMAT.md). */
export async function exportCommand(options: ExportOptions, io: CliIo): Promise<void> {
  const location = locateStore(options, io.env);
  const out = path.resolve(options.out);
  refuseInstallationFile(out, location, '--out');
  if (options.publicKeyOut !== undefined) refuseInstallationFile(options.publicKeyOut, location, '--public-key-out');
  const installation = await openExistingInstallation(location);
  const key = loadOrCreateSigningKey({ directory: location.directory, env: io.env });
  const result = await usingInstallation(installation, async ({ store }) => {
    try {
      return await exportLedger(store, key, out, { now: io.now });
    } catch (error) {
      if (isFileSystemError(error)) throw new UsageError(`cannot write ${out}: ${(error as Error).message}`);
      throw error;
    }
  });
  const lines = [`exported ${result.events} events to ${out}`, `digest: size ${result.digest.size}, root ${result.digest.rootHash}, signed at ${result.digest.signedAt}`];
  if (options.publicKeyOut !== undefined) {
    const file = path.resolve(options.publicKeyOut);
    await writeFile(file, key.publicKeyPem).catch((error: Error) => {
      throw new UsageError(`cannot write ${file}: ${error.message}`);
    });
    lines.push(`public key written to ${file}`);
  }
  io.stdout.write(`${lines.join('\n')}\n`);
}

export interface VerifyOptions extends StoreOptions {
  export?: string;
  publicKey?: string;
}

/**
 * `ledger verify`: every hash chain and the Merkle root of the store recomputed; or, with --export and
 * --public-key, an export file checked with nothing but itself and the key (the store is not opened).
 * A failed check is exit code 1.
 */
export async function verifyCommand(options: VerifyOptions, io: CliIo): Promise<void> {
  if ((options.export === undefined) !== (options.publicKey === undefined)) {
    throw new UsageError('--export and --public-key go together: the export is checked against the key you trust');
  }
  if (options.export !== undefined && options.publicKey !== undefined) {
    await verifyExport(options.export, options.publicKey, io);
    return;
  }
  const location = locateStore(options, io.env);
  const installation = await openExistingInstallation(location);
  const progress = new Progress(io.stderr);
  const started = Date.now();
  const seconds = () => (Date.now() - started) / 1000;
  const result = await usingInstallation(installation, ({ store }) =>
    verifyLedger(store, { onProgress: (events) => progress.update({ events, seconds: seconds(), fraction: null }), progressEvery: 100_000 }),
  );
  if (progress.started) progress.finish({ events: result.checkedEvents, seconds: seconds(), fraction: 1 });
  if (!result.ok) {
    throw new CheckFailed(`verification failed after ${result.checkedEvents} events: ${result.firstBad ? badEvent(result.firstBad) : 'the ledger does not verify'}`);
  }
  io.stdout.write(`ok: ${result.checkedEvents} events, every hash chain intact; ledger digest size ${result.size}, root ${result.rootHash}\n`);
}

async function verifyExport(file: string, keyFile: string, io: CliIo): Promise<void> {
  const exportPath = path.resolve(file);
  const keyPath = path.resolve(keyFile);
  const pem = await readFile(keyPath, 'utf8').catch((error: Error) => {
    throw new UsageError(`cannot read the public key ${keyPath}: ${error.message}`);
  });
  try {
    loadPublicKeyPem(pem);
  } catch (error) {
    throw new UsageError(`${keyPath} is not the ledger's public key: ${(error as Error).message}`);
  }
  let result: ExportCheck;
  try {
    result = await checkExport(exportPath, pem);
  } catch (error) {
    if (isFileSystemError(error)) throw new UsageError(`cannot read the export ${exportPath}: ${(error as Error).message}`);
    throw error;
  }
  if (!result.ok) {
    const where = result.firstBad ? `: ${badEvent(result.firstBad)}` : '';
    throw new CheckFailed(`the export ${exportPath} does not verify (${result.reason ?? 'unknown'})${where}`);
  }
  const digest = result.digest;
  io.stdout.write(
    `ok: the export holds ${result.checkedEvents} events, every hash chain intact, signed by the given key` +
      (digest ? `; digest size ${digest.size}, root ${digest.rootHash}, signed at ${digest.signedAt}` : '') +
      '\n',
  );
}

function badEvent(bad: BadEvent): string {
  return `${bad.reason} at position ${bad.position || '?'} (stream ${bad.stream || '?'}, revision ${bad.revision}, event ${bad.eventId || '?'})`;
}

/** Node's own errors for a path (ENOENT, EACCES …); checked by shape, as they may come from another realm. */
function isFileSystemError(error: unknown): boolean {
  const e = error as Partial<NodeJS.ErrnoException> | null | undefined;
  return typeof e?.code === 'string' && /^E[A-Z]+$/.test(e.code) && typeof e.syscall === 'string';
}
