import { Subject, type Observable, type Subscription as RxSubscription } from 'rxjs';
import type { EventStore, StoredEvent, SubscriptionMessage } from '../store/port';
import { oneAtATime } from './one-at-a-time';
import { SnapshotMismatch, type ReadModelSet } from './projection';
import { readSnapshotFile, writeSnapshotFile } from './snapshot-file';
import { ProjectionTimeout, Waiters } from './waiters';

export { ProjectionTimeout };

export interface RunnerLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface RunnerOptions {
  /** where the read models' snapshot (with their checkpoint) lives; none: every start replays the log */
  snapshotPath?: string;
  /** once caught up, write a snapshot after this many events (default 100,000) … */
  snapshotEvery?: number;
  /**
   * … or when this much time has passed since the last one and events came in (default 5 minutes). While catching
   * up only the time counts: the snapshot written on catching up makes the next start quick anyway.
   */
  snapshotIntervalMs?: number;
  /** first wait before re-subscribing after the store failed; doubles up to 30 s (default 500 ms) */
  retryDelayMs?: number;
  log?: RunnerLog;
}

export interface WaitOptions {
  /** reject with ProjectionTimeout after this long (default: wait for ever) */
  timeoutMs?: number;
}

/** A read model failed to apply an event: the runner stopped, the read models stay at the event before it. */
export class ProjectionFailed extends Error {
  override readonly name = 'ProjectionFailed';
  constructor(
    readonly event: StoredEvent,
    override readonly cause: unknown,
  ) {
    super(`applying ${event.type} at position ${event.position} of ${event.stream} failed: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

const quiet: RunnerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Keeps a read-model set up to date with the log: restores the snapshot, subscribes after its checkpoint, applies
 * one event at a time, and writes the snapshot (with the checkpoint inside) every so often and on stop.
 * `ready` once the subscription has caught up with the head of the log; `waitFor(position)` lets a writer answer
 * only once its event is in the read models.
 */
export class ProjectionRunner {
  private readonly applied = new Subject<StoredEvent>();
  /** every event, once applied to the read models (a live feed reads from here; subscribers must not block) */
  readonly applied$: Observable<StoredEvent> = this.applied.asObservable();
  private rx: RxSubscription | undefined;
  private readonly waiters = new Waiters();
  private readonly readyWaiters = new Waiters();
  private isReady = false;
  private failed: Error | undefined;
  private running = false;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay: number;
  private sinceSnapshot = 0;
  private lastSnapshotAt = Date.now();
  private inFlight: Promise<unknown> = Promise.resolve();
  private readonly log: RunnerLog;

  constructor(
    private readonly store: EventStore,
    readonly models: ReadModelSet,
    private readonly options: RunnerOptions = {},
  ) {
    this.log = options.log ?? quiet;
    this.retryDelay = options.retryDelayMs ?? 500;
  }

  /** the position of the last event applied, or null before the first */
  get position(): bigint | null {
    return this.models.position;
  }

  /** caught up with the head of the log (and not failed) */
  get ready(): boolean {
    return this.isReady && !this.failed;
  }

  /** why the runner stopped, when a read model failed */
  get failure(): Error | undefined {
    return this.failed;
  }

  /** Restores the snapshot when there is a usable one, then subscribes. Resolves once subscribed, not caught up. */
  async start(): Promise<void> {
    if (this.running) return;
    if (this.stopped || this.failed) throw new Error('a projection runner runs once; create a new one');
    this.running = true;
    await this.restore();
    this.connect();
  }

  /** Stops the subscription, lets the event in hand finish, and writes the snapshot. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.rx?.unsubscribe();
    this.rx = undefined;
    await this.inFlight.catch(() => undefined);
    this.isReady = false;
    if (!this.failed && this.sinceSnapshot > 0) await this.saveSnapshot();
    this.rejectAll(new ProjectionTimeout('the projection runner stopped before the wait was over'));
    this.applied.complete();
  }

  /** Resolves once the event at `position` (or a later one) is applied. */
  waitFor(position: bigint, options: WaitOptions = {}): Promise<void> {
    const current = this.models.position;
    if (current !== null && current >= position) return Promise.resolve();
    if (this.failed) return Promise.reject(this.failed);
    return this.waiters.wait(position, options.timeoutMs, `position ${position} not applied`);
  }

  /** Resolves once caught up with the head of the log. */
  whenReady(options: WaitOptions = {}): Promise<void> {
    if (this.ready) return Promise.resolve();
    if (this.failed) return Promise.reject(this.failed);
    return this.readyWaiters.wait(0n, options.timeoutMs, 'not caught up with the log');
  }

  /** Writes the snapshot now, once the event in hand is applied (the read models are serialized at once). */
  async snapshot(): Promise<void> {
    await this.inFlight.catch(() => undefined);
    await this.saveSnapshot();
  }

  private async restore(): Promise<void> {
    const file = this.options.snapshotPath;
    if (!file) return;
    const buffer = await readSnapshotFile(file);
    if (!buffer) return;
    try {
      this.models.restore(buffer);
    } catch (error) {
      if (!(error instanceof SnapshotMismatch)) throw error;
      this.log.warn(`read-model snapshot ${file} not used (${error.message}); rebuilding from the log`);
      return;
    }
    if (!(await this.checkpointInLog())) {
      this.log.warn(`read-model snapshot ${file} does not match this event store; rebuilding from the log`);
      this.models.reset();
      return;
    }
    this.log.info(`read models restored from ${file} at position ${this.models.position}`);
  }

  /** The snapshot's last event must be in the log at the same place: else it was written for another store. */
  private async checkpointInLog(): Promise<boolean> {
    const checkpoint = this.models.checkpoint;
    if (!checkpoint) return true;
    for await (const event of this.store.readStream(checkpoint.stream, { fromRevision: checkpoint.revision, maxCount: 1 })) {
      return event.eventId === checkpoint.eventId && event.position === checkpoint.position;
    }
    return false;
  }

  private connect(): void {
    if (!this.running) return;
    const after = this.models.position;
    let subscription;
    try {
      subscription = this.store.subscribe(after === null ? {} : { after });
    } catch (error) {
      this.retry(error);
      return;
    }
    this.rx = oneAtATime(subscription, (message) => this.track(this.handle(message))).subscribe({
      error: (error: unknown) => (error instanceof ProjectionFailed ? this.fail(error) : this.retry(error)),
      complete: () => this.retry(new Error('the subscription ended')),
    });
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight = work;
    return work;
  }

  private async handle(message: SubscriptionMessage): Promise<void> {
    if (message.kind === 'caught-up') {
      this.retryDelay = this.options.retryDelayMs ?? 500;
      if (this.sinceSnapshot > 0) await this.saveSnapshot();
      this.isReady = true;
      this.readyWaiters.release(0n);
      return;
    }
    const event = message.event;
    let applied: boolean;
    try {
      applied = this.models.apply(event);
    } catch (error) {
      throw new ProjectionFailed(event, error);
    }
    if (!applied) return;
    this.sinceSnapshot += 1;
    this.waiters.release(event.position);
    this.applied.next(event);
    const every = this.options.snapshotEvery ?? 100_000;
    const interval = this.options.snapshotIntervalMs ?? 300_000;
    if ((this.isReady && this.sinceSnapshot >= every) || Date.now() - this.lastSnapshotAt >= interval) await this.saveSnapshot();
  }

  private async saveSnapshot(): Promise<void> {
    const file = this.options.snapshotPath;
    this.lastSnapshotAt = Date.now();
    if (!file || this.models.position === null) return;
    const buffer = this.models.snapshot();
    const count = this.sinceSnapshot;
    try {
      await writeSnapshotFile(file, buffer);
      this.sinceSnapshot -= count;
    } catch (error) {
      // the read models are fine in memory; the next snapshot tries again
      this.log.warn(`cannot write the read-model snapshot ${file}: ${(error as Error).message}`);
    }
  }

  private retry(error: unknown): void {
    this.rx = undefined;
    this.isReady = false;
    if (!this.running) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, 30_000);
    this.log.warn(`projection subscription lost (${(error as Error)?.message ?? String(error)}); retrying in ${delay} ms`);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private fail(error: ProjectionFailed): void {
    this.rx = undefined;
    this.failed = error;
    this.isReady = false;
    this.running = false;
    this.log.error(error.message);
    this.rejectAll(error);
  }

  private rejectAll(error: Error): void {
    this.waiters.rejectAll(error);
    this.readyWaiters.rejectAll(error);
  }
}
