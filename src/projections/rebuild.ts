import type { EventStore } from '../store/port';
import type { ReadModelSet } from './projection';
import { createReadModels } from './read-models';
import { writeSnapshotFile } from './snapshot-file';

export interface RebuildProgress {
  events: number;
  position: bigint | null;
  seconds: number;
}

export interface RebuildReport {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** the position of the last event applied, or null for an empty log */
  position: bigint | null;
}

export interface RebuildOptions<M extends ReadModelSet> {
  /** the set to rebuild (it is emptied first); default: a new set of every read model */
  models?: M;
  /** write the rebuilt set's snapshot here, so that the next start resumes from it */
  snapshotPath?: string;
  /** call onProgress every this many events (default 10,000), and once at the end */
  progressEvery?: number;
}

/**
 * Rebuilds read models from zero: every event of the log, in order, applied once. What `ledger replay` calls; it
 * reports events per second. The log is read page by page (readAll), so memory holds the read models, not the log.
 */
export async function rebuild<M extends ReadModelSet = ReturnType<typeof createReadModels>>(
  store: EventStore,
  onProgress?: (progress: RebuildProgress) => void,
  options: RebuildOptions<M> = {},
): Promise<RebuildReport & { models: M }> {
  const models = (options.models ?? createReadModels()) as M;
  const every = Math.max(1, options.progressEvery ?? 10_000);
  models.reset();
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  let events = 0;
  for await (const event of store.readAll()) {
    if (!models.apply(event)) continue;
    events += 1;
    if (events % every === 0) onProgress?.({ events, position: models.position, seconds: seconds() });
  }
  const elapsed = seconds();
  if (events % every !== 0 || events === 0) onProgress?.({ events, position: models.position, seconds: elapsed });
  if (options.snapshotPath && models.position !== null) await writeSnapshotFile(options.snapshotPath, models.snapshot());
  return { events, seconds: elapsed, eventsPerSecond: elapsed > 0 ? Math.round(events / elapsed) : events, position: models.position, models };
}
