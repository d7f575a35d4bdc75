import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { suiteDir } from './cli-fixture';

/**
 * The real `ledger` command (bin/ledger.js) as a child process: exit codes, one line on stderr, no stack trace.
 * Every child is waited for (and killed if it overstays), and the temp directory is removed.
 */
const BIN = join(__dirname, '..', '..', 'bin', 'ledger.js');
const children = new Set<ChildProcess>();

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function ledger(args: string[], env: Record<string, string> = {}, timeoutMs = 20_000): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

describe('bin/ledger.js', () => {
  const t = suiteDir('ledger-bin-');
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
  });

  it('seeds (a second run appends nothing), reports, verifies', async () => {
    const env = { LEDGER_DB: t.path };
    const first = await ledger(['seed'], env);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain('21 of 21 commands appended events');
    const second = await ledger(['seed'], env);
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout).toContain('nothing appended');

    const report = await ledger(['report', 'board', '--as-of', '2025-09-12', '--format', 'csv'], env);
    expect(report).toMatchObject({ code: 0, stderr: '' });
    expect(report.stdout.split('\r\n')).toHaveLength(11); // heading, 9 members, the final line break

    const verify = await ledger(['verify'], env);
    expect(verify).toMatchObject({ code: 0, stderr: '' });
    expect(verify.stdout).toMatch(/^ok: 21 events/);
  });

  it('exit 2 with one clear line for bad input, and appends nothing', async () => {
    const env = { LEDGER_DB: t.path };
    const cases: [string[], RegExp][] = [
      [['report', 'board', '--as-of', '2025-13-01'], /^ledger: option '--as-of <date>' argument '2025-13-01' is invalid\. 2025-13-01 is not a calendar date/],
      [['report', 'agenda'], /^ledger: command-argument value 'agenda' is invalid for argument 'report'/],
      [['report', 'board', '--db', join(t.dir, 'missing.db')], /^ledger: no ledger at .*missing\.db/],
    ];
    for (const [args, message] of cases) {
      const run = await ledger(args, env);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
    }
    expect(existsSync(join(t.dir, 'missing.db'))).toBe(false);
    const verify = await ledger(['verify'], env);
    expect(verify.stdout).toMatch(/^ok: 21 events/);
  });

  it('exit 3 within a few seconds when EventStoreDB cannot be reached', async () => {
    const env = { LEDGER_DB: t.path, EVENTSTORE_URL: 'esdb://127.0.0.1:1?tls=false' };
    for (const args of [['report', 'board'], ['seed'], ['verify']]) {
      const run = await ledger(args, env);
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/^ledger: the event store cannot be reached: /);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.ms).toBeLessThan(10_000);
    }
  });

  it('serves the API (what npm start runs) until SIGINT, then exits 0', async () => {
    const dir = join(t.dir, 'served');
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'silent', LEDGER_DB: join(dir, 'ledger.db') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line in 20 s: ${stdout} ${stderr}`)), 20_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const m = /listening on (http:\/\/localhost:\d+)/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    const status = await new Promise<number | undefined>((resolve, reject) => {
      get(`${url}/health/live`, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on('error', reject);
    });
    expect(status).toBe(200);
    child.kill('SIGINT');
    expect(await closed).toBe(0);
    children.delete(child);
    expect(stderr).toBe('');
  });

  it('leaves nothing behind in the ledger directory but the ledger and its files', () => {
    const left = readdirSync(t.dir).filter((f) => !/^((ledger|subject-keys)\.db(-wal|-shm)?|served)$/.test(f));
    expect(left).toEqual([]);
  });
});
