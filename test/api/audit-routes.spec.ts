import { randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { apiInfo } from '../../src/api/app';
import { PROBLEM_BASE } from '../../src/api/problems';
import type { EventToAppend } from '../../src/store/port';
import { bearer, KEYS, testApp, type TestApp } from './framework-harness';

/** GET /v1/events, GET /v1/streams/{stream}, GET /v1/live: the raw log for read roles. */

const auditor = bearer(KEYS.auditor);

function event(type: string, recordedAt: string, data: unknown = { n: 1 }): EventToAppend {
  return {
    eventId: randomUUID(),
    type,
    data,
    metadata: { recordedAt, occurredAt: recordedAt, actor: { id: 'office-x', role: 'office' }, correlationId: 'c', causationId: 'c', schemaVersion: 1, prevHash: '0'.repeat(64), hash: 'f'.repeat(64) },
  };
}

describe('GET /v1/events and /v1/streams/{stream}', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
    // Berlin days: 2025-03-30 is the switch to summer time; 2025-03-29 23:30 UTC is already the 30th in Berlin
    await t.store.append('thing-a', [event('ThingRecorded', '2025-03-28T10:00:00.000Z'), event('ThingRenamed', '2025-03-29T22:30:00.000Z')], 'no-stream');
    await t.store.append('thing-b', [event('ThingRecorded', '2025-03-29T23:30:00.000Z')], 'no-stream');
    await t.store.append('thing-a', [event('ThingRenamed', '2025-03-30T21:59:59.000Z')], 1n);
    await t.store.append('thing-c', [event('ThingRecorded', '2025-03-30T22:00:00.000Z', { name: 'Ä "quoted" \u2028' })], 'no-stream');
  });
  afterAll(async () => t.cleanup());

  const get = (path: string, key = auditor) => request(t.app).get(path).set('Authorization', key);

  it('answers events exactly as stored, in log order', async () => {
    const res = await get('/v1/events');
    expect(res.status).toBe(200);
    const stored = [];
    for await (const e of t.store.readAll()) stored.push(e);
    expect(res.body.data).toEqual(
      stored.map((e) => ({ position: e.position.toString(), stream: e.stream, revision: Number(e.revision), eventId: e.eventId, type: e.type, data: e.data, metadata: e.metadata })),
    );
    expect(res.body.links).toEqual({ self: '/v1/events' });
  });

  it('pages by position: next carries after=<last position> until the log is exhausted', async () => {
    const seen: string[] = [];
    let path: string | undefined = '/v1/events?limit=2';
    let pages = 0;
    while (path) {
      const res = await get(path);
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((e: { position: string }) => e.position));
      path = res.body.links.next;
      pages++;
    }
    expect(pages).toBe(3);
    const all = (await get('/v1/events')).body.data.map((e: { position: string }) => e.position);
    expect(seen).toEqual(all);
    const after = await get(`/v1/events?after=${all[2]}`);
    expect(after.body.data.map((e: { position: string }) => e.position)).toEqual(all.slice(3));
  });

  it('filters by stream, type and recordedAt (dates are Europe/Berlin days, instants inclusive)', async () => {
    const streams = (path: string) => get(path).then((r) => r.body.data.map((e: { stream: string; revision: number }) => `${e.stream}@${e.revision}`));
    expect(await streams('/v1/events?stream=thing-a')).toEqual(['thing-a@0', 'thing-a@1', 'thing-a@2']);
    expect(await streams('/v1/events?type=ThingRenamed')).toEqual(['thing-a@1', 'thing-a@2']);
    expect(await streams('/v1/events?from=2025-03-30&to=2025-03-30')).toEqual(['thing-b@0', 'thing-a@2']);
    expect(await streams('/v1/events?from=2025-03-29T22:30:00Z&to=2025-03-29T23:30:00Z')).toEqual(['thing-a@1', 'thing-b@0']);
    expect(await streams('/v1/events?from=2025-03-31')).toEqual(['thing-c@0']);
    const paged = await get('/v1/events?stream=thing-a&limit=1');
    expect(paged.body.links.next).toMatch(/^\/v1\/events\?stream=thing-a&limit=1&after=\d+$/);
    expect(await streams(paged.body.links.next)).toEqual(['thing-a@1']);
  });

  it('refuses malformed filters with 400', async () => {
    for (const query of ['after=-1', 'after=abc', 'limit=0', 'limit=501', 'from=yesterday', 'stream=Not A Stream', 'type=lowercase', 'colour=red']) {
      const res = await get(`/v1/events?${query}`);
      expect(`${query}: ${res.status}`).toBe(`${query}: 400`);
    }
  });

  it('answers one stream in revision order with its revision as ETag, 404 for a stream without events', async () => {
    const res = await get('/v1/streams/thing-a');
    expect(res.status).toBe(200);
    expect(res.body.data.map((e: { revision: number }) => e.revision)).toEqual([0, 1, 2]);
    expect(res.headers.etag).toBe('"2"');
    const missing = await get('/v1/streams/thing-zzz');
    expect(missing.status).toBe(404);
    expect(missing.body.type).toBe(`${PROBLEM_BASE}not-found`);
    expect((await get('/v1/streams/..%2Fetc')).status).toBe(400);
  });

  it('is for read roles only', async () => {
    expect((await request(t.app).get('/v1/events')).status).toBe(401);
    expect((await request(t.app).get('/v1/streams/thing-a')).status).toBe(401);
    for (const key of [KEYS.office, KEYS.admin]) expect((await get('/v1/events', bearer(key))).status).toBe(200);
  });
});

