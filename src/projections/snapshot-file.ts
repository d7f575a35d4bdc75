import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Writes the snapshot so that a crash leaves either the old file or the new one, never a torn one: write a
 * temporary file beside it, flush it to disk, rename it over the old one, and flush the directory entry.
 */
export async function writeSnapshotFile(file: string, contents: Buffer): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  await removeStaleTemporaries(dir, path.basename(file));
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const handle = await fs.open(temp, 'w', 0o600);
  try {
    await handle.writeFile(contents);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

/**
 * A process killed while writing leaves its temporary file behind; it is never read. Only one process writes a
 * snapshot at a time (the server, or `ledger replay --write-snapshot` with the server stopped), so any temporary file
 * of another process is stale.
 */
async function removeStaleTemporaries(dir: string, base: string): Promise<void> {
  const ours = `.${base}.${process.pid}.`;
  for (const name of await fs.readdir(dir)) {
    if (name.startsWith(`.${base}.`) && name.endsWith('.tmp') && !name.startsWith(ours)) await fs.rm(path.join(dir, name), { force: true });
  }
}

/** The snapshot's bytes, or undefined when there is none yet. */
export async function readSnapshotFile(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // some platforms (Windows) cannot open or fsync a directory; the rename itself is still atomic there
  } finally {
    await handle?.close();
  }
}
