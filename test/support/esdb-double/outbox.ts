import type * as grpc from '@grpc/grpc-js';

type WritableCall<T> = grpc.ServerWritableStream<unknown, T> | grpc.ServerDuplexStream<unknown, T>;

/** Shut while the double plays a server that stopped answering: nothing is sent until it opens again. */
export class Gate {
  private closed = false;
  private readonly waiters = new Set<() => void>();

  get shut(): boolean {
    return this.closed;
  }

  close(): void {
    this.closed = true;
  }

  open(): void {
    this.closed = false;
    for (const wake of [...this.waiters]) wake();
    this.waiters.clear();
  }

  /** `arm` for Outbox.until: wakes once the gate is open */
  readonly whenOpen = (wake: () => void): (() => void) => {
    if (!this.closed) {
      queueMicrotask(wake);
      return () => undefined;
    }
    this.waiters.add(wake);
    return () => this.waiters.delete(wake);
  };
}

/**
 * The sending side of a server-streaming call, with the flow control a real server has: a write waits for the
 * client to drain the stream, and every wait ends when the client cancels or the connection drops.
 */
export class Outbox<T> {
  private done = false;
  private blocked = false;
  private written = 0;
  private readonly wakers = new Set<() => void>();

  constructor(
    private readonly call: WritableCall<T>,
    private readonly gate: Gate,
  ) {
    const finish = () => this.finish();
    call.on('cancelled', finish);
    call.on('error', finish);
    call.on('close', finish);
  }

  /** the client went away or the call was ended */
  get closed(): boolean {
    return this.done;
  }

  /** messages handed to the call so far */
  get sent(): number {
    return this.written;
  }

  /** a write is waiting for the client to read */
  get waiting(): boolean {
    return this.blocked;
  }

  /** Resolves once the message is handed over (or the call closed); false when it was not sent. */
  async write(message: T): Promise<boolean> {
    if (this.gate.shut) await this.until(this.gate.whenOpen);
    if (this.done) return false;
    this.written += 1;
    if (this.call.write(message)) return true;
    this.blocked = true;
    try {
      await this.until((wake) => {
        this.call.once('drain', wake);
        return () => this.call.removeListener('drain', wake);
      });
    } finally {
      this.blocked = false;
    }
    return !this.done;
  }

  /** Waits until `arm` calls wake, or the call closes. `arm` returns its disarm function. */
  until(arm: (wake: () => void) => () => void): Promise<void> {
    if (this.done) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        disarm();
        this.wakers.delete(wake);
        resolve();
      };
      const disarm = arm(wake);
      this.wakers.add(wake);
    });
  }

  end(): void {
    if (this.done) return;
    this.call.end();
    this.finish();
  }

  fail(error: Partial<grpc.ServiceError>): void {
    if (this.done) return;
    this.call.emit('error', error);
    this.finish();
  }

  private finish(): void {
    this.done = true;
    for (const wake of [...this.wakers]) wake();
  }
}
