import { verify as verifySignature } from 'node:crypto';
import { rmSync } from 'node:fs';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { apiInfo } from '../../src/api/app';
import { verifyConsistency, verifyInclusion } from '../../src/integrity/proofs';
import { canonicalJson } from '../../src/ledger/canonical-json';
import { authHeader, concretePath, expectProblem, expectRefused, expectWritten, startTestServer, type TestServer } from './server-harness';
import { applicationBody, buildWorld, DAY, memberBodies, writeExamples, type World } from './world';

/** What API.md promises of every route: conditional and idempotent writes, read-your-writes, time travel, pages, personal data, input checks, the ledger's own routes. */

const UNKNOWN = '00000000-0000-4000-8000-000000000004';

describe('the HTTP contract of the real server', () => {
  let t: TestServer;
  let w: World;
  beforeAll(async () => {
    t = await startTestServer();
    w = await buildWorld(t);
  });
  afterAll(async () => t.cleanup());
  const office = () => t.as('office');
  const eventCount = async () => {
    let n = 0;
    for await (const _ of t.store.readAll()) n++;
    return n;
  };

  describe('If-Match', () => {
    it('a current If-Match makes the write (ETag moves on); a stale one is 412 and appends nothing', async () => {
      const etag = String((await t.as('auditor').get('/v1/streams/board-main')).headers.etag);
      expect(etag).toMatch(/^"\d+"$/);
      const res = await office().post(`/v1/board/members/${w.memberIds[3]}/deputies`, { name: 'Vera Vertretung', startDate: '2025-10-01' }, { 'If-Match': etag });
      const written = expectWritten(res, 201);
      expect(written.revision).toBe(Number(JSON.parse(etag)) + 1);
      const problem = await expectRefused(t, () => office().post(`/v1/board/members/${w.memberIds[4]}/deputies`, { name: 'Zu spät', startDate: '2025-10-01' }, { 'If-Match': etag }), 412, 'precondition-failed');
      expect(problem.currentRevision).toBe(written.revision);
    });

    it('is checked before any domain rule: a stale If-Match on a write that breaks a rule is 412, not 409', async () => {
      const full = { name: 'Noch ein Verband', onBehalfOf: 'Verband B', seatCategory: 'union', role: 'member', votingRight: true, startDate: DAY };
      await expectRefused(t, () => office().post('/v1/board/members', full), 409, 'seat-category-full');
      await expectRefused(t, () => office().post('/v1/board/members', full, { 'If-Match': '"0"' }), 412, 'precondition-failed');
      await expectRefused(t, () => office().post('/v1/alliance/constitution', writeExamples(w)['/v1/alliance/constitution']!.body, { 'If-Match': '"-1"' }), 412, 'precondition-failed');
      await expectRefused(t, () => office().post(`/v1/resolutions/${w.admissionResolutionId}/decision`, { decidedOn: '2025-10-10' }, { 'If-Match': '"1"' }), 412, 'precondition-failed');
    });

    it('a malformed If-Match is 400', async () => {
      for (const value of ['*', 'W/"1"', '"1", "2"', 'abc']) {
        await expectRefused(t, () => office().post('/v1/partners/applications', applicationBody('X'), { 'If-Match': value }), 400, 'bad-request');
      }
    });
  });

  describe('Idempotency-Key', () => {
    it('a retried write answers the first answer and appends nothing', async () => {
      const key = 'application-retry-1';
      const first = await office().post('/v1/partners/applications', applicationBody('Einmalig e. V.'), { 'Idempotency-Key': key });
      expectWritten(first, 201);
      const before = await t.store.headPosition();
      const again = await office().post('/v1/partners/applications', applicationBody('Einmalig e. V.'), { 'Idempotency-Key': key });
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await t.store.headPosition()).toBe(before);
      const list = await t.as('anonymous').get('/v1/partners?limit=500');
      expect(list.body.data.filter((p: { organisation: { name: string } }) => p.organisation.name === 'Einmalig e. V.')).toHaveLength(1);
    });

    it('concurrent retries with one key append once and all get the same answer', async () => {
      const before = await eventCount();
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => office().post('/v1/partners/applications', applicationBody('Gleichzeitig e. V.'), { 'Idempotency-Key': 'concurrent-1' }).then((r) => r)),
      );
      for (const answer of answers) expect({ status: answer.status, body: answer.body }).toEqual({ status: 201, body: answers[0]!.body });
      expect(await eventCount()).toBe(before + 1);
    });

    it('replays the extra fields of an answer (the agenda of a meeting)', async () => {
      const body = { title: 'Idempotent', date: '2026-03-01', place: 'Dresden', agenda: [{ title: 'A' }, { title: 'B' }] };
      const first = await office().post('/v1/meetings', body, { 'Idempotency-Key': 'meeting-retry-1' });
      expectWritten(first, 201);
      const again = await office().post('/v1/meetings', body, { 'Idempotency-Key': 'meeting-retry-1' });
      expect(again.body).toEqual(first.body);
      expect(again.body.agenda).toHaveLength(2);
    });

    it('the same key with another body is 422 and appends nothing; a failed write is not remembered', async () => {
      await office().post('/v1/partners/applications', applicationBody('Erster e. V.'), { 'Idempotency-Key': 'reused-1' }).expect(201);
      await expectRefused(t, () => office().post('/v1/partners/applications', applicationBody('Anderer e. V.'), { 'Idempotency-Key': 'reused-1' }), 422, 'idempotency-key-reused');
      const refused = { decidedOn: '2025-10-10' };
      await expectRefused(t, () => office().post(`/v1/partners/${w.applicantId}/admission`, refused, { 'Idempotency-Key': 'failed-1' }), 409, 'admission-resolution-required');
      await expectRefused(t, () => office().post(`/v1/partners/${w.applicantId}/admission`, refused, { 'Idempotency-Key': 'failed-1' }), 409, 'admission-resolution-required');
    });
  });

  describe('read your writes', () => {
    it('a GET right after each write shows it, and the digest already counts it', async () => {
      for (let i = 0; i < 10; i++) {
        const written = expectWritten(await office().post('/v1/partners/applications', applicationBody(`Sofort ${i}`)), 201);
        const read = await t.as('anonymous').get(`/v1/partners/${written.id}`);
        expect(read.status).toBe(200);
        expect(read.body.organisation.name).toBe(`Sofort ${i}`);
        const digest = await t.as('anonymous').get('/v1/ledger/digest');
        expect(digest.body.size).toBe(await eventCount());
      }
    });
  });

  describe('asOf and knownAt', () => {
    it('knownAt answers what the ledger held at an instant; asOf the state effective on a day; both combine', async () => {
      const before = new Date(Date.now() - 1).toISOString();
      const id = expectWritten(await office().post('/v1/partners/applications', applicationBody('Zeitreise e. V.', '2025-11-20')), 201).id;
      const after = new Date(Date.now() + 1000).toISOString();
      expectProblem(await t.as('anonymous').get(`/v1/partners/${id}?knownAt=${before}`), 404, 'not-found');
      expect((await t.as('anonymous').get(`/v1/partners/${id}?knownAt=${after}`)).status).toBe(200);
      expectProblem(await t.as('anonymous').get(`/v1/partners/${id}?asOf=2025-11-19`), 404, 'not-found');
      expect((await t.as('anonymous').get(`/v1/partners/${id}?asOf=2025-11-20`)).status).toBe(200);
      expect((await t.as('anonymous').get(`/v1/partners/${id}?asOf=2025-11-20&knownAt=${after}`)).status).toBe(200);
      expectProblem(await t.as('anonymous').get(`/v1/partners/${id}?asOf=2025-11-20&knownAt=${before}`), 404, 'not-found');

      const listBefore = await t.as('anonymous').get(`/v1/partners?knownAt=${encodeURIComponent(before)}&limit=500`);
      expect(listBefore.body.data.map((p: { id: string }) => p.id)).not.toContain(id);
      const board = await t.as('anonymous').get(`/v1/board?knownAt=${encodeURIComponent(before)}&asOf=${DAY}`);
      expect(board.body.members).toHaveLength(memberBodies.length);
      const alliance = await t.as('anonymous').get(`/v1/alliance?asOf=${DAY}&knownAt=${encodeURIComponent(after)}`);
      expect(alliance.status).toBe(200);
    });

    it('every read of state takes asOf and knownAt', async () => {
      const reads = ['/v1/alliance', '/v1/patron', '/v1/patron/statements', `/v1/patron/statements/${w.statementId}`, '/v1/board', '/v1/meetings', `/v1/meetings/${w.meetingId}`, '/v1/resolutions', `/v1/resolutions/${w.admissionResolutionId}`, '/v1/partners', `/v1/partners/${w.partnerId}`, '/v1/groups', `/v1/groups/${w.groupId}`];
      for (const path of reads) {
        const res = await t.as('anonymous').get(`${path}?asOf=2026-06-01&knownAt=${encodeURIComponent(new Date().toISOString())}`);
        expect(`${path}: ${res.status}`).toBe(`${path}: 200`);
      }
    });

    it('a malformed asOf or knownAt is 400', async () => {
      for (const query of ['asOf=2025-13-01', 'asOf=yesterday', 'knownAt=2025-09-12T10:00:00', 'knownAt=now']) {
        expectProblem(await t.as('anonymous').get(`/v1/board?${query}`), 400, 'bad-request');
      }
    });
  });

  describe('pagination', () => {
    it('lists answer {data, pagination: {totalElements, elementsPerPage, currentPage}, links: {self, next?, prev?}}', async () => {
      const total = (await t.as('anonymous').get('/v1/partners')).body.pagination.totalElements as number;
      expect(total).toBeGreaterThan(4);
      const second = await t.as('anonymous').get('/v1/partners?limit=2&page=2');
      expect(second.status).toBe(200);
      expect(Object.keys(second.body).sort()).toEqual(['data', 'links', 'pagination']);
      expect(second.body.data).toHaveLength(2);
      expect(second.body.pagination).toEqual({ totalElements: total, elementsPerPage: 2, currentPage: 2 });
      expect(second.body.links).toEqual({ self: '/v1/partners?limit=2&page=2', next: '/v1/partners?limit=2&page=3', prev: '/v1/partners?limit=2&page=1' });
      const pages: string[] = [];
      for (let path: string | undefined = '/v1/partners?limit=3'; path; ) {
        const res = await t.as('anonymous').get(path);
        pages.push(...res.body.data.map((p: { id: string }) => p.id));
        path = res.body.links.next;
      }
      expect(pages).toHaveLength(total);
      expect(new Set(pages).size).toBe(total);
      const first = await t.as('anonymous').get('/v1/resolutions');
      expect(first.body.pagination).toMatchObject({ elementsPerPage: 50, currentPage: 1 });
      expect(first.body.links.prev).toBeUndefined();
    });

    it('limit is at most 500 and page starts at 1 (400 otherwise)', async () => {
      for (const query of ['limit=501', 'limit=0', 'page=0', 'page=-1', 'limit=ten']) {
        expectProblem(await t.as('anonymous').get(`/v1/partners?${query}`), 400, 'bad-request');
      }
      expect((await t.as('anonymous').get('/v1/partners?limit=500')).status).toBe(200);
    });
  });

  describe('personal data', () => {
    const personal = () => [...memberBodies.map((m) => m.name), 'Dora Deputy', 'Kontakt Pflegeverband', 'Kontakt Zweiter Verband', 'kontakt@example.org', '+49 351 0000'];
    const detailIds = (): Record<string, Record<string, string>> => ({
      '/v1/patron/statements/{id}': { id: w.statementId },
      '/v1/meetings/{id}': { id: w.meetingId },
      '/v1/resolutions/{id}': { id: w.admissionResolutionId },
      '/v1/partners/{id}': { id: w.partnerId },
      '/v1/groups/{id}': { id: w.groupId },
    });

    it('no public read gives anonymous callers a contact, a member or deputy name, or a subjectId', async () => {
      const reads = apiInfo(t.app).routes.filter((r) => r.method === 'get' && r.auth === 'public' && r.path.startsWith('/v1/') && !r.path.startsWith('/v1/ledger/'));
      expect(reads.length).toBeGreaterThanOrEqual(13);
      for (const route of reads) {
        const params = detailIds()[route.path];
        if (route.path.includes('{')) expect(`${route.path} has ids for the test`).toBe(params ? `${route.path} has ids for the test` : 'missing');
        for (const query of ['', `?asOf=${DAY}`, '?asOf=2025-10-11']) {
          const res = await t.as('anonymous').get(concretePath(route.path, params) + query);
          if (res.status === 404) continue;
          expect(`${route.path}${query}: ${res.status}`).toBe(`${route.path}${query}: 200`);
          const text = JSON.stringify(res.body);
          for (const secret of personal()) expect(`${route.path}: ${text.includes(secret) ? secret : 'clean'}`).toBe(`${route.path}: clean`);
          expect(text).not.toContain('subjectId');
          expect(text).not.toContain('"contact"');
        }
      }
    });

    it('office, auditor and admin read names and contacts, each with its subjectId', async () => {
      for (const role of ['office', 'auditor', 'admin'] as const) {
        const board = await t.as(role).get('/v1/board?asOf=2025-10-11');
        for (const member of board.body.members) {
          expect(member).toEqual(expect.objectContaining({ name: expect.any(String), subjectId: expect.any(String) }));
          for (const deputy of member.deputies) expect(deputy).toEqual(expect.objectContaining({ name: expect.any(String), subjectId: expect.any(String) }));
        }
        expect(board.body.members.find((m: { id: string }) => m.id === w.memberIds[2]).deputies).toEqual([expect.objectContaining({ id: w.deputyId, name: 'Dora Deputy' })]);
        const partner = await t.as(role).get(`/v1/partners/${w.partnerId}`);
        expect(partner.body.contact).toEqual(expect.objectContaining({ name: 'Kontakt Pflegeverband', email: 'kontakt@example.org', subjectId: expect.any(String) }));
        const list = await t.as(role).get('/v1/partners');
        for (const p of list.body.data) expect(p.contact).toEqual(expect.objectContaining({ subjectId: expect.any(String) }));
      }
      const anonymous = await t.as('anonymous').get('/v1/board?asOf=2025-10-11');
      for (const member of anonymous.body.members) {
        expect(member.name).toBeUndefined();
        expect(member.subjectId).toBeUndefined();
        expect(member).toMatchObject({ id: expect.any(String), onBehalfOf: expect.any(String), seatCategory: expect.any(String), role: expect.any(String), votingRight: true });
      }
    });
  });

  describe('input', () => {
    it('has an example body for every write route (so that the checks below reach every one)', () => {
      const writes = apiInfo(t.app).routes.filter((r) => r.takesBody && r.path.startsWith('/v1/') && (r.auth === 'write' || r.auth === 'admin')).map((r) => r.path);
      expect(Object.keys(writeExamples(w)).sort()).toEqual(writes.sort());
    });

    it('every write route refuses an unknown field (400, naming it) and recordedAt (400), appending nothing', async () => {
      const admin = new Set(apiInfo(t.app).routes.filter((r) => r.auth === 'admin').map((r) => r.path));
      for (const [path, example] of Object.entries(writeExamples(w))) {
        const url = concretePath(path, example.params);
        const caller = () => (admin.has(path) ? t.as('admin') : office());
        const unknown = await expectRefused(t, () => caller().post(url, { ...example.body, colour: 'blue' }), 400, 'bad-request');
        expect(unknown.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'colour' })]));
        const recorded = await expectRefused(t, () => caller().post(url, { ...example.body, recordedAt: '2025-09-12T10:00:00Z' }), 400, 'bad-request');
        expect(recorded.errors).toEqual([expect.objectContaining({ path: 'recordedAt' })]);
      }
    });

    it('recordedAt or an unknown field nested in a body is 400 too', async () => {
      const app = applicationBody('Verschachtelt');
      await expectRefused(t, () => office().post('/v1/partners/applications', { ...app, contact: { ...app.contact, recordedAt: '2025-09-12T10:00:00Z' } }), 400, 'bad-request');
      await expectRefused(t, () => office().post('/v1/partners/applications', { ...app, organisation: { ...app.organisation, size: 12 } }), 400, 'bad-request');
      await expectRefused(t, () => office().post('/v1/meetings', { title: 'X', date: '2026-01-01', place: 'D', agenda: [{ title: 'A', id: UNKNOWN }] }), 400, 'bad-request');
    });

    it('wrong types are 400, broken schema rules 422, not JSON 400, another media type 415, too large 413', async () => {
      await expectRefused(t, () => office().post('/v1/board/members/' + w.memberIds[0] + '/departure', { endDate: 20251231 }), 400, 'bad-request');
      await expectRefused(t, () => office().post('/v1/board/members/' + w.memberIds[0] + '/departure', { endDate: '2025-02-30' }), 422, 'unprocessable-content');
      await expectRefused(t, () => office().post('/v1/partners/applications', { ...applicationBody('X'), channel: 'pigeon' }), 422, 'unprocessable-content');
      await expectRefused(t, () => office().post('/v1/partners/applications').set('Content-Type', 'application/json').send('{"organisation": '), 400, 'malformed-json');
      await expectRefused(t, () => office().post('/v1/partners/applications').set('Content-Type', 'text/plain').send('hello'), 415, 'unsupported-media-type');
      await expectRefused(t, () => office().post('/v1/partners/applications', { ...applicationBody('X'), messageRef: 'x'.repeat(1_100_000) }), 413, 'payload-too-large');
      await expectRefused(t, () => office().post('/v1/partners/applications'), 400, 'bad-request');
    });

    it('a path id that is not a uuid is 400; an unknown route 404', async () => {
      await expectRefused(t, () => office().post('/v1/partners/not-a-uuid/admission', { decidedOn: '2025-10-10' }), 400, 'bad-request');
      expectProblem(await t.as('anonymous').get('/v1/partners/not-a-uuid'), 400, 'bad-request');
      expectProblem(await t.as('anonymous').get('/v1/nothing-here'), 404, 'not-found');
      expectProblem(await office().post('/v1/partners/nothing', {}), 404, 'not-found');
      expectProblem(await t.as('anonymous').get(`/v1/partners/${UNKNOWN}`), 404, 'not-found');
    });
  });

  describe('concurrent writes', () => {
    it('a rule holds under contention: of six appointments to the last free seat, one is made, five are 409', async () => {
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          office()
            .post('/v1/board/members', { name: `Parallel ${i}`, onBehalfOf: `Ministerium ${i}`, seatCategory: 'ministry', role: 'member', votingRight: true, startDate: '2025-10-01' })
            .then((r) => r),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      for (const refused of answers.filter((a) => a.status === 409)) expect(refused.body.type).toMatch(/\/seat-category-full$/);
      const board = await t.as('anonymous').get('/v1/board?asOf=2025-10-01');
      expect(board.body.seatsUsed.ministry).toEqual({ seats: 2, used: 2, free: 0 });
    });
  });

  describe('ledger, audit and system routes', () => {
    it('GET /v1/ledger/digest is signed with the key of /v1/ledger/public-key', async () => {
      const digest = await t.as('anonymous').get('/v1/ledger/digest');
      expect(digest.status).toBe(200);
      expect(digest.body).toEqual({ size: await eventCount(), rootHash: expect.stringMatching(/^[0-9a-f]{64}$/), signedAt: expect.any(String), signature: expect.any(String) });
      const key = await t.as('anonymous').get('/v1/ledger/public-key');
      expect(key.body).toEqual({ algorithm: 'Ed25519', publicKey: expect.stringContaining('BEGIN PUBLIC KEY') });
      const { size, rootHash, signedAt, signature } = digest.body;
      const signed = Buffer.from(canonicalJson({ size, rootHash, signedAt }), 'utf8');
      expect(verifySignature(null, signed, key.body.publicKey, Buffer.from(signature, 'base64'))).toBe(true);
    });

    it('GET /v1/ledger/proofs/inclusion and /consistency answer proofs that verify against the digest', async () => {
      const events = (await t.as('auditor').get('/v1/events?limit=5')).body.data;
      const digest = (await t.as('anonymous').get('/v1/ledger/digest')).body;
      const proof = await t.as('anonymous').get(`/v1/ledger/proofs/inclusion?eventId=${events[3].eventId}&size=${digest.size}`);
      expect(proof.status).toBe(200);
      expect(proof.body).toMatchObject({ eventId: events[3].eventId, leafIndex: 3, treeSize: digest.size, rootHash: digest.rootHash, leafHash: events[3].metadata.hash });
      expect(verifyInclusion(proof.body.leafIndex, proof.body.treeSize, events[3].metadata.hash, proof.body.auditPath, digest.rootHash)).toBe(true);
      const consistency = await t.as('anonymous').get(`/v1/ledger/proofs/consistency?from=5&to=${digest.size}`);
      expect(consistency.status).toBe(200);
      const c = consistency.body;
      expect(c).toMatchObject({ fromSize: 5, toSize: digest.size, toRoot: digest.rootHash });
      expect(verifyConsistency(c.fromSize, c.toSize, c.fromRoot, c.toRoot, c.proof)).toBe(true);
      expectProblem(await t.as('anonymous').get(`/v1/ledger/proofs/inclusion?eventId=${UNKNOWN}`), 404, 'not-found');
      expect((await t.as('anonymous').get(`/v1/ledger/proofs/consistency?from=${digest.size + 10}`)).status).toBe(422);
    });

    it('GET /v1/ledger/verification recomputes everything: ok', async () => {
      const res = await t.as('auditor').get('/v1/ledger/verification');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ ok: true, checkedEvents: await eventCount() });
      expect(res.body.firstBad).toBeUndefined();
    });

    it('GET /v1/events and /v1/streams/{stream} answer events as stored', async () => {
      const events = await t.as('auditor').get('/v1/events?limit=2');
      expect(events.status).toBe(200);
      expect(events.body.data[0]).toEqual({
        position: expect.stringMatching(/^\d+$/),
        stream: 'alliance-main',
        revision: 0,
        eventId: expect.any(String),
        type: 'AllianceConstituted',
        data: expect.any(Object),
        metadata: expect.objectContaining({ recordedAt: expect.any(String), occurredAt: expect.any(String), actor: { id: expect.any(String), role: 'office' }, prevHash: '0'.repeat(64), hash: expect.stringMatching(/^[0-9a-f]{64}$/) }),
      });
      expect(events.body.links.next).toMatch(/after=/);
      const stream = await t.as('auditor').get(`/v1/streams/partner-${w.partnerId}`);
      expect(stream.status).toBe(200);
      expect(stream.body.data.map((e: { type: string }) => e.type)).toEqual(['PartnerApplied', 'PartnerAdmitted']);
      expect(stream.headers.etag).toBe('"1"');
      expectProblem(await t.as('auditor').get(`/v1/streams/partner-${UNKNOWN}`), 404, 'not-found');
    });

    it('GET /v1/live sends new events as server-sent events', async () => {
      const url = new URL('/v1/live', t.url);
      let req: ClientRequest | undefined;
      let written: Promise<unknown> | undefined;
      const received = new Promise<string>((resolve, reject) => {
        req = httpRequest(url, { headers: authHeader('auditor') }, (res) => {
          expect(res.statusCode).toBe(200);
          expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
            // the feed is open once its first line came: what is written now must arrive
            if (text.startsWith('retry:')) written ??= office().post('/v1/partners/applications', applicationBody('Live e. V.')).then((r) => r.status);
            if (/\ndata: .*\n\n/.test(text)) resolve(text);
          });
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      });
      const text = await received;
      req!.destroy();
      expect(await written).toBe(201);
      const data = JSON.parse(/\ndata: (.*)\n/.exec(text)![1]!);
      expect(data).toMatchObject({ type: 'PartnerApplied', stream: expect.stringMatching(/^partner-/) });
      expect(text).toMatch(new RegExp(`id: ${data.position}\\n`));
    });

    it('GET /health/live and /health/ready answer 200; /openapi.json and /docs describe the API', async () => {
      expect((await t.as('anonymous').get('/health/live')).body).toEqual({ status: 'live' });
      expect((await t.as('anonymous').get('/health/ready')).body).toEqual({ status: 'ready' });
      expect((await t.as('anonymous').get('/openapi.json')).body.openapi).toBe('3.1.0');
      const docs = await t.as('anonymous').get('/docs');
      expect(docs.status).toBe(200);
      expect(docs.text).toContain('/v1/partners/applications');
    });
  });
});

describe('Idempotency-Key across a restart', () => {
  it('a retry after the server restarted answers the first answer and appends nothing', async () => {
    const first = await startTestServer();
    const dir = first.dir;
    try {
      const body = { name: 'Allianz', constitutedOn: DAY, place: 'Dresden', officeEmail: 'a@example.org' };
      const answer = await first.as('office').post('/v1/alliance/constitution', body, { 'Idempotency-Key': 'constitution-1' });
      expectWritten(answer, 201);
      await first.close();
      const second = await startTestServer({ dir });
      try {
        const before = await second.store.headPosition();
        const again = await second.as('office').post('/v1/alliance/constitution', body, { 'Idempotency-Key': 'constitution-1' });
        expect(again.status).toBe(201);
        expect(again.body).toEqual(answer.body);
        expect(await second.store.headPosition()).toBe(before);
        await expectRefused(second, () => second.as('office').post('/v1/alliance/constitution', body), 409, 'alliance-already-constituted');
      } finally {
        await second.cleanup();
      }
    } finally {
      await first.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
