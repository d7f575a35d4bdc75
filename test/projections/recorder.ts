import type { Projection } from '../../src/projections/projection';
import type { StoredEvent } from '../../src/store/port';

/** A projection that remembers every position applied to it: shows events applied twice or missed. */
export class Recorder implements Projection {
  readonly name = 'recorder';
  positions: bigint[] = [];
  /** applied since this object was made (not restored) */
  appliedHere = 0;
  failAt: bigint | undefined;

  apply(event: StoredEvent): void {
    if (event.position === this.failAt) throw new Error(`cannot apply ${event.position}`);
    this.positions.push(event.position);
    this.appliedHere += 1;
  }

  snapshot(): unknown {
    return [...this.positions];
  }

  restore(value: unknown): void {
    this.positions = [...(value as bigint[])];
  }

  reset(): void {
    this.positions = [];
  }
}
