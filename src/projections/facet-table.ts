import type { Facets } from './facets';

/**
 * A facet combination (status, kind, day) as lists compare it: one shared object per distinct combination, so that
 * the index keeps a number per event instead of an object, and a list compares days as numbers.
 */
export interface FacetEntry {
  readonly status: string;
  readonly kind: string;
  /** the day a list orders by ('' for kinds without one) */
  readonly day: string;
  /** that day as days since 1970-01-01 (NO_DAY for ''), what "newest first" compares */
  readonly dayNumber: number;
}

/** Below every real day: entities without an ordering day come last in "newest first". */
export const NO_DAY = -1_000_000;

const dayNumbers = new Map<string, number>();

/** Days since 1970-01-01 of a YYYY-MM-DD day (NO_DAY for anything else); cached, days repeat across events. */
export function dayNumber(day: string): number {
  let n = dayNumbers.get(day);
  if (n === undefined) {
    const ms = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN;
    n = Number.isFinite(ms) ? Math.round(ms / 86_400_000) : NO_DAY;
    if (dayNumbers.size >= 200_000) dayNumbers.clear();
    dayNumbers.set(day, n);
  }
  return n;
}

/** The distinct facet combinations of an index, numbered in the order they were first seen. */
export class FacetTable {
  private readonly codes = new Map<string, number>();
  private readonly list: FacetEntry[] = [];

  code(facets: Facets): number {
    const key = `${facets.status}\u0000${facets.kind}\u0000${facets.day}`;
    let code = this.codes.get(key);
    if (code === undefined) {
      code = this.list.length;
      this.list.push({ status: facets.status, kind: facets.kind, day: facets.day, dayNumber: dayNumber(facets.day) });
      this.codes.set(key, code);
    }
    return code;
  }

  entry(code: number): FacetEntry {
    return this.list[code]!;
  }

  /** For a snapshot: [status, kind, day] per code. */
  toJSON(): [string, string, string][] {
    return this.list.map((e) => [e.status, e.kind, e.day]);
  }

  static from(rows: [string, string, string][]): FacetTable {
    const table = new FacetTable();
    for (const [status, kind, day] of rows) table.code({ status, kind, day });
    return table;
  }
}
