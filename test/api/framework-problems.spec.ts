import fc from 'fast-check';
import request from 'supertest';
import { PROBLEM_BASE } from '../../src/api/problems';
import { bearer, KEYS, testApp, type TestApp } from './framework-harness';

/** Problem answers (RFC 9457) for everything a caller can get wrong, and for the server's own failures. */

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ env: { LEDGER_BODY_LIMIT: '2kb' } });
});
afterAll(async () => t.cleanup());

const office = bearer(KEYS.office);

function expectProblem(res: request.Response, status: number, slug: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: PROBLEM_BASE + slug, status, title: expect.any(String), detail: expect.any(String) });
  expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(ts|js):\d+/); // never a stack trace
}

describe('validation of bodies', () => {
  const post = (body: unknown) => request(t.app).post('/test/things').set('Authorization', office).send(body as object);

  it('accepts a valid body and answers 201 with id, revision and position', async () => {
    const res = await post({ name: 'a thing' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), revision: 0, position: expect.stringMatching(/^\d+$/) });
    expect(res.headers.etag).toBe('"0"');
    expect(res.headers.location).toBe(`/test/things/${res.body.id}`);
  });

  it('refuses an unknown field with 400 naming it', async () => {
    const res = await post({ name: 'x', colour: 'red' });
    expectProblem(res, 400, 'bad-request');
    expect(res.body.errors).toEqual([{ path: 'colour', message: expect.stringMatching(/unknown field/) }]);
  });

  it('refuses an unknown field in a nested object declared without .strict()', async () => {
    const res = await post({ name: 'x', nested: { label: 'a', extra: 1 } });
    expectProblem(res, 400, 'bad-request');
    expect(res.body.errors).toEqual([{ path: 'nested.extra', message: expect.any(String) }]);
    const inArray = await post({ name: 'x', tags: [{ tag: 'a' }, { tag: 'b', more: true }] });
    expect(inArray.body.errors).toEqual([{ path: 'tags.1.more', message: expect.any(String) }]);
  });

  it('refuses recordedAt with 400 and says why, at the top or nested', async () => {
    const res = await post({ name: 'x', recordedAt: '2025-01-01T00:00:00Z' });
    expectProblem(res, 400, 'bad-request');
    expect(res.body.detail).toMatch(/recordedAt is set by the server/);
    expect(res.body.errors).toEqual([{ path: 'recordedAt', message: expect.stringMatching(/set by the server/) }]);
    const nested = await post({ name: 'x', nested: { label: 'a', recordedAt: 'now' } });
    expect(nested.body.errors[0].path).toBe('nested.recordedAt');
  });

  it('answers 400 for a missing field, a wrong JSON type, a non-object body', async () => {
    expectProblem(await post({}), 400, 'bad-request');
    expect((await post({})).body.errors).toEqual([{ path: 'name', message: 'required field is missing' }]);
    expectProblem(await post({ name: 42 }), 400, 'bad-request');
    expectProblem(await post([{ name: 'x' }]), 400, 'bad-request');
    const string = await request(t.app).post('/test/things').set('Authorization', office).type('json').send('"just a string"');
    expectProblem(string, 400, 'bad-request');
    const none = await request(t.app).post('/test/things').set('Authorization', office);
    expectProblem(none, 400, 'bad-request');
  });

  it('answers 422 for well-formed JSON that breaks a schema rule', async () => {
    const date = await post({ name: 'x', date: '2025-02-30' });
    expectProblem(date, 422, 'unprocessable-content');
    expect(date.body.errors).toEqual([{ path: 'date', message: 'not a calendar date' }]);
    expectProblem(await post({ name: 'x'.repeat(21) }), 422, 'unprocessable-content');
    expectProblem(await post({ name: 'x', count: 11 }), 422, 'unprocessable-content');
  });

  it('answers 400 when shape and rule issues come together, listing both', async () => {
    const res = await post({ name: 'x'.repeat(21), extra: 1 });
    expectProblem(res, 400, 'bad-request');
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['extra', 'name']);
  });

  it('answers 400 for malformed JSON', async () => {
    const res = await request(t.app).post('/test/things').set('Authorization', office).type('json').send('{"name": "x",');
    expectProblem(res, 400, 'malformed-json');
  });

  it('answers 400 for huge numbers rather than failing', async () => {
    const res = await request(t.app).post('/test/things').set('Authorization', office).type('json').send('{"name":"x","count":1e400}');
    expectProblem(res, 400, 'bad-request');
    const big = await request(t.app).post('/test/things').set('Authorization', office).type('json').send('{"name":"x","count":123456789012345678901234567890}');
    expectProblem(big, 422, 'unprocessable-content');
  });

  it('refuses deep nesting before parsing: 400, whatever the schema', async () => {
    const deep = '{"name":"x","nested":' + '['.repeat(40) + ']'.repeat(40) + '}';
    const res = await request(t.app).post('/test/things').set('Authorization', office).type('json').send(deep);
    expectProblem(res, 400, 'nesting-too-deep');
    // brackets inside strings do not count
    const inString = await post({ name: 'x', nested: { label: '[[[[' } });
    expect(inString.status).toBe(201);
  });

  it('answers 413 for a body over the limit', async () => {
    const res = await post({ name: 'x', padding: 'y'.repeat(4000) });
    expectProblem(res, 413, 'payload-too-large');
  });

  it('answers 415 for a body that is not JSON', async () => {
    const res = await request(t.app).post('/test/things').set('Authorization', office).type('text/plain').send('name=x');
    expectProblem(res, 415, 'unsupported-media-type');
    const form = await request(t.app).post('/test/things').set('Authorization', office).type('form').send({ name: 'x' });
    expectProblem(form, 415, 'unsupported-media-type');
  });

  it('answers 415 for JSON in a charset other than UTF-8, and refuses __proto__ as an unknown field', async () => {
    const latin1 = await request(t.app)
      .post('/test/things')
      .set('Authorization', office)
      .set('Content-Type', 'application/json; charset=latin1')
      .send('{"name":"x"}');
    expectProblem(latin1, 415, 'unsupported-media-type');
    const proto = await request(t.app).post('/test/things').set('Authorization', office).type('json').send('{"name":"x","__proto__":{"admin":true}}');
    expectProblem(proto, 400, 'bad-request');
    expect(proto.body.errors).toEqual([{ path: '__proto__', message: expect.any(String) }]);
  });

  it('refuses a body on a route that takes none', async () => {
    const res = await request(t.app).post('/test/admin').set('Authorization', bearer(KEYS.admin)).send({ anything: 1 });
    expectProblem(res, 400, 'bad-request');
    expect((await request(t.app).post('/test/admin').set('Authorization', bearer(KEYS.admin))).status).toBe(200);
    expect((await request(t.app).post('/test/admin').set('Authorization', bearer(KEYS.admin)).send({})).status).toBe(200);
  });
});

