// the API's zod extension first: server.ts is imported here only for its snapshotPathFor
import '../../src/api/openapi-zod';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { snapshotPathFor } from '../../src/api/server';
import { loadReadModels } from '../../src/cli/read-models';
import { locateStore } from '../../src/cli/store-access';
import type { Config } from '../../src/config';
import { createHandlers } from '../../src/handlers';
import { exportPublicKeyPem, generateSigningKeyPair } from '../../src/integrity/digest-signing';
import { LedgerDigestProjection } from '../../src/integrity/digest-projection';
import { Ledger } from '../../src/ledger/ledger';
import { createReadModels } from '../../src/projections/read-models';
import { rebuild } from '../../src/projections/rebuild';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store';
import { runLedger, seedWithCli, suiteDir, tempDir, TestClock } from './cli-fixture';

async function head(path: string): Promise<bigint | null> {
  const store = await openEmbeddedStore({ path });
  try {
    return await store.headPosition();
  } finally {
    await store.close();
  }
}

describe('ledger seed', () => {
  const t = suiteDir();

  it('records the press release scenario, and appends nothing the second time', async () => {
    const first = await seedWithCli(t.path);
    expect(first.stdout).toMatch(/^recorded the press release of 12\.09\.2025 in .*: 21 of 21 commands appended events/);
    const after = await head(t.path);
    const second = await runLedger(['seed', '--db', t.path]);
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout).toMatch(/already in .*: nothing appended/);
    expect(await head(t.path)).toBe(after);
  });

  it('creates the ledger file where LEDGER_DB points when it is missing', async () => {
    const path = join(t.dir, 'nested', 'ledger.db');
    const run = await runLedger(['seed'], { env: { LEDGER_DB: path } });
    expect(run.code).toBe(0);
    expect(existsSync(path)).toBe(true);
  });
});

describe('bad input', () => {
  const t = suiteDir();
  beforeAll(() => seedWithCli(t.path));

  const cases: [string, string[], RegExp][] = [
    ['an impossible date', ['report', 'board', '--as-of', '2025-02-30'], /--as-of.*2025-02-30 is not a calendar date/],
    ['a malformed date', ['report', 'board', '--as-of', '12.09.2025'], /expected a date YYYY-MM-DD/],
    ['an unknown report', ['report', 'minutes'], /'minutes' is invalid.*board, partners, groups, decisions, statements, activity/],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['a knownAt that is no instant', ['report', 'decisions', '--known-at', 'yesterday'], /--known-at.*expected an instant/],
    ['a period on a state report', ['report', 'board', '--from', '2025-01-01'], /--from\/--to apply to the period reports/],
    ['a period that ends before it starts', ['report', 'activity', '--from', '2025-12-31', '--to', '2025-01-01'], /--from 2025-12-31 is after --to 2025-01-01/],
    ['an unknown format', ['report', 'board', '--format', 'pdf'], /'pdf' is invalid/],
    ['an export file without a key', ['verify', '--export', 'x.jsonl'], /--export and --public-key go together/],
    ['an output file in a missing directory', ['report', 'board', '--out', '/nonexistent-dir/board.md'], /cannot write \/nonexistent-dir\/board\.md/],
  ];
  for (const [what, argv, message] of cases) {
    it(`${what}: exit 2, one line on stderr, nothing appended`, async () => {
      const before = await head(t.path);
      const run = await runLedger([...argv, '--db', t.path]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/^ledger: /);
      expect(await head(t.path)).toBe(before);
    });
  }

  it('a missing database file: exit 2, "no ledger at <path>", and no file created', async () => {
    const missing = join(t.dir, 'not-here', 'ledger.db');
    for (const argv of [['report', 'board'], ['replay'], ['verify'], ['export', '--out', join(t.dir, 'x.jsonl')]]) {
      const run = await runLedger([...argv, '--db', missing]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`ledger: no ledger at ${missing} (set LEDGER_DB or --db; \`ledger seed\` or \`ledger serve\` creates one)\n`);
      expect(existsSync(join(t.dir, 'not-here'))).toBe(false);
    }
  });

  it('prints the stack with --debug', async () => {
    const run = await runLedger(['report', 'board', '--db', join(t.dir, 'none.db'), '--debug']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^ledger: no ledger at .*\nLedgerMissing: no ledger at .*\n\s+at /);
  });

  it('answers --help with exit 0, for the program and each subcommand', async () => {
    for (const argv of [['--help'], ['report', '--help'], ['seed', '--help'], ['serve', '--help'], ['replay', '--help'], ['export', '--help'], ['verify', '--help'], ['erase', '--help']]) {
      const run = await runLedger(argv);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: ledger/);
      expect(run.stderr).toBe('');
    }
    expect((await runLedger(['report', '--help'])).stdout).toContain('--with-personal-data');
    expect((await runLedger([])).code).toBe(2);
  });
});

