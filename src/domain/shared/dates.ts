import { z } from 'zod';

/**
 * Calendar days are Europe/Berlin days, written YYYY-MM-DD; instants are RFC 3339 with a zone.
 * Comparing two YYYY-MM-DD strings as strings compares them as dates.
 */

export type IsoDate = string;
export type Instant = string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

export const isoDate = z
  .string()
  .regex(DATE_RE, 'expected a date YYYY-MM-DD')
  .refine(isValidDate, 'not a calendar date');

export const instant = z.iso.datetime({ offset: true, message: 'expected an RFC 3339 instant with a zone' });

const berlinDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Berlin',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Europe/Berlin calendar day of an instant by Intl, each time (what berlinDate's cache is checked against). */
export function formatBerlinDate(value: Instant): IsoDate {
  return berlinDay.format(new Date(value));
}

const HOUR_MS = 3_600_000;
/** 1900-01-01: before it, Berlin kept local mean time, whose offset is not whole hours */
const WHOLE_HOURS_FROM = Date.UTC(1900, 0, 1);
const dayOfHour = new Map<number, IsoDate>();

/**
 * The Europe/Berlin calendar day of an instant, or the date itself when given a date. Berlin's offsets are whole
 * hours, so every instant of one UTC hour falls on the same Berlin day: the day is formatted once an hour, not once
 * a call (Intl formatting costs microseconds, and every command and every replayed event asks). A memo, not state:
 * the answer depends on the argument alone.
 */
export function berlinDate(value: Instant | IsoDate): IsoDate {
  if (DATE_RE.test(value)) return value;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms) || ms < WHOLE_HOURS_FROM) return formatBerlinDate(value);
  const hour = Math.floor(ms / HOUR_MS);
  let day = dayOfHour.get(hour);
  if (day === undefined) {
    day = formatBerlinDate(new Date(hour * HOUR_MS).toISOString());
    if (dayOfHour.size >= 50_000) dayOfHour.clear();
    dayOfHour.set(hour, day);
  }
  return day;
}

/** Whole calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The day before a date. */
export function dayBefore(date: IsoDate): IsoDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** True when `date` lies within [start, end] (end open when undefined). */
export function withinPeriod(date: IsoDate, start: IsoDate, end?: IsoDate | null): boolean {
  return start <= date && (end == null || date <= end);
}
