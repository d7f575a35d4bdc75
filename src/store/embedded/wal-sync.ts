import { closeSync, fdatasync, fdatasyncSync, fsync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { StoreUnavailable } from '../errors';

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Durability off the event loop for a SQLite file in WAL mode.
 *
 * With synchronous=FULL every commit fsyncs the WAL inside the (synchronous) better-sqlite3 call: the event loop
 * stands still for the whole fsync, and concurrent requests wait behind it. Instead the connection runs with
 * synchronous=NORMAL (a commit writes the WAL but does not fsync it; WAL mode stays consistent, only the last commits
 * could be lost on a power cut) and this fdatasyncs the WAL file on libuv's thread pool: `durable()` resolves once a
 * sync that began after the call has finished, i.e. once every commit made before it is on disk — what FULL gave,
 * while the event loop goes on serving. Commits made while a sync runs share the next one (group commit).
 * Handing the sync to another thread and being woken when it is done costs latency (tens to a hundred microseconds on
 * a loaded machine): a lone commit with nothing else going on is better synced at once (`durableNow()`), see the
 * callers.
 *
 * On Linux an fsync of any descriptor of a file writes all of the file's dirty pages, whoever wrote them. The WAL file
 * exists, with the same inode, as long as this connection is open (SQLite deletes it only when the last connection
 * closes; checkpoints rewrite or truncate it in place). The first sync also syncs the directory, as SQLite does for a
 * WAL it creates. A failed sync poisons this object: after an fsync error the kernel may have dropped the dirty pages,
 * so no later success could be trusted (every later `durable()` fails too).
 */
export class WalSync {
  private fd: number | undefined;
  private closed = false;
  private directorySynced = false;
  private running = false;
  /** commits waiting for the next sync: it begins after they were made */
  private waiting: Waiter[] = [];
  private failure: StoreUnavailable | undefined;
  private idle: Array<() => void> = [];

  private constructor(
    private readonly walPath: string,
    private readonly what: string,
  ) {}

  /**
   * Switches the connection to synchronous=NORMAL and returns the syncer of its WAL; undefined for a database in
   * memory (nothing to sync). Whoever commits must wait for `durable()` before telling anyone the commit happened.
   */
  static for(db: Database.Database, what: string): WalSync | undefined {
    if (db.memory) return undefined;
    db.pragma('synchronous = NORMAL');
    return new WalSync(`${db.name}-wal`, what);
  }

  /** Resolves once everything committed on the file before this call is on disk. */
  durable(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new StoreUnavailable(`${this.what} is closed`));
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.running) this.sync();
    });
  }

  /**
   * Syncs now, on the event loop, as synchronous=FULL would: for a write that must be on disk when its call returns
   * (an erasure), or a lone commit that nothing else waits beside. Throws StoreUnavailable when the sync fails (and,
   * as above, for good).
   */
  durableNow(): void {
    if (this.failure) throw this.failure;
    try {
      fdatasyncSync(this.descriptor());
      if (!this.directorySynced) {
        const dir = openSync(dirname(this.walPath), 'r');
        try {
          fsyncSync(dir);
        } finally {
          closeSync(dir);
        }
        this.directorySynced = true;
      }
    } catch (error) {
      throw this.fail(error);
    }
  }

  /**
   * After a commit: calls `done` once it is on disk (`done(error)` when the sync failed). `atOnce`: synced now on the
   * event loop and `done` called before this returns (for a lone commit with no sync running: nobody committed
   * beside it, so likely nobody waits for the loop either, and no thread hop; or on close); else a shared sync.
   */
  afterCommit(atOnce: boolean, done: (error?: unknown) => void): void {
    if (atOnce) {
      let failure: unknown;
      try {
        this.durableNow();
      } catch (error) {
        failure = error;
      }
      done(failure);
      return;
    }
    this.durable().then(
      () => done(),
      (error: unknown) => done(error),
    );
  }

  /** Whether a sync runs now (on the thread pool). */
  get busy(): boolean {
    return this.running;
  }

  /** Resolves once no sync is running or waiting. */
  settled(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Closes the descriptor once no sync uses it any more; call after the connection is closed. */
  close(): void {
    this.closed = true;
    const fd = this.fd;
    this.fd = undefined;
    if (fd === undefined) return;
    if (this.running) void this.settled().then(() => closeSync(fd));
    else closeSync(fd);
  }

  private descriptor(): number {
    if (this.closed) throw new Error('closed');
    return (this.fd ??= openSync(this.walPath, 'r+'));
  }

  private sync(): void {
    const covered = this.waiting;
    this.waiting = [];
    this.running = true;
    let fd: number;
    try {
      fd = this.descriptor();
    } catch (error) {
      this.done(covered, error);
      return;
    }
    fdatasync(fd, (error) => {
      if (error || this.directorySynced) return this.done(covered, error);
      this.syncDirectory((dirError) => {
        if (!dirError) this.directorySynced = true;
        this.done(covered, dirError);
      });
    });
  }

  private syncDirectory(callback: (error: unknown) => void): void {
    let dir: number;
    try {
      dir = openSync(dirname(this.walPath), 'r');
    } catch (error) {
      callback(error);
      return;
    }
    fsync(dir, (error) => {
      closeSync(dir);
      callback(error);
    });
  }

  private fail(error: unknown): StoreUnavailable {
    this.failure ??= new StoreUnavailable(`${this.what}: cannot sync ${this.walPath} to disk: ${(error as Error).message}`, error);
    return this.failure;
  }

  private done(covered: Waiter[], error: unknown): void {
    this.running = false;
    if (error) this.fail(error);
    for (const waiter of covered) {
      if (this.failure) waiter.reject(this.failure);
      else waiter.resolve();
    }
    if (this.waiting.length > 0) {
      if (this.failure) this.done(this.waiting.splice(0), undefined);
      else this.sync();
      return;
    }
    for (const resolve of this.idle.splice(0)) resolve();
  }
}