describe('validation of query strings and paths', () => {
  it('answers 400 for a malformed or unknown query parameter', async () => {
    expectProblem(await request(t.app).get('/test/numbers?limit=abc'), 400, 'bad-request');
    expectProblem(await request(t.app).get('/test/numbers?limit=501'), 400, 'bad-request');
    expectProblem(await request(t.app).get('/test/numbers?asOf=2025-02-30'), 400, 'bad-request');
    const unknown = await request(t.app).get('/test/numbers?asof=2025-01-01');
    expectProblem(unknown, 400, 'bad-request');
    expect(unknown.body.errors).toEqual([{ path: 'asof', message: expect.stringMatching(/unknown query parameter/) }]);
    expectProblem(await request(t.app).get('/test/numbers?page=1&page=2'), 400, 'bad-request');
  });

  it('answers 400 for a malformed path parameter and for a path that cannot be decoded', async () => {
    const res = await request(t.app).post('/test/things/not-a-uuid/renames').set('Authorization', office).send({ name: 'y' });
    expectProblem(res, 400, 'bad-request');
    expect(res.body.errors[0].path).toBe('id');
    expectProblem(await request(t.app).get('/test/failures/%E0%A4%A'), 400, 'bad-request');
  });

  it('answers 404 for a route that does not exist', async () => {
    expectProblem(await request(t.app).get('/v1/nothing-here'), 404, 'not-found');
  });
});