describe('ledger report --out', () => {
  const t = suiteDir();
  beforeAll(() => seedWithCli(t.path));

  it('writes the report to the file, in the form its extension names', async () => {
    const out = join(t.dir, 'gremium.html');
    const run = await runLedger(['report', 'board', '--db', t.path, '--out', out]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(`wrote the board report (html) to ${out}\n`);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="de">/);
    expect(html).toContain('<h1>Zusammensetzung des Gremiums</h1>');
    expect(html).not.toMatch(/<script|<link|src=|href=/);
  });
});

describe('read models for reports', () => {
  const t = suiteDir();
  beforeAll(() => seedWithCli(t.path));

  it('reads the server snapshot file the server writes', () => {
    for (const eventStoreUrl of [undefined, 'esdb://localhost:2113?tls=false']) {
      const config = { ledgerDb: t.path, eventStoreUrl } as Config;
      expect(locateStore({ db: t.path, ...(eventStoreUrl && { eventstoreUrl: eventStoreUrl }) }, {}).snapshotPath).toBe(snapshotPathFor(config));
    }
  });

  it('restore the server snapshot (with projections the CLI does not read), catch up, and never write it', async () => {
    const location = locateStore({ db: t.path }, {});
    const store = await openEmbeddedStore({ path: t.path });
    try {
      await rebuild(store, undefined, { models: createReadModels([new LedgerDigestProjection()]), snapshotPath: location.snapshotPath });
      const bytes = readFileSync(location.snapshotPath);
      const mtime = statSync(location.snapshotPath).mtimeMs;
      const clock = new TestClock('2025-10-06T15:00:00+02:00');
      await createHandlers(new Ledger(store, { clock: clock.now })).partners.apply(
        {
          organisation: { name: 'Nachzügler GmbH (Beispiel)', category: 'employer' },
          contact: { name: 'Nora Nach', email: 'nora@example.org' },
          expertise: [],
          channel: 'letter',
          receivedOn: '2025-10-06',
        },
        { actor: { id: 'office-1', role: 'office' } },
      );

      const loaded = await loadReadModels(store, location.snapshotPath);
      expect(loaded).toMatchObject({ fromSnapshot: true, caughtUp: 1 });
      const run = await runLedger(['report', 'partners', '--db', t.path, '--format', 'csv']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Nachzügler GmbH (Beispiel)');
      expect(readFileSync(location.snapshotPath).equals(bytes)).toBe(true);
      expect(statSync(location.snapshotPath).mtimeMs).toBe(mtime);

      // a snapshot of another log is not used
      const other = tempDir();
      const otherStore = await openEmbeddedStore({ path: other.path });
      try {
        await createHandlers(new Ledger(otherStore)).alliance.constitute(
          { name: 'Eine andere Allianz', constitutedOn: '2025-01-01', place: 'Leipzig', officeEmail: 'office@example.org' },
          { actor: { id: 'office-1', role: 'office' } },
        );
        writeFileSync(locateStore({ db: other.path }, {}).snapshotPath, bytes);
        expect(await loadReadModels(otherStore, locateStore({ db: other.path }, {}).snapshotPath)).toMatchObject({ fromSnapshot: false, caughtUp: 1 });
      } finally {
        await otherStore.close();
        other.cleanup();
      }
    } finally {
      await store.close();
    }
  });
});

describe('ledger replay', () => {
  const t = suiteDir();
  beforeAll(() => seedWithCli(t.path));

  it('rebuilds every read model from zero and prints plain progress lines when stderr is not a terminal', async () => {
    const run = await runLedger(['replay', '--db', t.path]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^replayed 21 events in \d+\.\d\d s \(\d+ events\/s\)\nread models at position 21:\n {2}1 partners, 0 groups, 1 meetings, 1 resolutions\n$/);
    expect(run.stderr).toMatch(/^100% {2}21 events {2}\d+ events\/s {2}0s left\n$/);
    expect(run.stderr).not.toContain('\r');
  });

  it('draws a bar on a terminal, and writes the snapshot when asked', async () => {
    const run = await runLedger(['replay', '--db', t.path, '--write-snapshot'], { tty: true });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^\r█+ 100% {2}21 events {2}\d+ events\/s {2}0s left\u001b\[K/);
    expect(run.stderr.endsWith('\n')).toBe(true);
    const snapshot = locateStore({ db: t.path }, {}).snapshotPath;
    expect(run.stdout).toContain(`snapshot written to ${snapshot}`);
    const store = await openEmbeddedStore({ path: t.path });
    try {
      expect(await loadReadModels(store, snapshot)).toMatchObject({ fromSnapshot: true, caughtUp: 0 });
    } finally {
      await store.close();
    }
  });
});

describe('ledger verify and export', () => {
  const t = suiteDir();
  beforeAll(() => seedWithCli(t.path));

  it('verifies the store: exit 0 with the digest', async () => {
    const run = await runLedger(['verify', '--db', t.path]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^ok: 21 events, every hash chain intact; ledger digest size 21, root [0-9a-f]{64}\n$/);
  });

  it('exports, and checks the export against the public key: 0 when intact, 1 when altered or signed by another key', async () => {
    const out = join(t.dir, 'ledger.jsonl');
    const key = join(t.dir, 'public-key.pem');
    const exported = await runLedger(['export', '--db', t.path, '--out', out, '--public-key-out', key]);
    expect(exported).toMatchObject({ code: 0, stderr: '' });
    expect(exported.stdout).toMatch(/^exported 21 events to .*ledger\.jsonl\ndigest: size 21, root [0-9a-f]{64}, signed at 2026-01-15T08:00:00\.000Z\npublic key written to /);
    expect(existsSync(join(t.dir, 'signing-key.pem'))).toBe(true);

    const checked = await runLedger(['verify', '--export', out, '--public-key', key]);
    expect(checked).toMatchObject({ code: 0, stderr: '' });
    expect(checked.stdout).toMatch(/^ok: the export holds 21 events, every hash chain intact, signed by the given key; digest size 21/);

    const otherKey = join(t.dir, 'other-key.pem');
    writeFileSync(otherKey, exportPublicKeyPem(generateSigningKeyPair().publicKey));
    const wrongKey = await runLedger(['verify', '--export', out, '--public-key', otherKey]);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/^ledger: the export .* does not verify \(public-key-differs\)\n$/);

    const altered = join(t.dir, 'altered.jsonl');
    writeFileSync(altered, readFileSync(out, 'utf8').replace('Dresden', 'Leipzig'));
    const tampered = await runLedger(['verify', '--export', altered, '--public-key', key]);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toMatch(/does not verify \(bad-event\): hash-mismatch at position 1 \(stream alliance-main, revision 0/);

    const notAKey = await runLedger(['verify', '--export', out, '--public-key', out]);
    expect(notAKey.code).toBe(2);
    const noExport = await runLedger(['verify', '--export', join(t.dir, 'none.jsonl'), '--public-key', key]);
    expect(noExport.code).toBe(2);
    expect(noExport.stderr).toMatch(/cannot read the export/);
  });

  it('fails with exit 1 naming the first bad event when the store was altered', async () => {
    const db = new Database(t.path);
    try {
      db.prepare("UPDATE events SET data = replace(data, 'Dresden', 'Leipzig') WHERE position = 1").run();
    } finally {
      db.close();
    }
    const run = await runLedger(['verify', '--db', t.path]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^ledger: verification failed after 21 events: hash-mismatch at position 1 \(stream alliance-main, revision 0, event [0-9a-f-]{36}\)\n$/);
  });
});

describe('ledger serve', () => {
  it('starts the API with the configuration from the environment and the options, and closes it when stopped', async () => {
    const calls: string[] = [];
    let config: Config | undefined;
    const run = await runLedger(['serve', '--db', '/tmp/somewhere/ledger.db', '--port', '0'], {
      env: { LEDGER_API_KEYS: 'office:secret-office-key', EVENTSTORE_URL: '' },
      io: {
        startServer: async (c) => {
          config = c;
          calls.push('start');
          return { url: 'http://localhost:1234', close: async () => void calls.push('close') };
        },
        untilStopped: async () => void calls.push('stopped'),
      },
    });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(calls).toEqual(['start', 'stopped', 'close']);
    expect(config).toMatchObject({ ledgerDb: '/tmp/somewhere/ledger.db', port: 0, eventStoreUrl: undefined, apiKeys: [{ role: 'office', key: 'secret-office-key' }] });
  });

  it('refuses a malformed configuration with exit 2', async () => {
    const run = await runLedger(['serve'], { env: { LEDGER_RATE_LIMIT: 'lots' }, io: { startServer: async () => Promise.reject(new Error('not reached')) } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^ledger: LEDGER_RATE_LIMIT must be/);
  });
});
