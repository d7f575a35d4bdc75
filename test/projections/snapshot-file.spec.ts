import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSnapshotFile, writeSnapshotFile } from '../../src/projections';

describe('the snapshot file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-snapshot-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is written whole and read back', async () => {
    const file = join(dir, 'read-models.snapshot');
    expect(await readSnapshotFile(file)).toBeUndefined();
    await writeSnapshotFile(file, Buffer.from('first'));
    await writeSnapshotFile(file, Buffer.from('second'));
    expect((await readSnapshotFile(file))!.toString()).toBe('second');
    expect(readdirSync(dir)).toEqual(['read-models.snapshot']);
  });

  it('removes the temporary file a killed writer left behind, and nothing else', async () => {
    const file = join(dir, 'read-models.snapshot');
    const stale = join(dir, '.read-models.snapshot.99999.1764000000000.tmp');
    const other = join(dir, 'ledger.db');
    writeFileSync(stale, 'torn');
    writeFileSync(other, 'not ours to remove');
    await writeSnapshotFile(file, Buffer.from('whole'));
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(other)).toBe(true);
    expect((await readSnapshotFile(file))!.toString()).toBe('whole');
  });
});
