import { InvalidArgumentError } from 'commander';
import { instant, isValidDate } from '../domain/shared/dates';

/** Option parsers: commander reports what they throw as a usage error naming the option. */

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** YYYY-MM-DD, and a day that exists (2025-02-30 does not). */
export function parseDate(value: string): string {
  if (!DATE_SHAPE.test(value)) throw new InvalidArgumentError(`expected a date YYYY-MM-DD, got "${value}"`);
  if (!isValidDate(value)) throw new InvalidArgumentError(`${value} is not a calendar date`);
  return value;
}

/** An RFC 3339 instant with a zone (2025-10-01T12:00:00+02:00 or …Z), on a day that exists. */
export function parseInstant(value: string): string {
  if (!instant.safeParse(value).success) {
    throw new InvalidArgumentError(`expected an instant such as 2025-10-01T12:00:00+02:00 (RFC 3339 with a zone), got "${value}"`);
  }
  if (!isValidDate(value.slice(0, 10))) throw new InvalidArgumentError(`${value} is not on a calendar date`);
  return value;
}

/** A TCP port for --port. */
export function parsePort(value: string): string {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError(`expected a port from 0 to 65535, got "${value}"`);
  return value;
}
