import { createReadModels } from '../../projections/read-models';
import { rebuild } from '../../projections/rebuild';
import { writeSnapshotFile } from '../../projections/snapshot-file';
import type { EventStore } from '../../store/port';
import type { CliIo } from '../io';
import { Progress, type ProgressOptions } from '../progress';
import { locateStore, openExistingInstallation, usingInstallation, type StoreOptions } from '../store-access';

export interface ReplayOptions extends StoreOptions {
  /** write the rebuilt read models as the snapshot the next `serve` starts from */
  writeSnapshot?: boolean;
}

/**
 * `ledger replay`: every read model rebuilt from zero, every event of the log applied once, with a progress bar
 * (plain lines when stderr is not a terminal). How far it is comes from the positions: the last event's position
 * against the head's, which holds on both stores without counting the log first.
 */
export async function replayCommand(options: ReplayOptions, io: CliIo, progressOptions: ProgressOptions = {}): Promise<void> {
  const location = locateStore(options, io.env);
  const installation = await openExistingInstallation(location);
  await usingInstallation(installation, async ({ store }) => {
    const span = await logSpan(store);
    const progress = new Progress(io.stderr, progressOptions);
    const fraction = (position: bigint | null): number | null => {
      if (!span || position === null) return null;
      const whole = span.head - span.first;
      return whole <= 0n ? 1 : Number(position - span.first) / Number(whole);
    };
    const models = createReadModels();
    const report = await rebuild(store, (p) => progress.update({ events: p.events, seconds: p.seconds, fraction: fraction(p.position) }), {
      models,
      progressEvery: io.stderr.isTTY ? 500 : 5000,
    });
    progress.finish({ events: report.events, seconds: report.seconds, fraction: 1 });
    if (options.writeSnapshot && report.position !== null) await writeSnapshotFile(location.snapshotPath, models.snapshot());
    const summary = [
      `replayed ${report.events} events in ${report.seconds.toFixed(2)} s (${report.eventsPerSecond} events/s)`,
      `read models at position ${report.position === null ? 'none (the log is empty)' : String(report.position)}:`,
      `  ${models.entities.count('partner')} partners, ${models.entities.count('group')} groups, ${models.entities.count('meeting')} meetings, ${models.entities.count('resolution')} resolutions`,
    ];
    if (options.writeSnapshot && report.position !== null) summary.push(`snapshot written to ${location.snapshotPath}`);
    io.stdout.write(`${summary.join('\n')}\n`);
  });
}

/** The first and the last position of the log, or undefined when it is empty. */
async function logSpan(store: EventStore): Promise<{ first: bigint; head: bigint } | undefined> {
  const head = await store.headPosition();
  if (head === null) return undefined;
  for await (const first of store.readAll({ maxCount: 1 })) return { first: first.position, head };
  return undefined;
}
