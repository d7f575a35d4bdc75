import { instant, isoDate } from '../../domain/shared/dates';
import { NotFound } from '../../domain/shared/errors';
import { toEventJson } from '../../ledger/envelope';
import type { EventStore, StoredEvent } from '../../store/port';
import { etagOf } from '../headers';
import { z } from '../openapi-zod';
import { withParams } from '../pagination';
import { ok } from '../replies';
import type { RouteModule } from '../route';
import { positionString } from '../schemas';
import { berlinDayStart, nextBerlinDayStart } from '../berlin-days';

/** The raw log for auditors: events exactly as stored (personal data in its encrypted form). */

export const eventSchema = z
  .object({
    position: z.string(),
    stream: z.string(),
    revision: z.number().int(),
    eventId: z.string(),
    type: z.string(),
    data: z.unknown(),
    metadata: z
      .object({
        recordedAt: z.string(),
        occurredAt: z.string(),
        actor: z.object({ id: z.string(), role: z.string() }),
        correlationId: z.string(),
        causationId: z.string(),
        schemaVersion: z.number().int(),
        prevHash: z.string(),
        hash: z.string(),
      })
      .loose(),
  })
  .openapi('Event');

export const streamName = z
  .string()
  .regex(/^[a-z][a-z0-9]*-[A-Za-z0-9-]{1,100}$/, 'expected a stream name <kind>-<id>, e.g. partner-6f1c… or board-main')
  .openapi({ example: 'board-main' });

const eventType = z.string().regex(/^[A-Z][A-Za-z0-9]{0,99}$/, 'expected an event type such as PartnerAdmitted');
const dateOrInstant = z.union([isoDate, instant]).openapi({ description: 'a date (YYYY-MM-DD, Europe/Berlin) or an RFC 3339 instant' });

const eventsQuery = z.object({
  after: positionString.optional().openapi({ description: 'return events after this position (the last position of the previous page)' }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  stream: streamName.optional(),
  type: eventType.optional(),
  from: dateOrInstant.optional().openapi({ description: 'recorded at or after this instant, or on or after this day' }),
  to: dateOrInstant.optional().openapi({ description: 'recorded at or before this instant, or on or before this day' }),
});

const eventPage = z.object({
  data: z.array(eventSchema),
  links: z.object({ self: z.string(), next: z.string().optional() }),
});

/**
 * A filtered page scans at most this many events of the log. A page can then hold fewer than `limit` events
 * while `next` is still given: follow `next` until it is absent.
 */
const SCAN_BUDGET = 10_000;

export function auditRoutes(store: EventStore): RouteModule {
  return (r) => {
    r.defineRoute({
      method: 'get',
      path: '/v1/events',
      auth: 'read',
      summary: 'Events in log order, paged by position',
      description:
        'Events exactly as stored. `next` is present while there may be more: it pages with `after` = the last position looked at.',
      tags: ['audit'],
      query: eventsQuery,
      responses: { 200: { description: 'a page of events', schema: eventPage } },
      handler: async ({ query, url }) => {
        const from = query.from === undefined ? undefined : isoDate.safeParse(query.from).success ? berlinDayStart(query.from) : Date.parse(query.from);
        const toExclusive =
          query.to === undefined ? undefined : isoDate.safeParse(query.to).success ? nextBerlinDayStart(query.to) : Date.parse(query.to) + 1;
        const matches = (e: StoredEvent) => {
          if (query.type !== undefined && e.type !== query.type) return false;
          if (from === undefined && toExclusive === undefined) return true;
          const recordedAt = Date.parse(String(e.metadata.recordedAt));
          return (from === undefined || recordedAt >= from) && (toExclusive === undefined || recordedAt < toExclusive);
        };
        const after = query.after === undefined ? undefined : BigInt(query.after);
        const unfiltered = query.type === undefined && from === undefined && toExclusive === undefined;
        // without filters one more than a page tells whether there is a next page
        const readOptions = { ...(after === undefined ? {} : { after }), ...(unfiltered ? { maxCount: query.limit + 1 } : {}) };
        const source = query.stream === undefined ? store.readAll(readOptions) : afterPosition(store.readStream(query.stream), after);

        const page: StoredEvent[] = [];
        let cursor = after;
        let more = false;
        let scanned = 0;
        for await (const event of source) {
          if (matches(event)) {
            if (page.length === query.limit) {
              more = true;
              break;
            }
            page.push(event);
          }
          cursor = event.position;
          if (++scanned >= SCAN_BUDGET) {
            more = true;
            break;
          }
        }
        const links: { self: string; next?: string } = { self: withParams(url, {}) };
        if (more && cursor !== undefined) links.next = withParams(url, { after: cursor.toString() });
        return ok({ data: page.map(toEventJson), links });
      },
    });

    r.defineRoute({
      method: 'get',
      path: '/v1/streams/{stream}',
      auth: 'read',
      summary: "One stream's events in revision order",
      tags: ['audit'],
      params: z.object({ stream: streamName }),
      responses: { 200: { description: "the stream's events; ETag is its revision", schema: eventPage } },
      handler: async ({ params, url }) => {
        const events: StoredEvent[] = [];
        for await (const event of store.readStream(params.stream)) events.push(event);
        const last = events[events.length - 1];
        if (!last) throw new NotFound('stream', params.stream);
        return ok({ data: events.map(toEventJson), links: { self: withParams(url, {}) } }, { ETag: etagOf(last.revision) });
      },
    });
  };
}

async function* afterPosition(events: AsyncIterable<StoredEvent>, after: bigint | undefined): AsyncGenerator<StoredEvent> {
  for await (const event of events) if (after === undefined || event.position > after) yield event;
}