describe('GET /v1/live', () => {
  let t: TestApp;
  let server: Server;
  let port: number;
  beforeEach(async () => {
    t = await testApp({ liveHeartbeatMs: 50 });
    server = t.app.listen(0);
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    await apiInfo(t.app).close();
    await new Promise((resolve) => server.close(resolve));
    await t.cleanup();
  });

  /** Opens the feed and collects what arrives; `text()` is everything so far. */
  function open(headers: Record<string, string>): Promise<{ res: IncomingMessage; text: () => string; until: (re: RegExp) => Promise<string> }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ port, path: '/v1/live', headers }, (res) => {
        let text = '';
        const waiters: Array<() => void> = [];
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          for (const w of waiters.splice(0)) w();
        });
        const until = async (re: RegExp) => {
          const deadline = Date.now() + 5000;
          while (!re.test(text)) {
            if (Date.now() > deadline) throw new Error(`timed out waiting for ${re} in ${JSON.stringify(text)}`);
            await new Promise<void>((r) => {
              waiters.push(r);
              setTimeout(r, 100);
            });
          }
          return text;
        };
        resolve({ res, text: () => text, until });
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('sends events appended after it opened, with their position as id, and heartbeats', async () => {
    await t.store.append('thing-old', [event('ThingRecorded', '2025-01-01T00:00:00.000Z')], 'no-stream');
    const feed = await open({ Authorization: auditor });
    expect(feed.res.statusCode).toBe(200);
    expect(feed.res.headers['content-type']).toMatch(/^text\/event-stream/);
    await feed.until(/retry: 3000/);
    const appended = await t.store.append('thing-new', [event('ThingRecorded', '2025-01-02T00:00:00.000Z')], 'no-stream');
    const text = await feed.until(/data: .*thing-new/);
    expect(text).not.toContain('thing-old');
    const [, id, data] = /id: (\d+)\ndata: (.*)\n\n/.exec(text)!;
    expect(id).toBe(appended.position.toString());
    expect(JSON.parse(data!)).toMatchObject({ stream: 'thing-new', revision: 0, position: id });
    await feed.until(/: heartbeat/);
    feed.res.destroy();
  });

  it('resumes after Last-Event-ID', async () => {
    const first = await t.store.append('thing-1', [event('ThingRecorded', '2025-01-01T00:00:00.000Z')], 'no-stream');
    await t.store.append('thing-2', [event('ThingRecorded', '2025-01-01T00:00:00.000Z')], 'no-stream');
    const feed = await open({ Authorization: auditor, 'Last-Event-ID': first.position.toString() });
    const text = await feed.until(/thing-2/);
    expect(text).not.toContain('"thing-1"');
    feed.res.destroy();
  });

  it('closes its subscription when the client goes away', async () => {
    const feed = await open({ Authorization: auditor });
    await feed.until(/retry/);
    const subscriptions = () => (t.store as unknown as { subscriptions: Set<unknown> }).subscriptions.size;
    expect(subscriptions()).toBe(1);
    feed.res.destroy();
    const deadline = Date.now() + 5000;
    while (subscriptions() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(subscriptions()).toBe(0);
  });

  it('is for read roles only, and refuses a malformed Last-Event-ID', async () => {
    const anonymous = await open({});
    expect(anonymous.res.statusCode).toBe(401);
    anonymous.res.resume();
    const bad = await open({ Authorization: auditor, 'Last-Event-ID': 'yesterday' });
    expect(bad.res.statusCode).toBe(400);
    bad.res.resume();
  });
});
