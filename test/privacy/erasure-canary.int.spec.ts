// first, as in src/cli/main.ts: the `.openapi()` extension must exist before any schema of ours is built
import '../../src/api/openapi-zod';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/api/logger';
import { startServer, type RunningServer } from '../../src/api/server';
import { runCli } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/io';
import { reportKinds } from '../../src/cli/reports';
import { loadConfig } from '../../src/config';
import { verifyLedger } from '../../src/integrity/verification';
import { toEventJson } from '../../src/ledger/envelope';
import { isEncrypted } from '../../src/privacy/cipher';
import { SubjectKeyStore } from '../../src/privacy/subject-key-store';
import type { StoredEvent } from '../../src/store/port';

/**
 * The whole erasure, as staff and an auditor meet it: a seeded ledger served by the real server (in this process),
 * a partner's contact person and a deputy recorded through the API with canary values, the contact erased through
 * the API and the deputy through `ledger erase` beside the running server. Afterwards no canary value is anywhere:
 * not in the event store file or its WAL, the key store, the read-model snapshot the server's runner wrote, the
 * idempotency records, the server's log at debug level, any report (every kind and form, with personal data), an
 * export; the keys are gone from the disk; every chain and the digest still verify; reads show the fields erased.
 */

const KEYS = { office: 'office-key-privacy-0123456789', auditor: 'auditor-key-privacy-0123456789', admin: 'admin-key-privacy-0123456789' };
type Role = keyof typeof KEYS | 'anonymous';

const tag = randomBytes(6).toString('hex');
const CANARY = {
  contactName: `Kanarie Kontakt ${tag}`,
  email: `kanarie.${tag}@example.org`,
  phone: `+49 351 ${parseInt(tag.slice(0, 8), 16).toString().padStart(10, '0').slice(0, 10)}`,
  deputyName: `Kanarie Vertretung ${tag}`,
};
const canaries = Object.values(CANARY);

interface Cli {
  code: number;
  stdout: string;
  stderr: string;
}

async function ledger(argv: string[]): Promise<Cli> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: {},
    now: () => new Date(),
    untilStopped: async () => undefined,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** Every file under `dir` with its bytes. */
function filesUnder(dir: string): { name: string; bytes: Buffer }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path).map((f) => ({ ...f, name: `${name}/${f.name}` })) : [{ name, bytes: readFileSync(path) }];
  });
}

/** The files (and other texts) in which a needle occurs, as text or as raw bytes. */
function whereFound(sources: { name: string; bytes: Buffer }[], needles: (string | Buffer)[]): string[] {
  const found: string[] = [];
  for (const { name, bytes } of sources) {
    for (const needle of needles) {
      const raw = typeof needle === 'string' ? Buffer.from(needle, 'utf8') : needle;
      if (bytes.includes(raw) || (typeof needle !== 'string' && bytes.includes(Buffer.from(needle.toString('hex'))))) found.push(`${name}: ${typeof needle === 'string' ? needle : 'a key'}`);
    }
  }
  return found;
}

