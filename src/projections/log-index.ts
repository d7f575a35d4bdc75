/**
 * The log in order: the position and recordedAt of every event applied, in typed arrays (24 bytes an event, written
 * to and read from a snapshot as plain bytes).
 *
 * `suffixMin[i]` is the earliest recordedAt from event i on. It never decreases, so "the last event such that it and
 * everything before it was recorded by T" is a binary search, also if recordedAt ever went back along the log
 * (on EventStoreDB several writers stamp their own clocks); where it does not, suffixMin is recordedAt itself.
 */
export interface LogIndexSnapshot {
  positions: BigInt64Array;
  recordedAtMs: Float64Array;
  suffixMin: Float64Array;
}

export class LogIndex {
  private positions = new BigInt64Array(1024);
  private recordedAtMs = new Float64Array(1024);
  private suffixMin = new Float64Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  get lastRecordedAtMs(): number | undefined {
    return this.count === 0 ? undefined : this.recordedAtMs[this.count - 1];
  }

  push(position: bigint, recordedAtMs: number): void {
    if (this.count === this.positions.length) this.grow(this.count * 2);
    const i = this.count++;
    this.positions[i] = position;
    this.recordedAtMs[i] = recordedAtMs;
    this.suffixMin[i] = recordedAtMs;
    for (let j = i - 1; j >= 0 && this.suffixMin[j]! > recordedAtMs; j--) this.suffixMin[j] = recordedAtMs;
  }

  /** The last position such that it and every event before it was recorded by `ms`; null when the first was not. */
  lastPositionRecordedBy(ms: number): bigint | null {
    const ordinal = this.lastOrdinalRecordedBy(ms);
    return ordinal < 0 ? null : this.positions[ordinal]!;
  }

  /** The same as an ordinal (0 for the first event applied); -1 when the first was not recorded by `ms`. */
  lastOrdinalRecordedBy(ms: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.suffixMin[mid]! <= ms) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  snapshot(): LogIndexSnapshot {
    return {
      positions: this.positions.slice(0, this.count),
      recordedAtMs: this.recordedAtMs.slice(0, this.count),
      suffixMin: this.suffixMin.slice(0, this.count),
    };
  }

  restore(snapshot: LogIndexSnapshot): void {
    const count = snapshot.positions.length;
    if (snapshot.recordedAtMs.length !== count || snapshot.suffixMin.length !== count) throw new RangeError('log index columns differ in length');
    this.count = 0;
    this.grow(Math.max(1024, count));
    this.positions.set(snapshot.positions);
    this.recordedAtMs.set(snapshot.recordedAtMs);
    this.suffixMin.set(snapshot.suffixMin);
    this.count = count;
  }

  reset(): void {
    this.count = 0;
    this.grow(1024);
  }

  private grow(capacity: number): void {
    const positions = new BigInt64Array(capacity);
    const recordedAtMs = new Float64Array(capacity);
    const suffixMin = new Float64Array(capacity);
    positions.set(this.positions.subarray(0, this.count));
    recordedAtMs.set(this.recordedAtMs.subarray(0, this.count));
    suffixMin.set(this.suffixMin.subarray(0, this.count));
    this.positions = positions;
    this.recordedAtMs = recordedAtMs;
    this.suffixMin = suffixMin;
  }
}
