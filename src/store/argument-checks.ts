/** Checks of the arguments every adapter takes, so both refuse the same things with the same errors. */

/** A read's maxCount: a whole number ≥ 0; none given reads without limit (MAX_SAFE_INTEGER, which clients accept). */
export function maxCountOf(maxCount: number | undefined): number {
  if (maxCount === undefined) return Number.MAX_SAFE_INTEGER;
  if (!Number.isInteger(maxCount) || maxCount < 0) throw new RangeError(`maxCount must be a whole number ≥ 0, got ${maxCount}`);
  return maxCount;
}

/** A setting that must be a whole number ≥ 1 (page sizes, intervals, timeouts). */
export function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number ≥ 1, got ${value}`);
  return value;
}
