import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { apiInfo } from '../../src/api/app';
import { PROBLEM_BASE } from '../../src/api/problems';
import { bearer, KEYS, testApp, type TestApp } from './framework-harness';

/** Cross-cutting HTTP behaviour: rate limit, security headers, pagination, health, logs, the route list. */

const apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.cleanup();
});
async function fresh(options: Parameters<typeof testApp>[0] = {}): Promise<TestApp> {
  const app = await testApp(options);
  apps.push(app);
  return app;
}

describe('rate limit', () => {
  it('answers 429 as a problem with RateLimit headers past the limit, per key', async () => {
    const t = await fresh({ env: { LEDGER_RATE_LIMIT: '3/min' } });
    const office = bearer(KEYS.office);
    for (let i = 0; i < 3; i++) {
      const ok = await request(t.app).get('/test/read').set('Authorization', office);
      expect(ok.status).toBe(200);
      expect(ok.headers['ratelimit-policy']).toMatch(/q=3; w=60/);
      expect(ok.headers.ratelimit).toMatch(/r=\d+; t=\d+/);
    }
    const limited = await request(t.app).get('/test/read').set('Authorization', office);
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(limited.body).toMatchObject({ type: `${PROBLEM_BASE}rate-limited`, status: 429 });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers.ratelimit).toMatch(/r=0/);
    // another key has its own allowance; anonymous callers count by address
    expect((await request(t.app).get('/test/read').set('Authorization', bearer(KEYS.auditor))).status).toBe(200);
    expect((await request(t.app).get('/test/whoami')).status).toBe(200);
    // health probes are not counted
    for (let i = 0; i < 5; i++) expect((await request(t.app).get('/health/live')).status).toBe(200);
  });

  it('is off with LEDGER_RATE_LIMIT=0', async () => {
    const t = await fresh({ env: { LEDGER_RATE_LIMIT: '0' } });
    const res = await request(t.app).get('/test/whoami');
    expect(res.headers.ratelimit).toBeUndefined();
  });
});

describe('security headers', () => {
  it('sends helmet headers and no X-Powered-By', async () => {
    const t = await fresh();
    const res = await request(t.app).get('/health/live');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['strict-transport-security']).toBeDefined();
  });
});

describe('pagination', () => {
  it('pages with page and limit, links built from the request', async () => {
    const t = await fresh();
    const first = await request(t.app).get('/test/numbers');
    expect(first.body.pagination).toEqual({ totalElements: 120, elementsPerPage: 50, currentPage: 1 });
    expect(first.body.data).toHaveLength(50);
    expect(first.body.links).toEqual({ self: '/test/numbers', next: '/test/numbers?page=2' });

    const last = await request(t.app).get('/test/numbers?limit=50&page=3&asOf=2025-01-01');
    expect(last.body.data).toEqual(Array.from({ length: 20 }, (_, i) => 101 + i));
    expect(last.body.links).toEqual({
      self: '/test/numbers?limit=50&page=3&asOf=2025-01-01',
      prev: '/test/numbers?limit=50&page=2&asOf=2025-01-01',
    });

    const beyond = await request(t.app).get('/test/numbers?page=9&limit=100');
    expect(beyond.body.data).toEqual([]);
    expect(beyond.body.links.prev).toBe('/test/numbers?page=2&limit=100');
  });
});

describe('health', () => {
  it('answers live always, and ready only once ready() says so', async () => {
    let ready = false;
    const t = await fresh({ ready: () => ready });
    expect((await request(t.app).get('/health/live')).status).toBe(200);
    const notYet = await request(t.app).get('/health/ready');
    expect(notYet.status).toBe(503);
    expect(notYet.body.type).toBe(`${PROBLEM_BASE}not-ready`);
    ready = true;
    expect((await request(t.app).get('/health/ready')).body).toEqual({ status: 'ready' });
  });

  it('is not ready while ready() fails', async () => {
    const t = await fresh({ ready: async () => Promise.reject(new Error('projection crashed')) });
    expect((await request(t.app).get('/health/ready')).status).toBe(503);
  });
});

describe('request logs', () => {
  it('log one line per request with the correlation id, never the body, the key or the query', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const t = await fresh({ logger: pino({ level: 'info' }, sink) });
    await request(t.app)
      .post('/test/things')
      .set('Authorization', bearer(KEYS.office))
      .set('X-Correlation-Id', 'log-test-1')
      .send({ name: 'Erika Mustermann' });
    await request(t.app).get('/test/numbers?asOf=2025-01-01').set('X-Correlation-Id', 'log-test-2');
    await request(t.app).get('/test/failures/boom').set('X-Correlation-Id', 'log-test-3');
    const all = lines.join('');
    expect(all).not.toContain('Erika');
    expect(all).not.toContain(KEYS.office);
    expect(all).not.toContain('asOf');
    const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    expect(requests).toEqual([
      expect.objectContaining({ correlationId: 'log-test-1', method: 'POST', route: 'POST /test/things', status: 201, caller: expect.stringMatching(/^office-/) }),
      expect.objectContaining({ correlationId: 'log-test-2', route: 'GET /test/numbers', status: 200, caller: 'anonymous' }),
      expect.objectContaining({ correlationId: 'log-test-3', status: 500 }),
    ]);
    const failure = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'request failed');
    expect(failure).toMatchObject({ correlationId: 'log-test-3', err: { message: 'secret internals at /srv/ledger' } });
  });
});

describe('the route list', () => {
  it('lists every route with its auth level, from the same registry as the document', async () => {
    const t = await fresh();
    const { routes, document } = apiInfo(t.app);
    expect(routes).toEqual(
      expect.arrayContaining([
        { method: 'post', path: '/test/things', auth: 'write', summary: 'Record a thing', takesBody: true },
        expect.objectContaining({ method: 'get', path: '/v1/events', auth: 'read' }),
        expect.objectContaining({ method: 'get', path: '/health/live', auth: 'public' }),
      ]),
    );
    for (const route of routes) {
      const operation = (document.paths?.[route.path] as Record<string, { 'x-roles'?: string[] }> | undefined)?.[route.method];
      expect(operation).toBeDefined();
    }
  });

  it('answers every listed route according to its auth level (the matrix, on the test routes)', async () => {
    const t = await fresh();
    const callers: Array<[string, string | undefined]> = [
      ['anonymous', undefined],
      ['office', KEYS.office],
      ['auditor', KEYS.auditor],
      ['admin', KEYS.admin],
    ];
    const admitted: Record<string, string[]> = {
      public: ['anonymous', 'office', 'auditor', 'admin'],
      read: ['office', 'auditor', 'admin'],
      write: ['office'],
      admin: ['admin'],
    };
    for (const route of apiInfo(t.app).routes) {
      if (route.path === '/v1/live') continue; // a stream: covered in the audit specs
      const path = route.path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
      for (const [role, key] of callers) {
        let req = request(t.app)[route.method](path);
        if (key) req = req.set('Authorization', bearer(key));
        const res = await req;
        const expected = admitted[route.auth]!.includes(role) ? 'admitted' : key ? 403 : 401;
        if (expected === 'admitted') expect([401, 403]).not.toContain(res.status);
        else expect(`${route.method} ${route.path} as ${role}: ${res.status}`).toBe(`${route.method} ${route.path} as ${role}: ${expected}`);
      }
    }
  });
});
