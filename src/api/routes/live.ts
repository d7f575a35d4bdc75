import type { Response } from 'express';
import { toEventJson } from '../../ledger/envelope';
import type { EventStore } from '../../store/port';
import { z } from '../openapi-zod';
import { problems } from '../problems';
import { streamed } from '../replies';
import type { RouteModule } from '../route';
import { positionString } from '../schemas';

/**
 * GET /v1/live: new ledger events as server-sent events, for read roles. Each event is `id: <position>` and
 * `data: <event as stored>`, so a client's EventSource resumes after the last one it saw (Last-Event-ID).
 * Without one the feed starts at the head of the log: only what is appended from now on.
 */
export class LiveFeed {
  private readonly open = new Set<() => Promise<void>>();

  constructor(
    private readonly store: EventStore,
    private readonly heartbeatMs = 15_000,
  ) {}

  /** Ends every open feed (for shutdown: an open response would keep the server from closing). */
  async close(): Promise<void> {
    await Promise.all([...this.open].map((end) => end()));
  }

  routes(): RouteModule {
    return (r) =>
      r.defineRoute({
        method: 'get',
        path: '/v1/live',
        auth: 'read',
        summary: 'New ledger events as server-sent events',
        description:
          'text/event-stream: `id` is the position, `data` the event as stored. Resumes after `Last-Event-ID` (or `after`); ' +
          'without either, starts at the head of the log. A comment line every 15 s keeps the connection open.',
        tags: ['audit'],
        query: z.object({ after: positionString.optional() }),
        responses: { 200: { description: 'a stream of events', schema: z.string(), contentType: 'text/event-stream' } },
        handler: async ({ req, res, query, log }) => {
          const resumeFrom = req.get('last-event-id') ?? query.after;
          if (resumeFrom !== undefined && !positionString.safeParse(resumeFrom).success) {
            throw problems.badRequest('Last-Event-ID must be a position (a whole number) as the feed sent it');
          }
          const after = resumeFrom !== undefined ? BigInt(resumeFrom) : ((await this.store.headPosition()) ?? undefined);
          await this.serve(res, after, log);
          return streamed();
        },
      });
  }

  private async serve(res: Response, after: bigint | undefined, log: { warn: (o: object, m: string) => void }): Promise<void> {
    const subscription = this.store.subscribe(after === undefined ? {} : { after });
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write('retry: 3000\n\n');

    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), this.heartbeatMs);
    let ended = false;
    const end = async () => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      await subscription.close();
      if (!res.writableEnded) res.end();
    };
    this.open.add(end);
    res.on('close', () => void end());
    try {
      for await (const message of subscription) {
        if (ended) break;
        if (message.kind !== 'event') continue;
        const event = toEventJson(message.event);
        if (!res.write(`id: ${event.position}\ndata: ${JSON.stringify(event)}\n\n`)) await drained(res);
      }
    } catch (error) {
      log.warn({ err: error }, 'live feed ended by an error');
    } finally {
      this.open.delete(end);
      await end();
    }
  }
}

/** Resolves when the client has taken what was written, or has gone. */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
