/** waitFor / whenReady gave up. */
export class ProjectionTimeout extends Error {
  override readonly name = 'ProjectionTimeout';
}

interface Waiter {
  position: bigint;
  resolve(): void;
  reject(error: Error): void;
}

/** Callers waiting until a position is reached, each with its own optional timeout. */
export class Waiters {
  private waiting: Waiter[] = [];

  /** Resolves once `release` reaches `position`; rejects with ProjectionTimeout after `timeoutMs`. */
  wait(position: bigint, timeoutMs: number | undefined, what: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.waiting = this.waiting.filter((w) => w !== waiter);
          reject(new ProjectionTimeout(`${what} within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      this.waiting.push(waiter);
    });
  }

  /** Resolves every waiter at or before `position`. */
  release(position: bigint): void {
    if (this.waiting.length === 0) return;
    const still: Waiter[] = [];
    for (const waiter of this.waiting) {
      if (waiter.position <= position) waiter.resolve();
      else still.push(waiter);
    }
    this.waiting = still;
  }

  rejectAll(error: Error): void {
    const all = this.waiting;
    this.waiting = [];
    for (const waiter of all) waiter.reject(error);
  }
}