describe('erasure end to end: a canary value appears nowhere afterwards', () => {
  let dir: string;
  let ledgerDb: string;
  let server: RunningServer;
  let logs = '';
  const printed: string[] = [];
  let base: string;

  const headers = (role: Role, extra: Record<string, string> = {}): Record<string, string> => ({
    ...(role === 'anonymous' ? {} : { Authorization: `Bearer ${KEYS[role]}` }),
    ...extra,
  });
  const get = async (role: Role, path: string) => {
    const res = await fetch(base + path, { headers: headers(role) });
    return { status: res.status, text: await res.text() };
  };
  const getJson = async (role: Role, path: string) => {
    const res = await get(role, path);
    return { status: res.status, body: JSON.parse(res.text) as Record<string, any>, text: res.text };
  };
  const post = async (role: Role, path: string, body: unknown, extra: Record<string, string> = {}) => {
    const res = await fetch(base + path, { method: 'POST', headers: headers(role, { 'Content-Type': 'application/json', ...extra }), body: JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text) as Record<string, any>, text };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-canary-'));
    ledgerDb = join(dir, 'ledger.db');
    const seeded = await ledger(['seed', '--db', ledgerDb]);
    expect(seeded).toMatchObject({ code: 0, stderr: '' });
    const config = loadConfig({
      LEDGER_DB: ledgerDb,
      LEDGER_API_KEYS: Object.entries(KEYS).map(([role, key]) => `${role}:${key}`).join(','),
      LEDGER_RATE_LIMIT: '0',
      LOG_LEVEL: 'debug',
      NODE_ENV: 'test',
      PORT: '0',
    });
    const logger = createLogger(config, { write: (line: string) => void (logs += line) });
    server = await startServer(config, { logger, host: '127.0.0.1', print: (line) => printed.push(line) });
    base = server.url.replace('localhost', '127.0.0.1');
  });
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  let partnerId: string;
  let contactSubject: string;
  let deputySubject: string;
  let deputyKey: Buffer;
  let contactKey: Buffer;

  it('records the canaries through the API; privileged readers see them decrypted, anonymous ones see nothing', async () => {
    const applied = await post(
      'office',
      '/v1/partners/applications',
      { organisation: { name: 'Kanarienzucht Sachsen e. V.', category: 'association' }, contact: { name: CANARY.contactName, email: CANARY.email, phone: CANARY.phone }, channel: 'email', receivedOn: '2025-10-01' },
      { 'Idempotency-Key': `canary-${tag}` },
    );
    expect(applied.status).toBe(201);
    partnerId = applied.body.id;
    const board = await getJson('office', '/v1/board');
    const member = board.body.members[0];
    const deputy = await post('office', `/v1/board/members/${member.id}/deputies`, { name: CANARY.deputyName, startDate: '2025-10-01' }, { 'Idempotency-Key': `canary-deputy-${tag}` });
    expect(deputy.status).toBe(201);

    // a refused write that carries a canary: the problem does not echo it (and the log does not keep it, below)
    const refused = await post('office', '/v1/partners/applications', { organisation: { name: 'X', category: 'other' }, contact: { name: CANARY.contactName, email: `not an e-mail ${tag}` }, channel: 'email', receivedOn: '2025-10-01' });
    expect([400, 422]).toContain(refused.status);
    for (const value of canaries) expect(refused.text).not.toContain(value);

    for (const role of ['office', 'auditor', 'admin'] as const) {
      const partner = await getJson(role, `/v1/partners/${partnerId}`);
      expect(partner.body.contact).toEqual({ subjectId: expect.any(String), name: CANARY.contactName, email: CANARY.email, phone: CANARY.phone });
      const deputies = (await getJson(role, '/v1/board')).body.members[0].deputies;
      expect(deputies).toEqual([expect.objectContaining({ name: CANARY.deputyName, subjectId: expect.any(String) })]);
    }
    contactSubject = (await getJson('office', `/v1/partners/${partnerId}`)).body.contact.subjectId;
    deputySubject = (await getJson('office', '/v1/board')).body.members[0].deputies[0].subjectId;
    for (const path of ['/v1/board', '/v1/partners', `/v1/partners/${partnerId}`, '/v1/alliance', '/v1/groups', '/v1/meetings', '/v1/resolutions']) {
      const anonymous = await get('anonymous', path);
      expect(anonymous.status).toBe(200);
      for (const value of [...canaries, 'subjectId', 'enc:v1:', 'Erika Mustermann', 'Staatssekretär']) expect(anonymous.text).not.toContain(value);
    }

    // the report decrypts for staff who ask for personal data (so that its absence later means something)
    const before = await ledger(['report', 'partners', '--db', ledgerDb, '--with-personal-data', '--format', 'json']);
    expect(before.code).toBe(0);
    expect(before.stdout).toContain(CANARY.email);

    // the keys exist on the disk now, so that their absence later means something
    const reader = SubjectKeyStore.open(join(dir, 'subject-keys.db'));
    contactKey = reader.get(contactSubject)!;
    deputyKey = reader.get(deputySubject)!;
    reader.close();
    expect(contactKey).toHaveLength(32);
    expect(deputyKey).toHaveLength(32);
    expect(whereFound(filesUnder(dir), [contactKey, deputyKey]).length).toBeGreaterThan(0);
  });

  it('erases the contact through the API (admin only; 404 unknown, 409 the second time)', async () => {
    expect((await post('office', `/v1/subjects/${contactSubject}/erasure`, { reason: 'Art. 17 DSGVO' })).status).toBe(403);
    expect((await post('anonymous', `/v1/subjects/${contactSubject}/erasure`, { reason: 'Art. 17 DSGVO' })).status).toBe(401);
    expect((await post('admin', '/v1/subjects/not-a-subject/erasure', { reason: 'Art. 17 DSGVO' })).status).toBe(400);
    expect((await post('admin', `/v1/subjects/${contactSubject}/erasure`, {})).status).toBe(400);
    const unknown = await post('admin', '/v1/subjects/00000000-0000-4000-8000-00000000abcd/erasure', { reason: 'Art. 17 DSGVO' });
    expect(unknown.status).toBe(404);

    const erased = await post('admin', `/v1/subjects/${contactSubject}/erasure`, { reason: 'Art. 17 DSGVO, Antrag vom 02.02.2026' });
    expect(erased.status).toBe(200);
    expect(erased.body).toEqual({ id: contactSubject, revision: 0, position: expect.stringMatching(/^\d+$/) });

    const again = await post('admin', `/v1/subjects/${contactSubject}/erasure`, { reason: 'noch einmal' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ type: expect.stringMatching(/\/subject-already-erased$/), rule: 'subject-already-erased' });
  });

  it('erases the deputy with `ledger erase` beside the running server (exit 2 unknown and the second time)', async () => {
    expect(await ledger(['erase', '00000000-0000-4000-8000-00000000abcd', '--reason', 'Art. 17 DSGVO', '--db', ledgerDb])).toMatchObject({ code: 2, stdout: '' });
    expect((await ledger(['erase', 'not-a-subject', '--reason', 'x', '--db', ledgerDb])).code).toBe(2);
    expect((await ledger(['erase', deputySubject, '--db', ledgerDb])).code).toBe(2);

    const erased = await ledger(['erase', deputySubject, '--reason', 'Art. 17 DSGVO', '--db', ledgerDb]);
    expect(erased).toMatchObject({ code: 0, stderr: '' });
    expect(erased.stdout).toContain(`erased the personal data of subject ${deputySubject}`);
    const again = await ledger(['erase', deputySubject, '--reason', 'Art. 17 DSGVO', '--db', ledgerDb]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^ledger: subject .* was erased at .* \(rule: subject-already-erased\)\n$/);
    // the server held the deputy's key in its cache: the erasure in the log takes it away there too
    const deadline = Date.now() + 10_000;
    for (;;) {
      const deputy = (await getJson('office', '/v1/board')).body.members[0].deputies[0];
      if (deputy.erased === true) break;
      if (Date.now() > deadline) throw new Error(`the server still shows the deputy: ${JSON.stringify(deputy)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it('reads the erased fields as erased, in every read and for every privileged role; never fails', async () => {
    for (const role of ['office', 'auditor', 'admin'] as const) {
      const partner = await getJson(role, `/v1/partners/${partnerId}`);
      expect(partner.status).toBe(200);
      expect(partner.body.contact).toEqual({ subjectId: contactSubject, name: null, email: null, phone: null, erased: true });
      const listed = (await getJson(role, '/v1/partners?limit=100')).body.data.find((p: { id: string }) => p.id === partnerId);
      expect(listed.contact).toEqual({ subjectId: contactSubject, name: null, email: null, phone: null, erased: true });
      const board = await getJson(role, '/v1/board');
      expect(board.body.members[0].deputies[0]).toMatchObject({ subjectId: deputySubject, name: null, erased: true });
      // the others are untouched
      expect(board.body.members.every((m: { name: unknown }) => typeof m.name === 'string')).toBe(true);
      // the state before the erasure reads erased as well: the key is gone for every cut
      const then = await getJson(role, `/v1/partners/${partnerId}?knownAt=${encodeURIComponent(new Date().toISOString())}&asOf=2025-10-02`);
      expect(then.body.contact).toMatchObject({ name: null, erased: true });
      for (const value of canaries) expect(partner.text + board.text).not.toContain(value);
    }
  });

  it('serves the raw log exactly as stored: ciphertext, and the erasure without personal data', async () => {
    const stored: StoredEvent[] = [];
    for await (const event of server.store.readStream(`partner-${partnerId}`)) stored.push(event);
    const served = await getJson('auditor', `/v1/streams/partner-${partnerId}`);
    expect(served.body.data).toEqual(JSON.parse(JSON.stringify(stored.map(toEventJson))));
    const contact = served.body.data[0].data.contact;
    for (const field of ['name', 'email', 'phone']) expect(isEncrypted(contact[field])).toBe(true);
    const erasure = await getJson('auditor', `/v1/streams/subject-${contactSubject}`);
    expect(erasure.body.data).toEqual([expect.objectContaining({ type: 'SubjectErased', data: { subjectId: contactSubject, reason: 'Art. 17 DSGVO, Antrag vom 02.02.2026', occurredAt: expect.any(String) } })]);
    const events = await get('auditor', '/v1/events?limit=500');
    expect(events.text).toContain('SubjectErased');
    for (const value of canaries) expect(events.text).not.toContain(value);
  });

  it('still verifies: every hash chain, the digest, the API’s verification and `ledger verify`', async () => {
    const verification = await verifyLedger(server.store);
    expect(verification).toMatchObject({ ok: true });
    expect((await getJson('auditor', '/v1/ledger/verification')).body).toMatchObject({ ok: true, checkedEvents: verification.checkedEvents });
    const verify = await ledger(['verify', '--db', ledgerDb]);
    expect(verify).toMatchObject({ code: 0, stderr: '' });
  });

  it('leaves no canary in any report (every kind and form, with personal data) nor in an export', async () => {
    for (const kind of reportKinds) {
      for (const format of ['md', 'csv', 'html', 'json']) {
        const out = join(dir, `${kind}.${format}`);
        const run = await ledger(['report', kind, '--db', ledgerDb, '--with-personal-data', '--format', format, '--out', out]);
        expect(run).toMatchObject({ code: 0, stderr: '' });
      }
    }
    const partners = readFileSync(join(dir, 'partners.json'), 'utf8');
    expect(partners).toContain('(gelöscht)');
    expect(partners).toContain('Erika Mustermann'); // the seed's contact, not erased, still reads
    expect(readFileSync(join(dir, 'board.md'), 'utf8')).toContain('(gelöscht)');

    const exported = await ledger(['export', '--db', ledgerDb, '--out', join(dir, 'export.jsonl'), '--public-key-out', join(dir, 'ledger-public.pem')]);
    expect(exported).toMatchObject({ code: 0, stderr: '' });
    const checked = await ledger(['verify', '--export', join(dir, 'export.jsonl'), '--public-key', join(dir, 'ledger-public.pem')]);
    expect(checked).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(join(dir, 'export.jsonl'), 'utf8')).toContain('enc:v1:');
  });

  it('finds no canary and no erased key in any file of the installation, while the server runs and after it stopped', async () => {
    const needles = [...canaries, contactKey, deputyKey];
    expect(whereFound(filesUnder(dir), needles)).toEqual([]);
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(['ledger.db', 'subject-keys.db', 'idempotency.db']));

    await server.close();
    const files = filesUnder(dir);
    // the runner wrote its snapshot on stopping
    expect(files.map((f) => f.name)).toEqual(expect.arrayContaining(['ledger.db', 'subject-keys.db', 'read-models.snapshot', 'export.jsonl', 'partners.json']));
    expect(whereFound(files, needles)).toEqual([]);

    // the server's log at debug level, and what it printed
    expect(logs).toContain('/v1/subjects/{subjectId}/erasure');
    expect(whereFound([{ name: 'log', bytes: Buffer.from(logs + printed.join('\n'), 'utf8') }], canaries)).toEqual([]);
  });
});
