import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reportKinds } from '../../src/cli/reports';
import { officeAutumn, runLedger, suiteDir, TestClock } from './cli-fixture';

/**
 * Every report in every form against a golden file, on the seeded ledger with the office's autumn after it (fixed
 * ids from idempotency keys, fixed recordedAt from the test clock, fixed creation time). UPDATE_GOLDEN=1 rewrites
 * the files; review the diff before committing it.
 */
const GOLDEN = join(__dirname, 'golden');
const formats = ['md', 'csv', 'html', 'json'] as const;
const created = new TestClock('2026-01-15T09:00:00+01:00');

describe('reports on the seeded ledger (golden files)', () => {
  const t = suiteDir('ledger-golden-');
  beforeAll(async () => {
    await officeAutumn(t.path);
  });

  for (const kind of reportKinds) {
    for (const format of formats) {
      it(`${kind} as ${format}`, async () => {
        const period = kind === 'activity' ? ['--from', '2025-01-01', '--to', '2025-12-31'] : ['--as-of', '2025-12-31'];
        const run = await runLedger(['report', kind, '--db', t.path, ...period, '--format', format], { clock: created });
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        const file = join(GOLDEN, `${kind}.${format}`);
        if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, run.stdout);
        if (!existsSync(file)) throw new Error(`no golden file ${file}: run with UPDATE_GOLDEN=1 and review it`);
        expect(run.stdout).toBe(readFileSync(file, 'utf8'));
      });
    }
  }
});
