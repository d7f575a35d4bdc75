import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The real server process (`node bin/ledger.js serve`, what `npm start` runs) on a temp ledger with keys from
 * LEDGER_API_KEYS: the press release of 12.09.2025 over HTTP, the board as of the day before and of the day, and a
 * clean stop on SIGTERM and on SIGINT (also with a live feed open). Every child is waited for, or killed.
 */

const BIN = join(__dirname, '..', '..', 'bin', 'ledger.js');
const OFFICE = 'office-e2e-key-0123456789';
const AUDITOR = 'auditor-e2e-key-0123456789';
const DAY = '2025-09-12';

interface Served {
  child: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): { stdout: string; stderr: string };
}

const children = new Set<ChildProcess>();

function runLedger(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

function baseEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env };
}

/** Starts `ledger serve` on a free port (PORT=0) and answers once it printed where it listens. */
async function serve(env: Record<string, string>): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve'], { env: baseEnv({ PORT: '0', ...env }), stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line within 20 s: ${stdout} ${stderr}`)), 20_000);
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
      const m = /allianz-ledger listening on (http:\/\/localhost:\d+) \(store: [^)]*\)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace('localhost', '127.0.0.1'));
      }
    });
    void exited.then(({ code }) => reject(new Error(`the server exited (${code}) before listening: ${stderr}`)));
  });
  return { child, url, exited, output: () => ({ stdout, stderr }) };
}

