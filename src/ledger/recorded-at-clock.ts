/**
 * The server clock for `recordedAt`: never earlier than the last recordedAt the ledger has written or read
 * (a wall clock can step back; the log's order must not). The ledger seeds it from the head of the log.
 */
export class RecordedAtClock {
  private highWater = 0;

  constructor(private readonly wallClock: () => Date = () => new Date()) {}

  /** Raises the high-water mark to an instant seen in the log. */
  observe(recordedAt: string | undefined): void {
    if (!recordedAt) return;
    const t = Date.parse(recordedAt);
    if (Number.isFinite(t) && t > this.highWater) this.highWater = t;
  }

  /** The instant to stamp on the next append: max(now, the newest instant observed, `notBefore`). */
  next(notBefore?: string): string {
    const floor = notBefore ? Date.parse(notBefore) : 0;
    const t = Math.max(this.wallClock().getTime(), this.highWater, Number.isFinite(floor) ? floor : 0);
    this.highWater = t;
    return new Date(t).toISOString();
  }

  /** The wall clock's instant, for rules that need "now" (never for recordedAt). */
  now(): string {
    return this.wallClock().toISOString();
  }
}
