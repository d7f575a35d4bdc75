import { instant, isoDate } from '../domain/shared/dates';
import { z } from './openapi-zod';

/** Query and path schemas that many routes share. */

/** `asOf=YYYY-MM-DD`: the state effective on that day (Europe/Berlin), as known now. */
export const asOf = isoDate.meta({ description: 'state effective on this day (YYYY-MM-DD, Europe/Berlin)', example: '2025-01-31' });

/** `knownAt=<instant>`: the state as the ledger recorded it at that instant. */
export const knownAt = instant.meta({
  description: 'state as the ledger knew it at this instant (RFC 3339 with a zone)',
  example: '2025-01-31T12:00:00Z',
});

/** Both time-travel parameters; extend with a route's own filters. */
export const timeTravelQuery = z.object({ asOf: asOf.optional(), knownAt: knownAt.optional() });

/** `/{id}` of an entity the server assigned. */
export const idParams = z.object({ id: z.uuid().openapi({ description: 'the id the server assigned' }) });

/** A global position in the log: a non-negative bigint written as a string. */
export const positionString = z
  .string()
  .regex(/^(0|[1-9]\d{0,18})$/, 'expected a position: a whole number written as a string')
  .openapi({ description: 'a global position (a bigint as a string)', example: '42' });
