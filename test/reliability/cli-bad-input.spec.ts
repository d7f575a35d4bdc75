import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { runCli } from '../../src/cli/main';
import type { CliIo, OutputStream } from '../../src/cli/io';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store';
import { nastyString } from './support/arbitraries';
import { param, report, SEED, Tally } from './support/figures';
import { showsInside } from './support/http';
import { tempDirectory } from './support/servers';

/**
 * Hostile arguments to every `ledger` command, with fast-check: in this process through runCli (what bin/ledger.js
 * calls), and a few through the real bin/ledger.js. A refusal is exit 2 (bad input), 3 (the store cannot be
 * reached) or 1 (a check failed, for `verify` only), with one line on stderr and no stack trace; nothing is ever
 * appended to the ledger, and nothing is written outside the test's directory.
 */
const RUNS = param('RELIABILITY_CLI_RUNS', 80, 800);
const SPAWNED = param('RELIABILITY_CLI_SPAWNED', 3, 20);

jest.setTimeout(60_000 + RUNS * 500 + SPAWNED * 20_000);

class Captured implements OutputStream {
  text = '';
  isTTY = false;
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

let tmp: ReturnType<typeof tempDirectory>;
/** paths the generator may name: all inside the test's directory */
let paths: Record<'ledger' | 'missing' | 'directory' | 'garbage' | 'nested' | 'out' | 'export' | 'key', string>;
let headBefore: bigint;
const codes = new Tally();
const commands = new Tally();
let servesStarted = 0;

const io = (stdout: Captured, stderr: Captured): CliIo => ({
  stdout,
  stderr,
  env: { LEDGER_DB: paths.ledger, LOG_LEVEL: 'silent' },
  now: () => new Date('2026-01-15T09:00:00+01:00'),
  untilStopped: async () => undefined,
  // `serve` parses its options and would start the real server: here it only records that it got that far
  startServer: async () => {
    servesStarted += 1;
    return { url: 'http://127.0.0.1:0', close: async () => undefined };
  },
});

async function ledger(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Captured();
  const stderr = new Captured();
  const code = await runCli(argv, io(stdout, stderr));
  return { code, stdout: stdout.text, stderr: stderr.text };
}

async function head(): Promise<bigint | null> {
  const store = await openEmbeddedStore({ path: paths.ledger });
  try {
    return await store.headPosition();
  } finally {
    await store.close();
  }
}

/** relative paths (and the default ./data/ledger.db) resolve inside the test's directory, never in the checkout */
let cwd: string;

beforeAll(async () => {
  tmp = tempDirectory('ledger-reliability-cli-');
  cwd = process.cwd();
  process.chdir(tmp.dir);
  paths = {
    ledger: tmp.ledgerDb,
    missing: join(tmp.dir, 'missing', 'ledger.db'),
    directory: join(tmp.dir, 'a-directory'),
    garbage: join(tmp.dir, 'garbage.txt'),
    nested: join(tmp.dir, 'no-such-directory', 'out.txt'),
    out: join(tmp.dir, 'out', 'report.txt'),
    export: join(tmp.dir, 'ledger.export.jsonl'),
    key: join(tmp.dir, 'ledger.public.pem'),
  };
  mkdirSync(paths.directory);
  mkdirSync(join(tmp.dir, 'out'));
  writeFileSync(paths.garbage, 'not a ledger, not an export, not a key\n\u0000\u00ff');
  expect((await ledger(['seed'])).code).toBe(0);
  expect((await ledger(['export', '--out', paths.export, '--public-key-out', paths.key])).code).toBe(0);
  headBefore = (await head())!;
  expect(headBefore).toBeGreaterThan(0n);
});

afterAll(() => {
  if (cwd) process.chdir(cwd);
  tmp?.remove();
});

/** An argument list: subcommands, options and values of every kind, well-formed or not, in any order. */
function argvArbitrary(): fc.Arbitrary<string[]> {
  const p = () => paths;
  const command = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('serve', 'seed', 'replay', 'report', 'export', 'verify') },
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom('help', 'reports', 'SEED', 'verify2', '-', '--', ''), nastyString(1, 12)) },
  );
  const report = fc.constantFrom('board', 'partners', 'groups', 'decisions', 'statements', 'activity', 'Board', 'agenda', '');
  const date = fc.oneof(fc.constantFrom('2025-09-12', '2025-02-30', '2025-13-01', '12.09.2025', '2025-9-12', '', '0000-00-00', '+002025-09-12'), nastyString(0, 12));
  const instant = fc.constantFrom('2025-10-01T12:00:00+02:00', '2025-10-01T12:00:00Z', '2025-10-01T12:00:00', '2025-02-30T12:00:00Z', 'now', '');
  const path = fc.constantFrom(p().ledger, `${p().ledger}-wal`, p().missing, p().directory, p().garbage, p().nested, p().out, '');
  const exportFile = fc.constantFrom(p().export, p().garbage, p().missing, p().directory);
  const keyFile = fc.constantFrom(p().key, p().garbage, p().missing, p().export);
  const url = fc.constantFrom('esdb://127.0.0.1:1?tls=false', 'esdb://', 'http://127.0.0.1:1', 'not a url', 'esdb://127.0.0.1:1?tls=maybe', '');
  const port = fc.constantFrom('0', '65536', '-1', 'abc', '3.5', '');
  const option = fc.oneof(
    fc.tuple(fc.constant('--db'), path),
    fc.tuple(fc.constant('--eventstore-url'), url),
    fc.tuple(fc.constant('--port'), port),
    fc.tuple(fc.constant('--as-of'), date),
    fc.tuple(fc.constant('--known-at'), instant),
    fc.tuple(fc.constant('--from'), date),
    fc.tuple(fc.constant('--to'), date),
    fc.tuple(fc.constant('--format'), fc.constantFrom('md', 'csv', 'html', 'json', 'xml', 'PDF', '')),
    fc.tuple(fc.constant('--out'), path),
    fc.tuple(fc.constant('--public-key-out'), path),
    fc.tuple(fc.constant('--export'), exportFile),
    fc.tuple(fc.constant('--public-key'), keyFile),
    fc.constantFrom(['--with-personal-data'], ['--write-snapshot'], ['--help'], ['--version'], ['-x'], ['--unknown'], ['--db'], ['--as-of'], ['--out=']),
    nastyString(1, 16).map((s) => [s]),
  );
  return fc
    .tuple(command, fc.option(report, { nil: undefined }), fc.array(option, { maxLength: 4 }), fc.boolean())
    .map(([cmd, kind, options, kindFirst]) => {
      const rest = options.flat();
      const head = cmd === 'report' && kind !== undefined ? [cmd, kind] : [cmd];
      return kindFirst ? [...head, ...rest] : [...rest, ...head];
    })
    // the bare --debug asks for a stack trace; hostile input must not get one any other way
    .filter((argv) => !argv.includes('--debug'));
}

