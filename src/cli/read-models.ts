import { LEDGER_DIGEST_PROJECTION } from '../integrity/digest-projection';
import { createReadModels, type ReadModels } from '../projections/read-models';
import { SnapshotMismatch, type Checkpoint, type Projection } from '../projections/projection';
import { readSnapshotFile } from '../projections/snapshot-file';
import type { EventStore } from '../store/port';

export interface LoadedReadModels {
  models: ReadModels;
  /** whether the server's snapshot was used (else the whole log was replayed) */
  fromSnapshot: boolean;
  /** events applied after the snapshot (or from the start) */
  caughtUp: number;
}

/**
 * Read models for a report: the server's snapshot when there is a usable one, then every later event of the log;
 * else the whole log. Only reads: a report runs beside a live server, which alone writes the snapshot (the
 * ProjectionRunner writes one whenever it catches up, so it is not used here).
 */
export async function loadReadModels(store: EventStore, snapshotPath: string | undefined): Promise<LoadedReadModels> {
  const restored = snapshotPath ? await restoreSnapshot(store, snapshotPath) : undefined;
  const models = restored ?? createReadModels();
  let caughtUp = 0;
  const after = models.position;
  for await (const event of store.readAll(after === null ? {} : { after })) {
    if (models.apply(event)) caughtUp += 1;
  }
  return { models, fromSnapshot: restored !== undefined, caughtUp };
}

/**
 * The server's read-model sets the CLI knows how to restore: the read models alone, or with the integrity module's
 * Merkle tree beside them. A snapshot of any other set is not used (the log is replayed instead).
 */
const SERVER_SETS: readonly (readonly string[])[] = [[], [LEDGER_DIGEST_PROJECTION]];

async function restoreSnapshot(store: EventStore, file: string): Promise<ReadModels | undefined> {
  const buffer = await readSnapshotFile(file).catch(() => undefined);
  if (!buffer) return undefined;
  for (const extra of SERVER_SETS) {
    const models = createReadModels(extra.map(carriedByName));
    try {
      models.restore(buffer);
    } catch (error) {
      if (error instanceof SnapshotMismatch) continue;
      throw error;
    }
    return (await checkpointInLog(store, models.checkpoint)) ? models : undefined;
  }
  return undefined;
}

/**
 * A projection of the server's that the reports do not read: it joins the set only so that the snapshot's parts
 * match. Its state is dropped, and since the CLI never writes the snapshot, never written back either.
 */
function carriedByName(name: string): Projection {
  return { name, apply: () => undefined, snapshot: () => null, restore: () => undefined, reset: () => undefined };
}

/** The snapshot's last event must be in this log at the same place: else it belongs to another store. */
async function checkpointInLog(store: EventStore, checkpoint: Checkpoint | null): Promise<boolean> {
  if (!checkpoint) return true;
  for await (const event of store.readStream(checkpoint.stream, { fromRevision: checkpoint.revision, maxCount: 1 })) {
    return event.eventId === checkpoint.eventId && event.position === checkpoint.position;
  }
  return false;
}