/** Waits for the process to exit by itself after a signal; kills it (and fails) when it overstays. */
async function stop(served: Served, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  served.child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const overstayed = new Promise<'overstayed'>((resolve) => (timer = setTimeout(() => resolve('overstayed'), 10_000)));
  const result = await Promise.race([served.exited, overstayed]);
  clearTimeout(timer);
  if (result === 'overstayed') {
    served.child.kill('SIGKILL');
    await served.exited;
    throw new Error(`the server did not exit within 10 s of ${signal}`);
  }
  expect(isAlive(served.child.pid!)).toBe(false);
  return result;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function client(base: string, key?: string) {
  const headers = (extra: Record<string, string> = {}) => ({ ...(key ? { Authorization: `Bearer ${key}` } : {}), ...extra });
  return {
    async get(path: string): Promise<{ status: number; body: any }> {
      const res = await fetch(new URL(path, base), { headers: headers() });
      return { status: res.status, body: await res.json() };
    },
    async post(path: string, body: unknown, expected: number): Promise<any> {
      const res = await fetch(new URL(path, base), { method: 'POST', headers: headers({ 'Content-Type': 'application/json' }), body: JSON.stringify(body) });
      const json = (await res.json()) as any;
      if (res.status !== expected) throw new Error(`POST ${path}: expected ${expected}, got ${res.status}: ${JSON.stringify(json)}`);
      expect(json).toEqual(expect.objectContaining({ id: expect.any(String), revision: expect.any(Number), position: expect.stringMatching(/^\d+$/) }));
      expect(res.headers.get('etag')).toBe(`"${json.revision}"`);
      return json;
    },
  };
}

const MEMBERS = [
  { name: 'Staatssekretär:in (Vorsitz)', onBehalfOf: 'Sächsisches Staatsministerium für Wirtschaft und Arbeit', seatCategory: 'ministry', role: 'chair' },
  { name: 'Abteilungsleitung Berufliche Bildung', onBehalfOf: 'Sächsisches Staatsministerium für Kultus', seatCategory: 'ministry', role: 'member' },
  { name: 'Geschäftsführung SSG', onBehalfOf: 'Sächsischer Städte- und Gemeindetag', seatCategory: 'municipal', role: 'member' },
  { name: 'Geschäftsführung SLKT', onBehalfOf: 'Sächsischer Landkreistag', seatCategory: 'municipal', role: 'member' },
  { name: 'Hauptgeschäftsführung IHK (stellv. Vorsitz)', onBehalfOf: 'Industrie- und Handelskammern in Sachsen', seatCategory: 'chamber', role: 'deputy-chair' },
  { name: 'Hauptgeschäftsführung HWK', onBehalfOf: 'Handwerkskammern in Sachsen', seatCategory: 'chamber', role: 'member' },
  { name: 'Hauptgeschäftsführung VSW', onBehalfOf: 'Vereinigung der Sächsischen Wirtschaft', seatCategory: 'association', role: 'member' },
  { name: 'Vorsitz des Bezirks', onBehalfOf: 'DGB Sachsen', seatCategory: 'union', role: 'member' },
  { name: 'Geschäftsführung LIGA', onBehalfOf: 'LIGA der freien Wohlfahrtspflege in Sachsen', seatCategory: 'welfare', role: 'member' },
];

describe('the server process: the press release of 12.09.2025 over HTTP', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
    env = { LEDGER_DB: join(dir, 'ledger.db'), LEDGER_API_KEYS: `office:${OFFICE},auditor:${AUDITOR}` };
  });
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('records the press release, answers the board as of 11.09. (404) and 12.09. (its members), and stops on SIGTERM', async () => {
    const served = await serve(env);
    const office = client(served.url, OFFICE);
    const anonymous = client(served.url);

    await office.post('/v1/alliance/constitution', { name: 'Fachkräfteallianz Sachsen', constitutedOn: DAY, place: 'Dresden', strategyRef: 'Fachkräftestrategie Sachsen 2030', officeEmail: 'fachkraefteallianz@smwa.sachsen.de' }, 201);
    const patron = await office.post('/v1/patron/appointments', { name: 'Dirk Panter', office: 'Staatsminister für Wirtschaft und Arbeit', startDate: DAY }, 201);
    const statement = await office.post(
      '/v1/patron/statements',
      { text: 'Fachkräftesicherung ist die große Zukunftsaufgabe für Sachsen.', language: 'de', occasion: 'Neukonstituierung der Fachkräfteallianz Sachsen', issuedOn: DAY, sourceRef: 'Medieninformation vom 12.09.2025' },
      201,
    );
    await office.post('/v1/board', { name: 'Beschließendes Gremium der Fachkräfteallianz Sachsen', establishedOn: DAY, seats: { ministry: 2, municipal: 2, chamber: 2, association: 1, union: 1, welfare: 1 } }, 201);
    const memberIds: string[] = [];
    for (const member of MEMBERS) memberIds.push((await office.post('/v1/board/members', { ...member, votingRight: true, startDate: DAY }, 201)).id);

    const meeting = await office.post(
      '/v1/meetings',
      { title: 'Konstituierende Sitzung der Fachkräfteallianz Sachsen', date: DAY, place: 'Dresden', agenda: [{ title: 'Neukonstituierung der Fachkräfteallianz Sachsen' }, { title: 'Neuausrichtung der Arbeit der Allianz' }] },
      201,
    );
    expect(meeting.agenda).toEqual([
      { id: expect.any(String), order: 1, title: 'Neukonstituierung der Fachkräfteallianz Sachsen' },
      { id: expect.any(String), order: 2, title: 'Neuausrichtung der Arbeit der Allianz' },
    ]);
    const invitation = await office.post(`/v1/meetings/${meeting.id}/invitations`, { sentOn: '2025-09-01' }, 200);
    expect(invitation.timely).toBe(true);
    await office.post(`/v1/meetings/${meeting.id}/attendance`, { present: memberIds, occurredAt: '2025-09-12T10:00:00+02:00' }, 200);
    const resolution = await office.post(
      '/v1/resolutions',
      { title: 'Neuausrichtung der Fachkräfteallianz Sachsen', text: 'Die Allianz wird künftig durch ein breites Netzwerk sächsischer Partner unterstützt.', kind: 'general', meetingId: meeting.id, agendaItemId: meeting.agenda[1].id, proposedOn: DAY },
      201,
    );
    await office.post(`/v1/resolutions/${resolution.id}/votes`, { votes: memberIds.map((memberId) => ({ memberId, vote: 'yes' })), occurredAt: '2025-09-12T11:00:00+02:00' }, 200);
    const decision = await office.post(`/v1/resolutions/${resolution.id}/decision`, { decidedOn: DAY }, 200);
    expect(decision).toMatchObject({ id: resolution.id, outcome: 'adopted', basis: { votingMembers: 9, present: 9, recused: 0, quorumMet: true, tally: { yes: 9, no: 0, abstain: 0 }, rulesVersion: 1 } });
    await office.post(`/v1/meetings/${meeting.id}/closure`, { occurredAt: '2025-09-12T13:00:00+02:00', minutesRef: 'Niederschrift der konstituierenden Sitzung' }, 200);
    const partner = await office.post(
      '/v1/partners/applications',
      {
        organisation: { name: 'Musterverband Pflege Sachsen e. V. (Beispiel)', category: 'association', city: 'Leipzig' },
        contact: { name: 'Erika Mustermann', email: 'erika.mustermann@example.org' },
        expertise: ['Pflegeausbildung'],
        channel: 'email',
        receivedOn: '2025-09-15',
        messageRef: 'Bewerbung per E-Mail',
      },
      201,
    );

    const before = await anonymous.get('/v1/board?asOf=2025-09-11');
    expect(before.status).toBe(404);
    expect(before.body).toMatchObject({ status: 404, type: expect.stringMatching(/not-found$/) });
    expect((await anonymous.get('/v1/alliance?asOf=2025-09-11')).status).toBe(404);

    const board = await anonymous.get(`/v1/board?asOf=${DAY}`);
    expect(board.status).toBe(200);
    expect(board.body).toMatchObject({ name: 'Beschließendes Gremium der Fachkräfteallianz Sachsen', establishedOn: DAY });
    expect(board.body.members.map((m: { id: string }) => m.id).sort()).toEqual([...memberIds].sort());
    expect(new Set(board.body.members.map((m: { seatCategory: string }) => m.seatCategory))).toEqual(new Set(['ministry', 'municipal', 'chamber', 'association', 'union', 'welfare']));
    for (const member of board.body.members) expect(member.name).toBeUndefined();
    const named = await client(served.url, AUDITOR).get(`/v1/board?asOf=${DAY}`);
    expect(named.body.members.map((m: { name: string }) => m.name).sort()).toEqual(MEMBERS.map((m) => m.name).sort());

    const alliance = await anonymous.get(`/v1/alliance?asOf=${DAY}`);
    expect(alliance.body).toMatchObject({ name: 'Fachkräfteallianz Sachsen', place: 'Dresden', constitutedOn: DAY, patron: { id: patron.id, name: 'Dirk Panter' }, board: { members: 9, votingMembers: 9 } });
    expect((await anonymous.get(`/v1/patron/statements/${statement.id}`)).body).toMatchObject({ issuedOn: DAY, patron: { name: 'Dirk Panter' } });
    expect((await anonymous.get(`/v1/resolutions/${resolution.id}`)).body).toMatchObject({ outcome: 'adopted', decidedOn: DAY });
    expect((await anonymous.get(`/v1/meetings/${meeting.id}`)).body).toMatchObject({ status: 'closed', invitation: { sentOn: '2025-09-01', timely: true } });
    const applicant = await anonymous.get(`/v1/partners/${partner.id}`);
    expect(applicant.body).toMatchObject({ status: 'applied', channel: 'email', receivedOn: '2025-09-15' });
    expect(applicant.body.contact).toBeUndefined();

    const verification = await client(served.url, AUDITOR).get('/v1/ledger/verification');
    expect(verification.body).toMatchObject({ ok: true });
    const digest = await anonymous.get('/v1/ledger/digest');
    expect(digest.body.size).toBe(verification.body.checkedEvents);

    expect(await stop(served, 'SIGTERM')).toEqual({ code: 0, signal: null });
    expect(served.output().stderr).toBe('');

    // what the server wrote is whole: the CLI verifies it after the stop
    const verify = await runLedger(['verify'], { LEDGER_DB: env.LEDGER_DB! });
    expect(verify).toMatchObject({ code: 0, stderr: '' });
    expect(verify.stdout).toMatch(new RegExp(`^ok: ${digest.body.size} events`));
  });

  it('restarts on the same ledger, answers as before, and stops on SIGINT with a live feed open', async () => {
    const served = await serve(env);
    const board = await client(served.url).get(`/v1/board?asOf=${DAY}`);
    expect(board.body.members).toHaveLength(MEMBERS.length);

    const controller = new AbortController();
    const live = await fetch(new URL('/v1/live', served.url), { headers: { Authorization: `Bearer ${AUDITOR}` }, signal: controller.signal });
    expect(live.status).toBe(200);
    const reader = live.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toMatch(/^retry: /);

    // an open feed must not keep the server from stopping
    expect(await stop(served, 'SIGINT')).toEqual({ code: 0, signal: null });
    controller.abort();
    expect(served.output().stderr).toBe('');
    expect(existsSync(env.LEDGER_DB!)).toBe(true);
  });
});
