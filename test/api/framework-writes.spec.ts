import request from 'supertest';
import { ledgerIdempotencyKey } from '../../src/api/headers';
import { PROBLEM_BASE } from '../../src/api/problems';
import { bearer, KEYS, testApp, type TestApp } from './framework-harness';

/** Writes: idempotency (also across a restart), correlation ids into event metadata, the actor. */

const office = bearer(KEYS.office);
const apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.cleanup();
});
async function fresh(dir?: string): Promise<TestApp> {
  const app = await testApp({ dir });
  apps.push(app);
  return app;
}

async function eventCount(t: TestApp): Promise<number> {
  let n = 0;
  for await (const _ of t.store.readAll()) n++;
  return n;
}

describe('Idempotency-Key', () => {
  it('answers a retried write with the first answer and appends nothing', async () => {
    const t = await fresh();
    const first = await request(t.app).post('/test/things').set('Authorization', office).set('Idempotency-Key', 'create-1').send({ name: 'a' });
    expect(first.status).toBe(201);
    const retry = await request(t.app)
      .post('/test/things')
      .set('Authorization', office)
      .set('Idempotency-Key', 'create-1')
      .type('json')
      .send('{ "name" : "a" }'); // the same JSON, written differently
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.etag).toBe(first.headers.etag);
    expect(retry.headers.location).toBe(first.headers.location);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await eventCount(t)).toBe(1);
  });

  it('still answers the first answer after the app is created anew on the same files', async () => {
    const t = await fresh();
    const first = await request(t.app).post('/test/things').set('Authorization', office).set('Idempotency-Key', 'k-restart').send({ name: 'a' });
    await t.close();
    const restarted = await fresh(t.dir);
    const retry = await request(restarted.app).post('/test/things').set('Authorization', office).set('Idempotency-Key', 'k-restart').send({ name: 'a' });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(await eventCount(restarted)).toBe(1);
  });

  it('comes out the same when the answer was lost: the ledger finds the events it appended', async () => {
    const t = await fresh();
    const first = await request(t.app).post('/test/things').set('Authorization', office).set('Idempotency-Key', 'k-lost').send({ name: 'a' });
    t.idempotency.prune(-1_000); // as if the process died before remembering the answer
    const retry = await request(t.app).post('/test/things').set('Authorization', office).set('Idempotency-Key', 'k-lost').send({ name: 'a' });
    expect(retry.body).toEqual(first.body);
    expect(await eventCount(t)).toBe(1);
  });

  it('answers 422 idempotency-key-reused for the same key with another body or path', async () => {
    const t = await fresh();
    const first = await request(t.app).post('/test/things').set('Authorization', office).set('Idempotency-Key', 'k-1').send({ name: 'a' });
    const other = await request(t.app).post('/test/things').set('Authorization', office).set('Idempotency-Key', 'k-1').send({ name: 'b' });
    expect(other.status).toBe(422);
    expect(other.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(other.body.type).toBe(`${PROBLEM_BASE}idempotency-key-reused`);
    const otherPath = await request(t.app)
      .post(`/test/things/${first.body.id}/renames`)
      .set('Authorization', office)
      .set('Idempotency-Key', 'k-1')
      .send({ name: 'a' });
    expect(otherPath.status).toBe(422);
    expect(await eventCount(t)).toBe(1);
  });

  it('keeps the keys of two callers apart', async () => {
    const t = await fresh();
    const one = await request(t.app).post('/test/things').set('Authorization', office).set('Idempotency-Key', 'shared').send({ name: 'a' });
    const two = await request(t.app)
      .post('/test/things')
      .set('Authorization', bearer(KEYS.office2))
      .set('Idempotency-Key', 'shared')
      .send({ name: 'b' });
    expect(two.status).toBe(201);
    expect(two.body.id).not.toBe(one.body.id);
    expect(await eventCount(t)).toBe(2);
    expect(ledgerIdempotencyKey('office-a', 'shared')).not.toBe(ledgerIdempotencyKey('office-b', 'shared'));
    expect(ledgerIdempotencyKey('office-a', 'x'.repeat(200))).toMatch(/^[0-9a-f]{64}$/);
  });

  it('serves concurrent retries one answer, appending once', async () => {
    const t = await fresh();
    const send = () => request(t.app).post('/test/things').set('Authorization', office).set('Idempotency-Key', 'burst').send({ name: 'a' });
    const answers = await Promise.all([send(), send(), send(), send()]);
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([201]));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(await eventCount(t)).toBe(1);
  });

  it('does not remember a failed write: the retry runs again', async () => {
    const t = await fresh();
    const refused = await request(t.app).post('/test/things').set('Authorization', office).set('Idempotency-Key', 'k-f').send({ name: 'forbidden' });
    expect(refused.status).toBe(409);
    const again = await request(t.app).post('/test/things').set('Authorization', office).set('Idempotency-Key', 'k-f').send({ name: 'forbidden' });
    expect(again.status).toBe(409);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
  });

  it('refuses a malformed key with 400', async () => {
    const t = await fresh();
    for (const key of ['x'.repeat(201), 'tab\there', 'ümlaut']) {
      const res = await request(t.app).post('/test/things').set('Authorization', office).set('Idempotency-Key', key).send({ name: 'a' });
      expect(res.status).toBe(400);
    }
    expect(await eventCount(t)).toBe(0);
  });

  it('stores no more than the answer: ids, revision, position, and the headers that matter', async () => {
    const t = await fresh();
    const res = await request(t.app).post('/test/things').set('Authorization', office).set('Idempotency-Key', 'k-s').send({ name: 'Anna' });
    const callerId = (await request(t.app).get('/test/whoami').set('Authorization', office)).body.id as string;
    const stored = t.idempotency.find(callerId, 'k-s')!;
    expect(JSON.parse(stored.body)).toEqual(res.body);
    expect(stored.headers).toEqual({ ETag: '"0"', Location: `/test/things/${res.body.id}` });
    expect(stored.body).not.toContain('Anna');
  });
});

describe('correlation and the actor', () => {
  it('echoes a client correlation id and records it in the events the request appends', async () => {
    const t = await fresh();
    const res = await request(t.app).post('/test/things').set('Authorization', office).set('X-Correlation-Id', 'client-req-42').send({ name: 'a' });
    expect(res.headers['x-correlation-id']).toBe('client-req-42');
    const [event] = await collect(t.store.readAll());
    expect(event!.metadata).toMatchObject({ correlationId: 'client-req-42', actor: { role: 'office', id: expect.stringMatching(/^office-/) } });
  });

  it('makes a new correlation id when the client sends none or an unusable one', async () => {
    const t = await fresh();
    const none = await request(t.app).get('/test/whoami');
    expect(none.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(none.body.correlationId).toBe(none.headers['x-correlation-id']);
    const bad = await request(t.app).get('/test/whoami').set('X-Correlation-Id', 'has spaces and <html>');
    expect(bad.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
