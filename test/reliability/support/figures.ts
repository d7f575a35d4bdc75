import { appendFileSync } from 'node:fs';
import { prng } from '../../support/prng';

/**
 * The reliability suite's parameters and the figures it reports. A CI-sized run by default; RELIABILITY_LONG=1 runs
 * the full figures. RELIABILITY_SEED makes a run reproducible (fast-check's seed and the crash test's kill moments);
 * RELIABILITY_FIGURES=<file> appends each test's figures to that file as one JSON line (console output always).
 */
export const LONG = /^(1|true|yes)$/i.test(process.env.RELIABILITY_LONG ?? '');

/** CI value or long-run value, unless the named environment variable overrides it. */
export function param(name: string, ci: number, long: number): number {
  const override = process.env[name];
  if (override !== undefined && override.trim() !== '') {
    const value = Number(override);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${override}"`);
    return value;
  }
  return LONG ? long : ci;
}

/** The run's seed: given, or drawn now and printed with the figures so that a failing run can be repeated. */
export const SEED: number = (() => {
  const given = process.env.RELIABILITY_SEED;
  if (given !== undefined && given.trim() !== '') {
    const seed = Number(given);
    if (!Number.isSafeInteger(seed)) throw new Error(`RELIABILITY_SEED must be an integer, got "${given}"`);
    return seed;
  }
  return Math.floor(Math.random() * 2 ** 31);
})();

/** A small deterministic generator: the same seed gives the same kill moments. */
export function random(seed: number = SEED): () => number {
  return prng(seed);
}

export type Figures = Record<string, number | string | boolean | Record<string, number>>;

/** Prints one test's figures (and appends them to RELIABILITY_FIGURES when set). */
export function report(test: string, figures: Figures): void {
  const line = { test, mode: LONG ? 'long' : 'ci', seed: SEED, ...figures };
  console.log(`reliability figures: ${JSON.stringify(line)}`);
  const file = process.env.RELIABILITY_FIGURES;
  if (file) appendFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), ...line })}\n`);
}

/** Counts of something by a key, e.g. answers by status. */
export class Tally {
  readonly counts: Record<string, number> = {};
  add(key: string | number, by = 1): void {
    this.counts[String(key)] = (this.counts[String(key)] ?? 0) + by;
  }
  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
}

/** The p-th percentile (0–100) of a list of numbers, rounded to whole milliseconds. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[index]!);
}
