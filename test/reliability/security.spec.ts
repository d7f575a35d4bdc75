import fc from 'fast-check';
import { createHandlers } from '../../src/handlers';
import { Ledger } from '../../src/ledger/ledger';
import { seedPressRelease, type SeedResult } from '../../src/seed/press-release';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store';
import { param, report, SEED, Tally } from './support/figures';
import { get, KEYS, post, problemFaults, request, showsInside, type Answer, type RequestOptions } from './support/http';
import { startInProcess, tempDirectory, type InProcessServer } from './support/servers';

/**
 * Security over HTTP against the real server: the route × role matrix of API.md for every route the server
 * documents; unknown, empty and malformed keys; the rate limit with its headers; no personal data for anonymous
 * callers; no stack trace or server path in any answer.
 */
const KEY_RUNS = param('RELIABILITY_KEY_RUNS', 150, 1500);

jest.setTimeout(120_000);

type Role = 'anonymous' | 'office' | 'auditor' | 'admin';
const ROLES: Role[] = ['anonymous', 'office', 'auditor', 'admin'];
const keyOf = (role: Role): string | undefined => (role === 'anonymous' ? undefined : KEYS[role]);

/** Who may call a route, by API.md's rules (written down here, not taken from the server). */
function admitted(method: string, path: string): Role[] {
  if (path.startsWith('/v1/subjects/')) return ['admin'];
  if (method !== 'GET') return ['office'];
  if (['/v1/events', '/v1/streams/{stream}', '/v1/live', '/v1/ledger/verification'].includes(path)) return ['office', 'auditor', 'admin'];
  return ROLES;
}

/** Personal data recorded through the API: none of it may reach an anonymous caller. */
const PERSONAL = {
  contactName: 'Zdenka Quellbrunn-Personal',
  email: 'zdenka.quellbrunn@personal.example.org',
  phone: '+49 351 7654321',
  deputyName: 'Wendelin Oberhauser-Personal',
};

let tmp: ReturnType<typeof tempDirectory>;
let server: InProcessServer;
let seeded: SeedResult;
let operations: Array<{ method: string; path: string; roles: string[] }>;
let ids: Record<string, string>;
const answersSeen = new Tally();
const inspected: Answer[] = [];

async function call(method: string, path: string, options: RequestOptions = {}, base = server.url): Promise<Answer> {
  const answer = await request(base, method, path, options);
  answersSeen.add(answer.status);
  inspected.push(answer);
  expect({ method, path, status: answer.status, faults: problemFaults(answer) }).toEqual({ method, path, status: answer.status, faults: [] });
  expect({ method, path, serverError: answer.status >= 500 }).toEqual({ method, path, serverError: false });
  return answer;
}

beforeAll(async () => {
  tmp = tempDirectory('ledger-reliability-security-');
  const store = await openEmbeddedStore({ path: tmp.ledgerDb });
  seeded = await seedPressRelease(createHandlers(new Ledger(store))).finally(() => store.close());
  server = await startInProcess(tmp.dir);
  const application = await post(
    server.url,
    '/v1/partners/applications',
    { organisation: { name: 'Datenschutz Probe e. V.', category: 'association' }, contact: { name: PERSONAL.contactName, email: PERSONAL.email, phone: PERSONAL.phone }, channel: 'email', receivedOn: '2025-10-01' },
    { key: KEYS.office },
  );
  expect(application.status).toBe(201);
  const deputy = await post(server.url, `/v1/board/members/${seeded.ids.memberIds[2]}/deputies`, { name: PERSONAL.deputyName, startDate: '2025-10-01' }, { key: KEYS.office });
  expect(deputy.status).toBe(201);
  const document = (await get(server.url, '/openapi.json')).json as { paths: Record<string, Record<string, { 'x-roles'?: string[] }>> };
  operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, roles: op['x-roles'] ?? [] })));
  ids = {
    id: (application.json as { id: string }).id,
    stream: `partner-${(application.json as { id: string }).id}`,
    deputyId: (deputy.json as { id: string }).id,
    partnerId: seeded.ids.partnerId,
    subjectId: seeded.ids.partnerId,
  };
});

afterAll(async () => {
  await server?.close();
  tmp?.remove();
});

const fill = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? ids.id!);

