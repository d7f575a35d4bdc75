import type { Response } from 'express';
import { z } from './openapi-zod';
import { etagOf } from './headers';

/** What a handler answers. Handlers return a Reply; the framework sends it (and remembers it for idempotent writes). */
export type Reply =
  | { kind: 'json'; status: number; body: unknown; headers: Record<string, string> }
  | { kind: 'html'; status: number; body: string; headers: Record<string, string> }
  /** the handler wrote the response itself (server-sent events) */
  | { kind: 'streamed' };

export function ok(body: unknown, headers: Record<string, string> = {}): Reply {
  return { kind: 'json', status: 200, body, headers };
}

export function created(body: unknown, headers: Record<string, string> = {}): Reply {
  return { kind: 'json', status: 201, body, headers };
}

export function html(body: string, status = 200): Reply {
  return { kind: 'html', status, body, headers: {} };
}

export function streamed(): Reply {
  return { kind: 'streamed' };
}

/** The answer to every write: the entity, the stream's revision after the write, and the global position. */
export const writeResultSchema = z
  .object({
    id: z.string().openapi({ description: 'the id of the entity written to' }),
    revision: z.number().int().openapi({ description: "the stream's revision after the write; also the ETag" }),
    position: z.string().regex(/^\d+$/).openapi({ description: 'the global position of the last event written (a bigint)' }),
  })
  .openapi('WriteResult');

export interface WrittenOptions {
  id: string;
  /** 201 when the write created the entity, 200 otherwise */
  status: 200 | 201;
  /** where the entity can be read, e.g. /v1/partners/<id> */
  location?: string;
  /** further fields of the answer (e.g. `timely`, `outcome`), ids and facts only: no personal data */
  extra?: Record<string, unknown>;
}

/**
 * The reply to a write from the ledger's result: `{id, revision, position, ...extra}` with `ETag: "<revision>"`.
 * `result` is the ledger's ExecuteResult (or anything with the stream's revision and position).
 */
export function written(result: { revision: bigint; position?: bigint }, options: WrittenOptions): Reply {
  if (result.position === undefined || result.revision < 0n) {
    throw new Error(`a write to ${options.id} left its stream empty: there is nothing to answer with`);
  }
  const headers: Record<string, string> = { ETag: etagOf(result.revision) };
  if (options.location) headers.Location = options.location;
  return {
    kind: 'json',
    status: options.status,
    body: { ...options.extra, id: options.id, revision: Number(result.revision), position: result.position.toString() },
    headers,
  };
}

export function sendReply(res: Response, reply: Reply): void {
  if (reply.kind === 'streamed') return;
  for (const name in reply.headers) res.setHeader(name, reply.headers[name]!);
  if (reply.kind === 'json' && reply.body !== undefined && plainAnswer(res, reply.status)) {
    sendJson(res, reply.status, JSON.stringify(reply.body));
    return;
  }
  res.status(reply.status);
  if (reply.kind === 'html') {
    res.type('html').send(reply.body);
  } else if (reply.body === undefined) {
    res.end();
  } else {
    res.type('application/json').send(JSON.stringify(reply.body));
  }
}

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Whether express's send would write this answer as it is: a 200 or 201 to a GET or other non-HEAD request that is
 * not conditional (send answers a conditional GET 304 when it finds it fresh). Those are written directly; the rest
 * go through express, which knows what HEAD, 204 and 304 leave out.
 */
function plainAnswer(res: Response, status: number): boolean {
  const req = res.req;
  return (status === 200 || status === 201) && req.method !== 'HEAD' && !req.headers['if-none-match'] && !req.headers['if-modified-since'];
}

/** What `res.type('application/json').send(text)` writes for such an answer: the same headers, in the same order. */
function sendJson(res: Response, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', JSON_CONTENT_TYPE);
  res.setHeader('Content-Length', String(Buffer.byteLength(text, 'utf8')));
  res.end(text, 'utf8');
}
