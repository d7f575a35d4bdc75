import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { startServer, type RunningServer } from '../../../src/api/server';
import { loadConfig } from '../../../src/config';
import { API_KEYS_ENV, get } from './http';

/** A temp directory that the test removes; every file of an installation lives in it. */
export function tempDirectory(prefix: string): { dir: string; ledgerDb: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, ledgerDb: join(dir, 'ledger.db'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Copies an installation's SQLite files (a consistent backup of each, also while a server has them open): the ledger
 * file (unless the log lives in EventStoreDB) and the data subjects' key store, without which personal data cannot be
 * read. Snapshots are left behind on purpose: a server on the copy rebuilds its read models from zero.
 */
export async function copyInstallation(from: string, to: string, files: readonly string[] = ['ledger.db', 'subject-keys.db']): Promise<void> {
  for (const file of files) {
    const source = join(from, file);
    if (!existsSync(source)) continue;
    const db = new Database(source, { fileMustExist: true });
    try {
      await db.backup(join(to, file));
    } finally {
      db.close();
    }
  }
}

export interface InProcessServer extends RunningServer {
  dir: string;
}

/**
 * The real server (startServer: store, ledger, read models with snapshot, every route) in this process, on a free
 * port of 127.0.0.1, quiet. `env` adds to or overrides the defaults (keys of support/http.ts, no rate limit).
 */
export async function startInProcess(dir: string, env: Record<string, string> = {}): Promise<InProcessServer> {
  const config = loadConfig({
    LEDGER_DB: join(dir, 'ledger.db'),
    LEDGER_API_KEYS: API_KEYS_ENV,
    LEDGER_RATE_LIMIT: '0',
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    PORT: '0',
    ...env,
  });
  const server = await startServer(config, { logger: pino({ level: 'silent' }), host: '127.0.0.1', print: () => undefined });
  await waitReady(server.url, 20_000);
  return { ...server, url: server.url.replace('localhost', '127.0.0.1'), dir };
}

/** Waits until /health/ready answers 200 (the read models have caught up). */
export async function waitReady(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const answer = await get(url.replace('localhost', '127.0.0.1'), '/health/ready', { timeoutMs: 2000 });
      if (answer.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} not ready within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const BIN = join(__dirname, '..', '..', '..', 'bin', 'ledger.js');

/**
 * `node bin/ledger.js serve --port 0` as a child process: the real command, killed and restarted by the crash test.
 * Its stdout (pino's JSON lines and the listening line) is kept so the test can read what it logged.
 */
export class ChildServer {
  private child: ChildProcess | undefined;
  private exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
  /** what the current process wrote to stdout and stderr */
  output = '';
  url = '';

  constructor(private readonly env: Record<string, string>) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process and resolves with its URL once it listens (not yet ready). */
  async start(timeoutMs = 30_000): Promise<string> {
    if (this.running) throw new Error('the child server runs already');
    this.output = '';
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not listen within ${timeoutMs} ms: ${this.output.slice(-2000)}`)), timeoutMs);
      const look = () => {
        const m = /listening on http:\/\/localhost:(\d+)/.exec(this.output);
        if (m) {
          clearTimeout(timer);
          child.stdout!.off('data', look);
          resolve(`http://127.0.0.1:${m[1]}`);
        }
      };
      child.stdout!.on('data', look);
      child.once('exit', () => {
        clearTimeout(timer);
        reject(new Error(`the server exited before it listened: ${this.output.slice(-2000)}`));
      });
    });
    return this.url;
  }

  /** Sends a signal and waits for the process to end. */
  async stop(signal: NodeJS.Signals = 'SIGKILL', timeoutMs = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const child = this.child;
    if (!child || !this.exited) return { code: null, signal: null };
    if (this.running) child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const overstayed = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the server did not end within ${timeoutMs} ms of ${signal}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, overstayed]);
    } finally {
      clearTimeout(timer);
      child.stdout?.removeAllListeners();
      child.stderr?.removeAllListeners();
      this.child = undefined;
    }
  }
}