describe('security over HTTP', () => {
  it('the route × role matrix: every route admits exactly the roles API.md names (401 without a key, 403 for another role)', async () => {
    let cells = 0;
    const head = async () => (await server.store.headPosition()) ?? 0n;
    for (const op of operations) {
      const expected = admitted(op.method, op.path);
      expect({ route: `${op.method} ${op.path}`, documented: [...op.roles].sort() }).toEqual({ route: `${op.method} ${op.path}`, documented: [...expected].sort() });
      for (const role of ROLES) {
        const before = await head();
        // a write carries an empty body: admitted, it is refused as bad input (400) and appends nothing either way
        const answer = await call(op.method, fill(op.path), { key: keyOf(role), ...(op.method === 'POST' && { body: {} }), headersOnly: op.path === '/v1/live', timeoutMs: 10_000 });
        cells += 1;
        const cell = { route: `${op.method} ${op.path}`, role };
        if (expected.includes(role)) {
          expect({ ...cell, refused: answer.status === 401 || answer.status === 403 }).toEqual({ ...cell, refused: false });
        } else if (role === 'anonymous') {
          expect({ ...cell, status: answer.status, challenge: answer.headers.get('www-authenticate') }).toEqual({ ...cell, status: 401, challenge: expect.stringMatching(/^Bearer /) });
        } else {
          expect({ ...cell, status: answer.status }).toEqual({ ...cell, status: 403 });
        }
        expect({ ...cell, appended: Number((await head()) - before) }).toEqual({ ...cell, appended: 0 });
      }
    }
    report('security: route × role matrix', { routes: operations.length, roles: ROLES.length, cells, mismatches: 0 });
  });

  it('unknown, empty and malformed keys: 401 on every protected route, never a 2xx, never a 5xx, nothing appended', async () => {
    const office = KEYS.office;
    const fixed: Array<[string, string]> = [
      ['unknown key', 'Bearer not-a-key-of-this-ledger'],
      ['empty bearer', 'Bearer '],
      ['scheme only', 'Bearer'],
      ['basic scheme', `Basic ${Buffer.from(`office:${office}`).toString('base64')}`],
      ['key with a character more', `Bearer ${office}x`],
      ['key with a character less', `Bearer ${office.slice(0, -1)}`],
      ['key in upper case', `Bearer ${office.toUpperCase()}`],
      ['two keys', `Bearer ${office}, Bearer ${KEYS.admin}`],
      ['key and junk', `Bearer ${office} junk`],
      ['quoted key', `Bearer "${office}"`],
      ['10 KB key', `Bearer ${'k'.repeat(10_000)}`],
      ['key without scheme', office],
    ];
    const protectedRoutes: Array<[string, string, unknown]> = [
      ['GET', '/v1/events', undefined],
      ['GET', '/v1/ledger/verification', undefined],
      ['POST', '/v1/partners/applications', { organisation: { name: 'Schlüsselprobe', category: 'other' }, contact: { name: 'S. Probe', email: 's@example.org' }, channel: 'form', receivedOn: '2025-10-01' }],
    ];
    const before = await server.store.headPosition();
    const tally = new Tally();
    const check = async (what: string, authorization: string) => {
      for (const [method, path, body] of protectedRoutes) {
        const answer = await call(method, path, { headers: { authorization }, ...(body !== undefined && { body }) });
        tally.add(answer.status);
        expect({ what, method, path, status: answer.status }).toEqual({ what, method, path, status: 401 });
      }
      // a public route with a wrong key says so too, rather than answering as if anonymous
      const open = await call('GET', '/v1/partners', { headers: { authorization } });
      expect({ what, status: open.status }).toEqual({ what, status: 401 });
    };
    for (const [what, authorization] of fixed) await check(what, authorization);
    // an empty header is no key at all: anonymous, 401 on protected routes, public routes answer
    expect((await call('GET', '/v1/events', { headers: { authorization: '' } })).status).toBe(401);
    expect((await call('GET', '/v1/partners', { headers: { authorization: '' } })).status).toBe(200);

    const printable = fc.string({ unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff })).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 80 });
    const authorization = fc.oneof(
      printable,
      printable.map((k) => `Bearer ${k}`),
      fc.constantFrom(...Object.values(KEYS)).chain((key) => fc.nat(key.length - 1).map((cut) => `Bearer ${key.slice(0, cut)}${key.slice(cut + 1)}`)),
    ).filter((h) => h.trim() !== '' && !Object.values(KEYS).some((k) => h.trim().replace(/^bearer +/i, '') === k));
    await fc.assert(fc.asyncProperty(authorization, async (h) => check('random key', h)), { numRuns: KEY_RUNS, seed: SEED, endOnFailure: true });
    expect(await server.store.headPosition()).toBe(before);
    report('security: keys', { fixedCases: fixed.length, randomKeys: KEY_RUNS, requests: tally.total + (fixed.length + KEY_RUNS), answers: tally.counts, admitted: 0, appended: 0 });
  });

  it('past the rate limit: 429 with RateLimit headers and Retry-After, per key and per address; health probes are not counted', async () => {
    const limited = tempDirectory('ledger-reliability-ratelimit-');
    const limitedServer = await startInProcess(limited.dir, { LEDGER_RATE_LIMIT: '20/min' });
    try {
      const url = limitedServer.url;
      const statuses = new Tally();
      const burst = async (key: string | undefined, count: number) => {
        const got: Answer[] = [];
        for (let i = 0; i < count; i++) got.push(await call('GET', '/v1/partners', { key }, url));
        for (const a of got) statuses.add(a.status);
        return got;
      };
      const office = await burst(KEYS.office, 25);
      expect(office.slice(0, 20).map((a) => a.status)).toEqual(Array(20).fill(200));
      expect(office.slice(20).map((a) => a.status)).toEqual(Array(5).fill(429));
      for (const a of office) {
        expect(a.headers.get('ratelimit-policy')).toMatch(/q=20/);
        expect(a.headers.get('ratelimit')).toMatch(/r=\d+/);
      }
      const refused = office[24]!;
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(refused.json).toMatchObject({ status: 429, type: expect.stringMatching(/rate-limited$/) });
      expect(refused.headers.get('ratelimit')).toMatch(/r=0/);
      // a write past the limit is refused too, before anything is appended
      const before = await limitedServer.store.headPosition();
      const write = await call('POST', '/v1/partners/applications', { key: KEYS.office, body: { organisation: { name: 'Zu viel', category: 'other' }, contact: { name: 'Z. Viel', email: 'z@example.org' }, channel: 'form', receivedOn: '2025-10-01' } }, url);
      expect(write.status).toBe(429);
      expect(await limitedServer.store.headPosition()).toBe(before);
      // another key has its own allowance, anonymous callers one per address
      expect((await burst(KEYS.auditor, 20)).every((a) => a.status === 200)).toBe(true);
      const anonymous = await burst(undefined, 21);
      expect(anonymous.map((a) => a.status)).toEqual([...Array(20).fill(200), 429]);
      expect((await call('GET', '/health/live', {}, url)).status).toBe(200);
      expect((await call('GET', '/health/ready', {}, url)).status).toBe(200);
      report('security: rate limit', { limitPerMinute: 20, requests: statuses.total + 3, answers: statuses.counts, writesAppendedPastLimit: 0 });
    } finally {
      await limitedServer.close();
      limited.remove();
    }
  });

  it('no personal data for anonymous callers on any public route, on any date', async () => {
    const secrets = Object.values(PERSONAL);
    // the probe works: an office key sees the data
    const asOffice = await call('GET', `/v1/partners/${ids.id}`, { key: KEYS.office });
    expect(asOffice.text).toContain(PERSONAL.email);
    expect((await call('GET', '/v1/board', { key: KEYS.office })).text).toContain(PERSONAL.deputyName);

    const entities: Record<string, string[]> = {
      '/v1/partners/{id}': [ids.id!, seeded.ids.partnerId],
      '/v1/meetings/{id}': [seeded.ids.meetingId],
      '/v1/resolutions/{id}': [seeded.ids.resolutionId],
      '/v1/patron/statements/{id}': [seeded.ids.statementId],
    };
    const publicReads = operations.filter((o) => o.method === 'GET' && admitted(o.method, o.path).includes('anonymous'));
    const cuts = ['', '?asOf=2025-10-02', '?knownAt=2030-01-01T00:00:00Z', '?asOf=2025-09-12&knownAt=2030-01-01T00:00:00Z'];
    let reads = 0;
    for (const op of publicReads) {
      const paths = op.path.includes('{') ? (entities[op.path] ?? []).map((id) => op.path.replace('{id}', id)) : [op.path];
      for (const path of paths) {
        for (const cut of op.path.startsWith('/v1/ledger') || op.path.startsWith('/health') || op.path === '/openapi.json' || op.path === '/docs' ? [''] : cuts) {
          const answer = await call('GET', `${path}${cut}`);
          reads += 1;
          const leaked = secrets.filter((s) => answer.text.includes(s));
          expect({ path: `${path}${cut}`, leaked }).toEqual({ path: `${path}${cut}`, leaked: [] });
          if (answer.status === 200 && answer.json && path !== '/openapi.json') {
            expect({ path: `${path}${cut}`, personal: personalFields(answer.json) }).toEqual({ path: `${path}${cut}`, personal: [] });
          }
        }
      }
    }
    // the raw log holds what the read models do not show: it is for key holders only
    expect((await call('GET', '/v1/events')).status).toBe(401);
    expect((await call('GET', `/v1/streams/${ids.stream}`)).status).toBe(401);
    report('security: personal data', { publicRoutes: publicReads.length, anonymousReads: reads, personalValuesLeaked: 0 });
  });

  it('no stack trace or server path in any answer, also for requests no route expects', async () => {
    const odd: Array<[string, string, RequestOptions]> = [
      ['PUT', '/v1/partners', { key: KEYS.office, body: {} }],
      ['DELETE', `/v1/partners/${ids.id}`, { key: KEYS.office }],
      ['PATCH', '/v1/board', { key: KEYS.office, body: {} }],
      ['OPTIONS', '/v1/partners', {}],
      ['HEAD', '/v1/partners', {}],
      ['GET', '/v1/../../etc/passwd', {}],
      ['GET', '/v1/partners/%E0%A4%A', {}],
      ['GET', '/v1/partners/%00', {}],
      ['GET', `/v1/partners?${'a='.repeat(2000)}`, {}],
      ['GET', `/v1/${'x'.repeat(8000)}`, {}],
      ['POST', '/v1/partners/applications', { key: KEYS.office, raw: '{"organisation":', headers: { 'content-type': 'application/json' } }],
      ['POST', '/v1/partners/applications', { key: KEYS.office, raw: '{}', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } }],
      ['POST', '/v1/partners/applications', { key: KEYS.office, raw: '{}', headers: { 'content-type': 'application/json', 'content-encoding': 'br, x' } }],
      ['POST', '/v1/partners/applications', { key: KEYS.office, raw: '\u00ff\u00fe{', headers: { 'content-type': 'application/json; charset=utf-16' } }],
      ['GET', '/v1/live?after=not-a-position', { key: KEYS.auditor }],
      ['GET', '/v1/live', { key: KEYS.auditor, headers: { 'last-event-id': '-5' } }],
      ['GET', '/v1/ledger/proofs/inclusion?eventId=x&size=-1', {}],
      ['GET', '/v1/ledger/proofs/consistency?from=5&to=1', {}],
      ['GET', '/v1/ledger/proofs/consistency?from=99999999999999999999&to=1', {}],
      ['GET', '/v1/events?after=-1&limit=100000', { key: KEYS.auditor }],
      ['GET', '/v1/streams/..%2F..%2Fetc', { key: KEYS.auditor }],
    ];
    for (const [method, path, options] of odd) {
      const answer = await call(method, path, options);
      expect({ method, path, inside: showsInside(answer.text) || showsInside([...answer.headers.values()].join('\n')) }).toEqual({ method, path, inside: false });
    }
    // every answer this suite received, the odd ones and all before them
    const withInside = inspected.filter((a) => showsInside(a.text)).length;
    expect(withInside).toBe(0);
    expect(inspected.every((a) => a.status === 0 || a.headers.get('x-content-type-options') === 'nosniff')).toBe(true);
    report('security: answers', { answersInspected: inspected.length, answers: answersSeen.counts, withStackTraceOrPath: withInside, serverErrors: 0 });
  });
});

/** `contact` objects with content, and `name`s of board members and deputies: personal data in a public answer. */
function personalFields(json: unknown, path = ''): string[] {
  if (Array.isArray(json)) return json.flatMap((item, i) => personalFields(item, `${path}.${i}`));
  if (typeof json !== 'object' || json === null) return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(json)) {
    const here = `${path}.${key}`;
    if (key === 'contact' && value !== null && value !== undefined) found.push(here);
    if (key === 'subjectId') found.push(here);
    if (key === 'name' && /\.(members|deputies)\.\d+$/.test(path)) found.push(here);
    found.push(...personalFields(value, here));
  }
  return found;
}
