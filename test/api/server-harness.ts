// first, as in src/cli/main.ts: the `.openapi()` extension must exist before any schema of ours is built
import '../../src/api/openapi-zod';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { startServer, type RunningServer } from '../../src/api/server';
import { loadConfig } from '../../src/config';

/**
 * The real server (every route of src/api/server.ts, real handlers, projections and digest) on an embedded store in
 * a temp directory, listening on 127.0.0.1 at a free port. One per describe block: start in beforeAll, `cleanup` in
 * afterAll.
 */

export const SERVER_KEYS = {
  office: 'office-key-server-0123456789',
  auditor: 'auditor-key-server-0123456789',
  admin: 'admin-key-server-0123456789',
} as const;

export type Role = 'anonymous' | 'office' | 'auditor' | 'admin' | 'unknown';
export const ROLES: readonly Role[] = ['anonymous', 'office', 'auditor', 'admin', 'unknown'];

export const UNKNOWN_KEY = 'not-a-configured-key-0123456789';

export function authHeader(role: Role): Record<string, string> {
  if (role === 'anonymous') return {};
  const key = role === 'unknown' ? UNKNOWN_KEY : SERVER_KEYS[role];
  return { Authorization: `Bearer ${key}` };
}

export interface TestServer extends RunningServer {
  dir: string;
  /** requests as a role: `t.as('office').post(path).send(body)` */
  as(role: Role): Client;
  /** closes the server and removes the directory */
  cleanup(): Promise<void>;
}

export interface Client {
  get(path: string): request.Test;
  post(path: string, body?: unknown, headers?: Record<string, string>): request.Test;
}

export async function startTestServer(options: { env?: Record<string, string>; dir?: string } = {}): Promise<TestServer> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'ledger-server-'));
  const config = loadConfig({
    LEDGER_DB: join(dir, 'ledger.db'),
    LEDGER_API_KEYS: `office:${SERVER_KEYS.office},auditor:${SERVER_KEYS.auditor},admin:${SERVER_KEYS.admin}`,
    LEDGER_RATE_LIMIT: '0',
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    PORT: '0',
    ...options.env,
  });
  const server = await startServer(config, { logger: pino({ level: 'silent' }), host: '127.0.0.1', print: () => undefined });
  const url = server.url.replace('localhost', '127.0.0.1');
  const as = (role: Role): Client => ({
    get: (path) => request(url).get(path).set(authHeader(role)),
    post: (path, body, headers = {}) => {
      const req = request(url).post(path).set(authHeader(role)).set(headers);
      return body === undefined ? req : req.send(body as object);
    },
  });
  let cleaned: Promise<void> | undefined;
  return {
    ...server,
    url,
    dir,
    as,
    cleanup: () =>
      (cleaned ??= (async () => {
        await server.close();
        if (!options.dir) rmSync(dir, { recursive: true, force: true });
      })()),
  };
}

/** Asserts a write answer: status, `{id, revision: number, position: string}` and the ETag of the revision. */
export function expectWritten(res: request.Response, status: 200 | 201): { id: string; revision: number; position: string } {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  expect(res.body).toEqual(expect.objectContaining({ id: expect.any(String), revision: expect.any(Number), position: expect.stringMatching(/^\d+$/) }));
  expect(res.headers.etag).toBe(`"${res.body.revision}"`);
  return res.body;
}

/** Asserts a problem answer and answers its body. */
export function expectProblem(res: request.Response, status: number, slug?: string): Record<string, unknown> {
  if (res.status !== status) throw new Error(`expected ${status}${slug ? ` ${slug}` : ''}, got ${res.status}: ${JSON.stringify(res.body)}`);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toEqual(expect.objectContaining({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) }));
  if (slug !== undefined) expect(res.body.type).toBe(`https://allianz-ledger.example/problems/${slug}`);
  return res.body;
}

/** The path of a route with every `{param}` replaced by the value given (or a fresh-looking uuid). */
export function concretePath(path: string, values: Record<string, string> = {}): string {
  return path.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => values[name] ?? '00000000-0000-4000-8000-000000000000');
}

/** Sends a request that must be refused: the problem answer, and nothing appended to the log. */
export async function expectRefused(t: TestServer, send: () => request.Test, status: number, slug?: string): Promise<Record<string, unknown>> {
  const before = await t.store.headPosition();
  const body = expectProblem(await send(), status, slug);
  if (status === 409 && slug !== undefined && slug !== 'concurrency-conflict') expect(body.rule).toBe(slug);
  expect(await t.store.headPosition()).toBe(before);
  return body;
}
