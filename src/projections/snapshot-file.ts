import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Writes the snapshot so that a crash leaves either the old file or the new one, never a torn one: write a
 * temporary file beside it, flush it to disk, rename it over the old one, and flush the directory entry.
 */
export async function writeSnapshotFile(file: string, contents: Buffer): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
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
