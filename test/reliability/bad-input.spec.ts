import fc from 'fast-check';
import { createHandlers } from '../../src/handlers';
import { verifyLedger } from '../../src/integrity/verification';
import { Ledger } from '../../src/ledger/ledger';
import { seedPressRelease } from '../../src/seed/press-release';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store';
import { defectiveBody, malformedJson, nastyString, valueOf, type JsonSchema, type Pools } from './support/arbitraries';
import { param, percentile, report, SEED, Tally } from './support/figures';
import { get, KEYS, problemFaults, request, type Answer, type RequestOptions } from './support/http';
import { startInProcess, tempDirectory, type InProcessServer } from './support/servers';

/**
 * Hostile input over HTTP, against the real server on a ledger seeded with the press release: fast-check over every
 * write route the server documents (bodies with one certain defect, bodies of the right shape with hostile values,
 * text that is not JSON, bad headers), plus oversize, deep and huge bodies and every GET route's query string.
 * Never a 5xx, never a crash, never a stack trace; a refused request appends nothing.
 */
const RUNS = param('RELIABILITY_FUZZ_RUNS', 12, 120);
/** routes that get the huge (1 MB) bodies; every route in the long run */
const HUGE_ROUTES = param('RELIABILITY_HUGE_ROUTES', 6, 1000);
const BODY_LIMIT = 1024 * 1024;

jest.setTimeout(120_000 + RUNS * 20_000);

interface Operation {
  method: string;
  path: string;
  roles: string[];
  body?: JsonSchema;
  query: Array<{ name: string; schema: JsonSchema }>;
}

let tmp: ReturnType<typeof tempDirectory>;
let server: InProcessServer;
let operations: Operation[];
let pools: Pools;

const tried = new Tally();
const answers = new Tally();
const latencies: number[] = [];
let refusedButAppended = 0;
let accepted = 0;

beforeAll(async () => {
  tmp = tempDirectory('ledger-reliability-input-');
  const store = await openEmbeddedStore({ path: tmp.ledgerDb });
  const seeded = await seedPressRelease(createHandlers(new Ledger(store))).finally(() => store.close());
  server = await startInProcess(tmp.dir);
  const document = (await get(server.url, '/openapi.json')).json as { paths: Record<string, Record<string, { 'x-roles'?: string[]; parameters?: Array<{ in: string; name: string; schema: JsonSchema }>; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>> };
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      roles: op['x-roles'] ?? [],
      ...(op.requestBody && { body: op.requestBody.content['application/json']!.schema }),
      query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema })),
    })),
  );
  const meeting = (await get(server.url, `/v1/meetings/${seeded.ids.meetingId}`)).json as { agenda?: Array<{ id: string }> };
  pools = {
    ids: [seeded.ids.meetingId, seeded.ids.resolutionId, seeded.ids.partnerId, seeded.ids.statementId, ...seeded.ids.memberIds, ...(meeting.agenda ?? []).map((a) => a.id)],
  };
});

afterAll(async () => {
  await server?.close();
  tmp?.remove();
});

const writes = () => operations.filter((o) => o.method === 'POST');

/** The write routes API.md names. */
const API_WRITES = [
  '/v1/alliance/constitution',
  '/v1/patron/appointments',
  '/v1/patron/statements',
  '/v1/patron/statements/{id}/corrections',
  '/v1/board',
  '/v1/board/members',
  '/v1/board/members/{id}/deputies',
  '/v1/board/members/{id}/departure',
  '/v1/board/rules',
  '/v1/meetings',
  '/v1/meetings/{id}/invitations',
  '/v1/meetings/{id}/attendance',
  '/v1/meetings/{id}/closure',
  '/v1/meetings/{id}/cancellation',
  '/v1/resolutions',
  '/v1/resolutions/{id}/votes',
  '/v1/resolutions/{id}/objections',
  '/v1/resolutions/{id}/decision',
  '/v1/resolutions/{id}/corrections',
  '/v1/resolutions/{id}/revocation',
  '/v1/partners/applications',
  '/v1/partners/{id}/admission',
  '/v1/partners/{id}/rejection',
  '/v1/partners/{id}/withdrawal',
  '/v1/partners/{id}/departure',
  '/v1/partners/{id}/exclusion',
  '/v1/groups',
  '/v1/groups/{id}/members',
  '/v1/groups/{id}/members/{partnerId}/departure',
  '/v1/groups/{id}/lead',
  '/v1/groups/{id}/mandate',
  '/v1/groups/{id}/dissolution',
  '/v1/subjects/{subjectId}/erasure',
];

