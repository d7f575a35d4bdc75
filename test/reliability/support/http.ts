import { request as httpRequest } from 'node:http';

/** A small HTTP client for the reliability tests, with a deadline on every request. */

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** the body parsed as JSON, or undefined when it is not JSON */
  json: unknown;
  ms: number;
}

export interface RequestOptions {
  /** an API key; sent as `Authorization: Bearer <key>` */
  key?: string;
  /** a JSON value to send (serialised here), or raw text/bytes with `raw` */
  body?: unknown;
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** answer as soon as the status and headers arrive, and drop the connection (for the live feed, which never ends) */
  headersOnly?: boolean;
}

export const KEYS = {
  office: 'reliability-office-key-5f1c0a',
  auditor: 'reliability-auditor-key-9d2e4b',
  admin: 'reliability-admin-key-3a7f61',
} as const;

/** LEDGER_API_KEYS for KEYS */
export const API_KEYS_ENV = `office:${KEYS.office},auditor:${KEYS.auditor},admin:${KEYS.admin}`;

/**
 * One request on a connection of its own (no keep-alive: a pooled connection that the server closes as idle just
 * as the client reuses it would fail a request for a reason that is not the server's). Paths and header values go
 * out as given, so hostile ones reach the server.
 */
export function request(base: string, method: string, path: string, options: RequestOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  let body: Buffer | undefined;
  if (options.raw !== undefined) body = Buffer.from(options.raw);
  else if (options.body !== undefined) body = Buffer.from(JSON.stringify(options.body));
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  if (body !== undefined) headers['content-length'] = String(body.length);
  const { hostname, port } = new URL(base);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const started = performance.now();
  return new Promise<Answer>((resolve, reject) => {
    let answered = false;
    const req = httpRequest({ host: hostname, port, method, path, headers, agent: false }, (res) => {
      if (options.headersOnly && res.statusCode === 200) {
        answered = true;
        clearTimeout(timer);
        const answerHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) answerHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        req.destroy();
        resolve({ status: res.statusCode, headers: answerHeaders, text: '', json: undefined, ms: performance.now() - started });
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text === '' ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        const answerHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) answerHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        resolve({ status: res.statusCode ?? 0, headers: answerHeaders, text, json, ms: performance.now() - started });
      });
    });
    const timer = setTimeout(() => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      if (!answered) reject(error);
    });
    // the server may answer (413) and close before it has read everything: that is an answer, not an error
    req.on('close', () => clearTimeout(timer));
    req.end(body);
  });
}

export const get = (base: string, path: string, options: RequestOptions = {}) => request(base, 'GET', path, options);
export const post = (base: string, path: string, body: unknown, options: RequestOptions = {}) => request(base, 'POST', path, { ...options, body });

/** Every item of a paginated list (API.md's `{data, pagination, links}`), page by page. */
export async function allPages(base: string, path: string, key?: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  const separator = path.includes('?') ? '&' : '?';
  for (let page = 1; ; page++) {
    const answer = await get(base, `${path}${separator}limit=500&page=${page}`, key === undefined ? {} : { key });
    if (answer.status !== 200) throw new Error(`GET ${path} page ${page}: ${answer.status} ${answer.text.slice(0, 200)}`);
    const body = answer.json as { data: Array<Record<string, unknown>>; links: { next?: string } };
    items.push(...body.data);
    if (!body.links.next || body.data.length === 0) return items;
  }
}

/** What a stack trace or the server's inside looks like in an answer. */
const INSIDE = /(\bat\s+(?:async\s+)?[\w$.<>]+\s+\(|\.(?:ts|js|mjs|cjs):\d+:\d+|node_modules|node:internal|\/src\/|\/work\/)/;

/** The reasons an answer is not acceptable as an error answer (empty when it is). */
export function problemFaults(answer: Answer): string[] {
  const faults: string[] = [];
  if (INSIDE.test(answer.text)) faults.push('the answer shows the inside of the server (a stack trace or a path)');
  if (answer.status < 400) return faults;
  const type = answer.headers.get('content-type') ?? '';
  if (!type.startsWith('application/problem+json')) faults.push(`content-type ${type}, not application/problem+json`);
  const p = answer.json as { type?: unknown; title?: unknown; status?: unknown; detail?: unknown } | undefined;
  if (typeof p !== 'object' || p === null) faults.push('the body is not a JSON object');
  else {
    if (typeof p.type !== 'string' || typeof p.title !== 'string' || typeof p.detail !== 'string') faults.push('type, title or detail missing');
    if (p.status !== answer.status) faults.push(`status ${String(p.status)} in the body, ${answer.status} on the wire`);
  }
  return faults;
}

/** Whether the text shows a stack trace or a path of the server's. */
export function showsInside(text: string): boolean {
  return INSIDE.test(text);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `probe` answers true, or fails after `ms`. */
export async function eventually(probe: () => Promise<boolean> | boolean, ms: number, what: string, every = 50): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      if (await probe()) return;
    } catch {
      // not yet
    }
    if (Date.now() > until) throw new Error(`${what} did not happen within ${ms} ms`);
    await delay(every);
  }
}
