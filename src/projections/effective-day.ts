import { berlinDate, type IsoDate } from '../domain/shared/dates';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const HOUR_MS = 3_600_000;
const cache = new Map<number, IsoDate>();
const CACHE_LIMIT = 50_000;
/** 1900-01-01: before it, Berlin kept local mean time, whose offset is not whole hours */
const WHOLE_HOURS_FROM = Date.UTC(1900, 0, 1);

/**
 * The effective day of an event: berlinDate(occurredAt), the same answer, faster. Berlin's offsets are whole
 * hours, so every instant within one UTC hour falls on the same Berlin day, and a replay of a large log formats
 * each hour once instead of each event (Intl formatting costs microseconds).
 */
export function effectiveDay(occurredAt: string): IsoDate {
  if (DATE_RE.test(occurredAt)) return occurredAt;
  const ms = Date.parse(occurredAt);
  if (!Number.isFinite(ms) || ms < WHOLE_HOURS_FROM) return berlinDate(occurredAt);
  const hour = Math.floor(ms / HOUR_MS);
  let day = cache.get(hour);
  if (day === undefined) {
    day = berlinDate(new Date(hour * HOUR_MS).toISOString());
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(hour, day);
  }
  return day;
}