/** What every run must satisfy. */
function checkRun(argv: readonly string[], run: { code: number; stdout: string; stderr: string }): void {
  const named = (...words: string[]) => words.some((w) => argv.includes(w));
  const context = { argv, code: run.code, stderr: run.stderr };
  expect({ ...context, known: [0, 1, 2, 3].includes(run.code) }).toEqual({ ...context, known: true });
  expect({ ...context, inside: showsInside(run.stderr) || showsInside(run.stdout) }).toEqual({ ...context, inside: false });
  expect({ ...context, unexpected: /unexpected error/.test(run.stderr) }).toEqual({ ...context, unexpected: false });
  if (run.code === 0) return;
  // exit 1 is a failed check of `verify` or an unreadable ledger file; 3 only where a store had to be reached
  if (run.code === 1) expect({ ...context, check: named('verify') || /file is not a database|cannot be read|corrupt/i.test(run.stderr) }).toEqual({ ...context, check: true });
  if (run.code === 3) expect({ ...context, store: named('--eventstore-url') }).toEqual({ ...context, store: true });
  // one line that says what is wrong; the usage text when no command was given
  const lines = run.stderr.trimEnd().split('\n');
  const usage = run.stderr.startsWith('Usage: ledger');
  expect({ ...context, oneLine: usage || (lines.length === 1 && lines[0]!.startsWith('ledger: ')) }).toEqual({ ...context, oneLine: true });
}

describe('bad input to the ledger command', () => {
  it(`${RUNS} hostile argument lists in-process: a clear refusal, never a crash, nothing appended`, async () => {
    await fc.assert(
      fc.asyncProperty(argvArbitrary(), async (argv) => {
        const run = await ledger(argv);
        codes.add(run.code);
        commands.add(argv.find((a) => ['serve', 'seed', 'replay', 'report', 'export', 'verify'].includes(a)) ?? 'none');
        checkRun(argv, run);
        expect({ argv, head: await head() }).toEqual({ argv, head: headBefore });
        // a ledger made where none was (`seed --db <missing>` is a valid command) is removed for the next run
        if (existsSync(paths.missing)) {
          expect({ argv, code: run.code }).toEqual({ argv, code: 0 });
          rmSync(join(tmp.dir, 'missing'), { recursive: true, force: true });
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });

  it("an output file that is one of the ledger's own files is refused, and the ledger stays whole", async () => {
    const own = [paths.ledger, `${paths.ledger}-wal`, join(tmp.dir, 'signing-key.pem'), join(tmp.dir, '..', tmp.dir.split('/').pop()!, 'ledger.db')];
    for (const file of own) {
      for (const argv of [
        ['report', 'board', '--out', file],
        ['export', '--out', file],
        ['export', '--out', paths.out, '--public-key-out', file],
      ]) {
        const run = await ledger(argv);
        checkRun(argv, run);
        expect({ argv, code: run.code, stderr: run.stderr }).toEqual({ argv, code: 2, stderr: expect.stringMatching(/is a file of the ledger/) });
        expect({ argv, head: await head() }).toEqual({ argv, head: headBefore });
      }
    }
    expect((await ledger(['verify'])).code).toBe(0);
  });

  it(`${SPAWNED} hostile argument lists through the real bin/ledger.js: the same, as process exit codes`, async () => {
    const spawnedCodes = new Tally();
    // a process argument cannot carry a NUL character (the operating system ends the string there; spawn refuses it)
    const spawnable = argvArbitrary().filter((argv) => !argv.includes('serve') && !argv.some((a) => a.includes('\u0000')));
    const samples = fc.sample(spawnable, { numRuns: SPAWNED, seed: SEED });
    for (const argv of samples) {
      const run = await spawnLedger(argv);
      spawnedCodes.add(run.code);
      checkRun(argv, run);
      expect({ argv, head: await head() }).toEqual({ argv, head: headBefore });
      rmSync(join(tmp.dir, 'missing'), { recursive: true, force: true });
    }
    report('bad input: CLI', {
      inProcessRuns: RUNS,
      inProcessExitCodes: codes.counts,
      byCommand: commands.counts,
      serveReachedStart: servesStarted,
      spawnedRuns: SPAWNED,
      spawnedExitCodes: spawnedCodes.counts,
      crashes: 0,
      eventsAppended: 0,
    });
  });
});

function spawnLedger(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, '..', '..', 'bin', 'ledger.js'), ...argv], {
      cwd: tmp.dir,
      env: { PATH: process.env.PATH ?? '', HOME: tmp.dir, NODE_ENV: 'test', LEDGER_DB: paths.ledger, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr });
    });
  });
}
