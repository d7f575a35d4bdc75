import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CliIo } from '../io';
import { UsageError } from '../exit-codes';
import { loadReadModels } from '../read-models';
import { buildReport, periodReports, render, type Period, type ReportFormat, type ReportKind } from '../reports';
import { locateStore, openExistingInstallation, refuseInstallationFile, usingInstallation, type StoreOptions } from '../store-access';

export interface ReportOptions extends StoreOptions {
  asOf?: string;
  knownAt?: string;
  from?: string;
  to?: string;
  format?: ReportFormat;
  out?: string;
  withPersonalData?: boolean;
}

/** `ledger report <kind>`: read models from the store (never written), the report built, rendered, written. */
export async function reportCommand(kind: ReportKind, options: ReportOptions, io: CliIo): Promise<void> {
  const period = periodOf(kind, options);
  const format = formatOf(options);
  const location = locateStore(options, io.env);
  if (options.out !== undefined) refuseInstallationFile(options.out, location, '--out');
  const installation = await openExistingInstallation(location);
  const text = await usingInstallation(installation, async ({ store, protector }) => {
    const { models } = await loadReadModels(store, location.snapshotPath);
    const document = buildReport(kind, {
      models,
      ...(options.asOf !== undefined && { asOf: options.asOf }),
      ...(options.knownAt !== undefined && { knownAt: options.knownAt }),
      ...(period && { period }),
      withPersonalData: options.withPersonalData === true,
      // the read models hold personal data encrypted only: it is decrypted here, for this report alone
      ...(options.withPersonalData === true && { reveal: (holder, fields) => protector.reveal(holder, fields) }),
      now: io.now(),
    });
    return render(document, format);
  });
  if (options.out === undefined) {
    io.stdout.write(text);
    return;
  }
  const file = path.resolve(options.out);
  try {
    await writeFile(file, text, { mode: options.withPersonalData ? 0o600 : 0o644 });
    // personal data: readable by the owner only, also when the file was there before
    if (options.withPersonalData) await chmod(file, 0o600);
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${(error as Error).message}`);
  }
  io.stdout.write(`wrote the ${kind} report (${format}) to ${file}\n`);
}

function periodOf(kind: ReportKind, options: ReportOptions): Period | undefined {
  if (options.from === undefined && options.to === undefined) return undefined;
  if (!periodReports.includes(kind)) {
    throw new UsageError(`--from/--to apply to the period reports (${periodReports.join(', ')}); the ${kind} report takes --as-of`);
  }
  if (options.from !== undefined && options.to !== undefined && options.from > options.to) {
    throw new UsageError(`--from ${options.from} is after --to ${options.to}`);
  }
  return { ...(options.from !== undefined && { from: options.from }), ...(options.to !== undefined && { to: options.to }) };
}

const EXTENSIONS: Record<string, ReportFormat> = { '.md': 'md', '.markdown': 'md', '.csv': 'csv', '.html': 'html', '.htm': 'html', '.json': 'json' };

/** --format, else what --out's extension says, else Markdown. */
function formatOf(options: ReportOptions): ReportFormat {
  if (options.format !== undefined) return options.format;
  const byExtension = options.out === undefined ? undefined : EXTENSIONS[path.extname(options.out).toLowerCase()];
  return byExtension ?? 'md';
}