/** encodeURIComponent, and for a lone surrogate (which it refuses) the bytes a careless client would send */
function pathSegment(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '')) + '%ED%A0%80';
  }
}
const keyFor = (op: Operation) => (op.roles.includes('office') ? KEYS.office : op.roles.includes('admin') ? KEYS.admin : KEYS.auditor);
const head = async () => (await server.store.headPosition()) ?? 0n;

/** A path with its parameters filled: ids that exist, random uuids, or (when `hostile`) anything at all. */
function pathOf(template: string, hostile: boolean): fc.Arbitrary<string> {
  const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  if (names.length === 0) return fc.constant(template);
  const value = hostile
    ? fc.oneof(fc.constantFrom(...pools.ids), fc.uuid(), nastyString(1, 40).map(pathSegment), fc.constantFrom('..', '%2e%2e', '%00', 'null', '-1'))
    : fc.oneof(fc.constantFrom(...pools.ids), fc.uuid());
  return fc.tuple(...names.map(() => value)).map((values) => names.reduce((p, name, i) => p.replace(`{${name}}`, values[i]!), template));
}

/** Sends one request and checks what every answer must be; answers the status. */
async function probe(what: string, method: string, path: string, options: RequestOptions): Promise<Answer> {
  const before = await head();
  const answer = await request(server.url, method, path, { ...options, timeoutMs: 10_000 });
  tried.add(what);
  answers.add(answer.status);
  latencies.push(answer.ms);
  expect({ what, method, path, status: answer.status < 500, faults: problemFaults(answer) }).toEqual({ what, method, path, status: true, faults: [] });
  const after = await head();
  if (answer.status >= 300 && after !== before) refusedButAppended += 1;
  expect({ what, path, status: answer.status, appended: Number(after - before) }).toEqual({ what, path, status: answer.status, appended: answer.status < 300 ? Number(after - before) : 0 });
  if (answer.status < 300) accepted += 1;
  return answer;
}