describe('authentication and roles', () => {
  it('answers 401 with WWW-Authenticate when a protected route gets no key', async () => {
    const res = await request(t.app).get('/test/read');
    expectProblem(res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('answers 401 for an unknown key, also on a public route', async () => {
    for (const path of ['/test/read', '/test/whoami']) {
      const res = await request(t.app).get(path).set('Authorization', bearer('not-a-known-key'));
      expectProblem(res, 401, 'unauthorized');
      expect(res.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    }
    expectProblem(await request(t.app).get('/test/whoami').set('Authorization', 'Basic dXNlcjpwdw=='), 401, 'unauthorized');
    expectProblem(await request(t.app).get('/test/whoami').set('Authorization', `Bearer ${KEYS.office}x`), 401, 'unauthorized');
  });

  it('answers 403 for a known key of the wrong role', async () => {
    const write = await request(t.app).post('/test/things').set('Authorization', bearer(KEYS.auditor)).send({ name: 'x' });
    expectProblem(write, 403, 'forbidden');
    expectProblem(await request(t.app).post('/test/admin').set('Authorization', office), 403, 'forbidden');
    expectProblem(await request(t.app).post('/test/things').set('Authorization', bearer(KEYS.admin)).send({ name: 'x' }), 403, 'forbidden');
  });

  it('authorises before reading the body: an anonymous caller gets 401, not a validation answer', async () => {
    expectProblem(await request(t.app).post('/test/things').send({ bogus: true }), 401, 'unauthorized');
  });

  it('gives public handlers the caller, anonymous or not', async () => {
    const anonymous = await request(t.app).get('/test/whoami');
    expect(anonymous.body).toMatchObject({ role: 'anonymous', personal: false });
    const auditor = await request(t.app).get('/test/whoami').set('Authorization', bearer(KEYS.auditor));
    expect(auditor.body).toMatchObject({ role: 'auditor', id: expect.stringMatching(/^auditor-[0-9a-f]{16}$/), personal: true });
    expect(auditor.body.id).not.toContain(KEYS.auditor);
    const lower = await request(t.app).get('/test/whoami').set('Authorization', `bearer ${KEYS.admin}`);
    expect(lower.body.role).toBe('admin');
  });

  it('admits each role where the matrix says', async () => {
    for (const key of [KEYS.office, KEYS.auditor, KEYS.admin]) {
      expect((await request(t.app).get('/test/read').set('Authorization', bearer(key))).status).toBe(200);
    }
    expect((await request(t.app).post('/test/admin').set('Authorization', bearer(KEYS.admin))).status).toBe(200);
  });
});

describe('errors from the domain, the ledger and the store', () => {
  it('maps a broken domain rule to 409 with the rule in the type', async () => {
    const res = await request(t.app).post('/test/things').set('Authorization', office).send({ name: 'forbidden' });
    expectProblem(res, 409, 'name-forbidden');
    expect(res.body.rule).toBe('name-forbidden');
  });

  it('maps NotFound to 404, a concurrency conflict to 409, contention and an unreachable store to 503', async () => {
    expectProblem(await request(t.app).get('/test/failures/not-found'), 404, 'not-found');
    expectProblem(await request(t.app).get('/test/failures/conflict'), 409, 'concurrency-conflict');
    const contention = await request(t.app).get('/test/failures/contention');
    expectProblem(contention, 503, 'too-much-contention');
    expect(contention.headers['retry-after']).toBeDefined();
    const unavailable = await request(t.app).get('/test/failures/unavailable');
    expectProblem(unavailable, 503, 'store-unavailable');
    expect(unavailable.body.detail).not.toContain('/srv');
    expectProblem(await request(t.app).get('/test/failures/options'), 400, 'invalid-command-options');
  });

  it('answers 500 with a generic detail for anything unexpected', async () => {
    const res = await request(t.app).get('/test/failures/boom');
    expectProblem(res, 500, 'internal-error');
    expect(JSON.stringify(res.body)).not.toContain('secret');
    expect(res.body.correlationId).toBe(res.headers['x-correlation-id']);
  });

  it('answers 412 when If-Match does not hold, before any domain rule', async () => {
    const created = await request(t.app).post('/test/things').set('Authorization', office).send({ name: 'a' });
    const path = `/test/things/${created.body.id}/renames`;
    const stale = await request(t.app).post(path).set('Authorization', office).set('If-Match', '"5"').send({ name: 'forbidden' });
    expectProblem(stale, 412, 'precondition-failed');
    expect(stale.body.currentRevision).toBe(0);
    const fresh = await request(t.app).post(path).set('Authorization', office).set('If-Match', created.headers.etag!).send({ name: 'b' });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.etag).toBe('"1"');
    const bare = await request(t.app).post(path).set('Authorization', office).set('If-Match', '1').send({ name: 'c' });
    expect(bare.body.revision).toBe(2);
  });

  it('answers 400 for an If-Match that is not one revision', async () => {
    for (const value of ['*', 'W/"1"', '"1", "2"', '"abc"', '"-2"', '"99999999999999999999"']) {
      const res = await request(t.app).post('/test/things').set('Authorization', office).set('If-Match', value).send({ name: 'x' });
      expectProblem(res, 400, 'bad-request');
    }
  });

  it('answers 412 for If-Match "-1" on a stream that exists, and creates with it otherwise', async () => {
    const res = await request(t.app).post('/test/things').set('Authorization', office).set('If-Match', '"-1"').send({ name: 'x' });
    expect(res.status).toBe(201);
    const again = await request(t.app)
      .post(`/test/things/${res.body.id}/renames`)
      .set('Authorization', office)
      .set('If-Match', '"-1"')
      .send({ name: 'y' });
    expectProblem(again, 412, 'precondition-failed');
  });
});

describe('never a 500 for what a caller sends', () => {
  it('answers any JSON body with 201, 400, 409 or 422', async () => {
    const bodies = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.record({ name: fc.oneof(fc.string(), fc.jsonValue()), date: fc.string(), count: fc.oneof(fc.double(), fc.integer()) }, { requiredKeys: [] }),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const res = await request(t.app).post('/test/things').set('Authorization', office).type('json').send(JSON.stringify(body));
        expect([201, 400, 409, 422]).toContain(res.status);
      }),
      { numRuns: 150 },
    );
  });

  it('answers any bytes sent as JSON with 400 or better', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
        const res = await request(t.app).post('/test/things').set('Authorization', office).type('json').send(Buffer.from(bytes));
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 100 },
    );
  });

  it('answers any query string with 200 or 400', async () => {
    const params = fc.dictionary(fc.constantFrom('after', 'limit', 'stream', 'type', 'from', 'to', 'x'), fc.string(), { maxKeys: 4 });
    await fc.assert(
      fc.asyncProperty(params, async (query) => {
        const res = await request(t.app).get('/v1/events').query(query).set('Authorization', bearer(KEYS.auditor));
        expect([200, 400]).toContain(res.status);
      }),
      { numRuns: 100 },
    );
  });
});
