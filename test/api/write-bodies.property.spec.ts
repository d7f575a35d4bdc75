import fc from 'fast-check';
import { apiInfo } from '../../src/api/app';
import { authHeader, concretePath, startTestServer, type TestServer } from './server-harness';
import { buildWorld, writeExamples, type World } from './world';

/**
 * Random query strings to every read route, and random bodies to every write route (listed from the router, with the world's ids in the path): whatever arrives,
 * the answer is a 4xx problem, never a 5xx, and nothing is appended to the log. Every body is invalid by
 * construction (random values, a field of the wrong JSON type or far too long, an unknown field, nesting beyond
 * the limit), so an append would be a hole in the validation.
 */

const RUNS_PER_ROUTE = 40;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A value whose JSON type differs from that of `value`. */
function wrongTypeFor(value: unknown): fc.Arbitrary<Json> {
  const kinds: fc.Arbitrary<Json>[] = [];
  if (typeof value !== 'string') kinds.push(fc.string({ unit: 'binary', maxLength: 40 }));
  if (typeof value !== 'number') kinds.push(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })));
  if (typeof value !== 'boolean') kinds.push(fc.boolean());
  if (!Array.isArray(value)) kinds.push(fc.array(fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, { maxLength: 4 }));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) kinds.push(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, { maxKeys: 4 }));
  kinds.push(fc.constant(null));
  return fc.oneof(...kinds);
}

function nested(depth: number, leaf: Json, asArray: boolean): Json {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { deeper: value };
  return value;
}

/** Request bodies (as the text sent) that no write route may accept. */
function invalidBodies(example: Record<string, unknown>): fc.Arbitrary<string> {
  const keys = Object.keys(example);
  const withField = (key: string, value: unknown) => JSON.stringify({ ...example, [key]: value });
  return fc.oneof(
    // anything at all, and any JSON text
    fc.anything({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null'),
    fc.json({ maxDepth: 4 }),
    // text that is mostly not JSON, in any unicode (lone surrogates included)
    fc.string({ unit: 'binary', maxLength: 200 }),
    // the example with one field of the wrong JSON type
    fc.constantFrom(...keys).chain((key) => wrongTypeFor(example[key]).map((v) => withField(key, v))),
    // the example with a field the contract does not name
    fc.tuple(fc.string({ unit: 'binary', maxLength: 20 }), fc.jsonValue({ maxDepth: 3 })).map(([k, v]) => withField(`§${k}`, v)),
    // unicode in a named field, and a field the contract does not name
    fc.tuple(fc.constantFrom(...keys), fc.string({ unit: 'binary', maxLength: 100 }), fc.string({ unit: 'grapheme', maxLength: 10 })).map(([key, text, extra]) =>
      JSON.stringify({ ...example, [key]: text, [`§${extra}`]: text }),
    ),
    // a huge string in a named field: longer than any field allows, sometimes longer than the body limit
    fc.tuple(fc.constantFrom(...keys), fc.constantFrom(20_001, 100_000, 1_100_000), fc.constantFrom('x', 'ä', '😀')).map(([key, n, c]) => withField(key, c.repeat(n))),
    // nesting beyond the limit, in a named field or as the whole body
    fc.tuple(fc.constantFrom(...keys), fc.integer({ min: 33, max: 300 }), fc.boolean()).map(([key, depth, asArray]) => withField(key, nested(depth, 'x', asArray))),
    fc.tuple(fc.integer({ min: 33, max: 300 }), fc.boolean()).map(([depth, asArray]) => JSON.stringify(nested(depth, 1, asArray))),
    // recordedAt, anywhere
    fc.constantFrom(...keys).map((key) => withField(key, { recordedAt: '2025-09-12T10:00:00Z' })),
    fc.constant(JSON.stringify({ ...example, recordedAt: '2025-09-12T10:00:00Z' })),
  );
}

describe('random bodies to every write route', () => {
  let t: TestServer;
  let w: World;
  beforeAll(async () => {
    t = await startTestServer();
    w = await buildWorld(t);
  });
  afterAll(async () => t.cleanup());

  it('never answer 5xx and never append', async () => {
    const writes = apiInfo(t.app).routes.filter((r) => r.takesBody && r.auth === 'write');
    expect(writes.length).toBeGreaterThanOrEqual(33);
    const examples = writeExamples(w);
    const head = await t.store.headPosition();
    const failures: string[] = [];
    for (const route of writes) {
      const example = examples[route.path];
      if (!example) throw new Error(`no example body for ${route.path}: add one to writeExamples`);
      const url = new URL(concretePath(route.path, example.params), t.url);
      await fc.assert(
        fc.asyncProperty(invalidBodies(example.body), async (body) => {
          const res = await fetch(url, { method: 'POST', headers: { ...authHeader('office'), 'Content-Type': 'application/json' }, body });
          const text = await res.text();
          const ok = res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 403 && /^application\/problem\+json/.test(res.headers.get('content-type') ?? '');
          if (!ok) failures.push(`${route.path}: ${res.status} ${text.slice(0, 300)} for ${body.slice(0, 300)}`);
          const now = await t.store.headPosition();
          if (now !== head) failures.push(`${route.path}: appended (head ${head} → ${now}) for ${body.slice(0, 300)}`);
          return ok && now === head;
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
    }
    expect(failures).toEqual([]);
  });

  it('random query strings to every read never answer 5xx', async () => {
    // the live feed streams until the client leaves: its query is checked in audit-routes.spec.ts
    const reads = apiInfo(t.app).routes.filter((r) => r.method === 'get' && r.path !== '/v1/live');
    const names = ['asOf', 'knownAt', 'page', 'limit', 'from', 'to', 'kind', 'status', 'category', 'outcome', 'after', 'stream', 'type', 'eventId', 'size'];
    const value = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.constantFrom('2025-09-12', '2025-02-30', '2025-09-12T10:00:00Z', '2025-09-12T10:00:00', '-1', '0', '1', '1e400', '9'.repeat(30), 'null', '[]', 'a'.repeat(5000)),
      fc.integer().map(String),
    );
    const query = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 8 })), value), { maxLength: 4 });
    const failures: string[] = [];
    for (const route of reads) {
      const path = concretePath(route.path, { stream: 'board-main', id: w.partnerId });
      await fc.assert(
        fc.asyncProperty(query, async (pairs) => {
          const url = new URL(path, t.url);
          for (const [name, v] of pairs) url.searchParams.append(name, v);
          const res = await fetch(url, { headers: authHeader('auditor') });
          await res.arrayBuffer();
          if (res.status >= 500) failures.push(`${route.path}: ${res.status} for ${url.search.slice(0, 300)}`);
          return res.status < 500;
        }),
        { numRuns: 20 },
      );
    }
    expect(failures).toEqual([]);
  });

  it('the examples the random bodies start from pass validation (so a refusal above is the change made to them)', async () => {
    const examples = writeExamples(w);
    for (const route of apiInfo(t.app).routes.filter((r) => r.takesBody && r.auth === 'write')) {
      const example = examples[route.path]!;
      const res = await t.as('office').post(concretePath(route.path, example.params), example.body);
      expect(`${route.path}: ${res.status}`).not.toMatch(/: (400|422)$/);
      expect(`${route.path}: ${res.status}`).not.toMatch(/: 5\d\d$/);
    }
  });
});