describe('bad input over HTTP', () => {
  it('covers every write route of API.md', () => {
    const documented = new Set(writes().map((o) => o.path));
    const missing = API_WRITES.filter((path) => !documented.has(path));
    expect(missing).toEqual([]);
  });

  it('a body with one certain defect of its shape: 400, and nothing appended', async () => {
    for (const [index, op] of writes().entries()) {
      if (!op.body) continue;
      await fc.assert(
        fc.asyncProperty(pathOf(op.path, false), defectiveBody(op.body, pools), async (path, { defect, body }) => {
          const answer = await probe(`defect: ${defect}`, op.method, path, { key: keyFor(op), body });
          expect({ route: op.path, defect, status: answer.status }).toEqual({ route: op.path, defect, status: 400 });
        }),
        { numRuns: RUNS, seed: SEED + index, endOnFailure: true },
      );
    }
  });

  it('a body of the right shape with hostile values and ids that exist or not: never a 5xx, a refusal appends nothing', async () => {
    for (const [index, op] of writes().entries()) {
      if (!op.body) continue;
      await fc.assert(
        fc.asyncProperty(pathOf(op.path, true), valueOf(op.body, pools), async (path, body) => {
          await probe('shaped body, hostile values', op.method, path, { key: keyFor(op), body });
        }),
        { numRuns: RUNS, seed: SEED + 1000 + index, endOnFailure: true },
      );
    }
  });

  it('text that is not JSON: 400 malformed-json; other media types: 415', async () => {
    for (const [index, op] of writes().entries()) {
      await fc.assert(
        fc.asyncProperty(pathOf(op.path, false), malformedJson, async (path, text) => {
          const answer = await probe('malformed JSON', op.method, path, { key: keyFor(op), raw: text });
          expect({ route: op.path, text, status: answer.status, type: (answer.json as { type?: string }).type }).toEqual({
            route: op.path,
            text,
            status: 400,
            type: expect.stringMatching(/\/(malformed-json|nesting-too-deep)$/),
          });
        }),
        { numRuns: Math.max(4, Math.round(RUNS / 3)), seed: SEED + 2000 + index, endOnFailure: true },
      );
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1']) {
        const answer = await probe('other media type', op.method, op.path.replace(/\{\w+\}/g, pools.ids[0]!), { key: keyFor(op), raw: '{"a":1}', headers: { 'content-type': type } });
        expect({ route: op.path, type, status: answer.status }).toEqual({ route: op.path, type, status: 415 });
      }
    }
  });

  it('malformed If-Match and Idempotency-Key headers: 400, and nothing appended', async () => {
    const printable = fc.string({ unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff })).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 40 }).map((s) => s.trim()).filter((s) => s.length > 0);
    const badIfMatch = printable.filter((s) => !/^\s*(?:"(-1|0|[1-9]\d{0,18})"|(-1|0|[1-9]\d{0,18}))\s*$/.test(s));
    const badKey = fc.oneof(printable.filter((s) => /[^\x20-\x7e]/.test(s)), fc.string({ minLength: 201, maxLength: 300, unit: fc.constantFrom('a', 'b', '-') }));
    const header = fc.oneof(badIfMatch.map((v) => ['if-match', v] as const), badKey.map((v) => ['idempotency-key', v] as const));
    // headers are read by the framework, the same for every route: bodies that are valid in every respect, so that
    // nothing but the header can be wrong
    const valid: Array<[string, unknown]> = [
      ['/v1/partners/applications', { organisation: { name: 'Kopfzeilen GmbH', category: 'employer' }, contact: { name: 'K. Zeile', email: 'k@example.org' }, channel: 'form', receivedOn: '2025-10-01' }],
      ['/v1/patron/statements', { text: 'Eine Erklärung.', language: 'de', occasion: 'Test', issuedOn: '2025-10-01' }],
      [`/v1/patron/statements/${pools.ids[3]}/corrections`, { text: 'Berichtigt.', reason: 'Tippfehler', occurredAt: '2025-10-02T10:00:00+02:00' }],
    ];
    for (const [index, [path, body]] of valid.entries()) {
      await fc.assert(
        fc.asyncProperty(header, async ([name, value]) => {
          const answer = await probe(`bad ${name}`, 'POST', path, { key: KEYS.office, body, headers: { [name]: value } });
          expect({ path, name, value, status: answer.status }).toEqual({ path, name, value, status: 400 });
        }),
        { numRuns: RUNS * 2, seed: SEED + 3000 + index, endOnFailure: true },
      );
    }
    // on every route: whatever else is wrong, never a 5xx and nothing appended
    for (const [index, op] of writes().entries()) {
      if (!op.body) continue;
      await fc.assert(
        fc.asyncProperty(pathOf(op.path, false), valueOf(op.body, pools), header, async (path, body, [name, value]) => {
          const answer = await probe(`bad ${name}`, op.method, path, { key: keyFor(op), body, headers: { [name]: value } });
          expect({ route: op.path, name, value, refused: answer.status === 400 || answer.status === 422 }).toEqual({ route: op.path, name, value, refused: true });
        }),
        { numRuns: Math.max(3, Math.round(RUNS / 4)), seed: SEED + 3500 + index, endOnFailure: true },
      );
    }
  });

  it('oversize bodies: 413; deep and huge JSON: refused at once with a short answer', async () => {
    const oversize = `{"text":"${'x'.repeat(BODY_LIMIT)}"}`;
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const manyKeys = JSON.stringify(Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`k${i}`, 1])));
    const longArray = JSON.stringify(Array.from({ length: 200_000 }, () => 1));
    // oversize and deep bodies on every route; the huge ones (each parsed and validated in full) on a sample in CI
    const huge = new Set(fc.sample(fc.shuffledSubarray(writes(), { minLength: Math.min(HUGE_ROUTES, writes().length), maxLength: Math.min(HUGE_ROUTES, writes().length) }), { numRuns: 1, seed: SEED })[0]!.map((o) => o.path));
    const timings: Record<string, number[]> = {};
    for (const op of writes()) {
      const path = op.path.replace(/\{\w+\}/g, pools.ids[0]!);
      const big = await probe('oversize body', op.method, path, { key: keyFor(op), raw: oversize });
      expect({ route: op.path, status: big.status }).toEqual({ route: op.path, status: 413 });
      const bodies: Array<[string, string]> = [['deep JSON', deep]];
      if (huge.has(op.path)) bodies.push(['60,000 unknown fields', manyKeys], ['200,000-element array', longArray]);
      for (const [what, raw] of bodies) {
        const answer = await probe(what, op.method, path, { key: keyFor(op), raw });
        (timings[what] ??= []).push(answer.ms);
        expect({ route: op.path, what, status: answer.status }).toEqual({ route: op.path, what, status: 400 });
        // refused cheaply: the answer is short (no echo of every field) and quick
        expect({ route: op.path, what, bytes: answer.text.length < 16_384 }).toEqual({ route: op.path, what, bytes: true });
        expect({ route: op.path, what, quick: answer.ms < 3000 }).toEqual({ route: op.path, what, quick: true });
      }
    }
    report('bad input: oversize, deep and huge bodies', {
      routes: writes().length,
      routesWithHugeBodies: huge.size,
      ...Object.fromEntries(Object.entries(timings).map(([what, ms]) => [what, { requests: ms.length, p50Ms: percentile(ms, 50), maxMs: percentile(ms, 100) }])),
    });
  });

  it('query strings and path parameters of every GET route: never a 5xx', async () => {
    const reads = operations.filter((o) => o.method === 'GET' && o.path !== '/v1/live' && o.path !== '/docs');
    const value = fc.oneof(nastyString(0, 30), fc.constantFrom('2025-02-30', '-1', '0', '99999999999999999999', '1e3', 'NaN', '2025-10-01T10:00:00Z', 'admitted', ''), fc.integer().map(String));
    for (const [index, op] of reads.entries()) {
      const names = [...op.query.map((q) => q.name), 'unknown'];
      await fc.assert(
        fc.asyncProperty(pathOf(op.path, true), fc.dictionary(fc.constantFrom(...names), value, { maxKeys: 4 }), fc.constantFrom<string | undefined>(undefined, KEYS.auditor), async (path, query, key) => {
          const search = new URLSearchParams(query).toString();
          await probe('GET query', 'GET', `${path}${search ? `?${search}` : ''}`, key === undefined ? {} : { key });
        }),
        { numRuns: RUNS, seed: SEED + 4000 + index, endOnFailure: true },
      );
    }
  });

  it('afterwards: the server is alive, the ledger verifies, and no refused request appended anything', async () => {
    expect((await get(server.url, '/health/live')).status).toBe(200);
    const verification = await verifyLedger(server.store);
    expect(verification.ok).toBe(true);
    expect(refusedButAppended).toBe(0);
    expect(Object.keys(answers.counts).filter((s) => Number(s) >= 500)).toEqual([]);
    report('bad input: HTTP', {
      writeRoutes: writes().length,
      readRoutes: operations.filter((o) => o.method === 'GET').length,
      inputsTried: tried.total,
      byKind: tried.counts,
      answers: answers.counts,
      accepted,
      serverErrors: 0,
      refusedButAppended,
      eventsInLog: verification.checkedEvents,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
    });
  });
});
