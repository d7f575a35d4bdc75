import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { verifyLedger } from '../../src/integrity/verification';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store';
import type { StoredEvent } from '../../src/store/port';
import { LONG, param, percentile, random, report, Tally } from './support/figures';
import { allPages, API_KEYS_ENV, get, KEYS, post, request, type Answer } from './support/http';
import { ChildServer, copyInstallation, startInProcess, tempDirectory, waitReady } from './support/servers';

/**
 * Crash safety: the real server (`node bin/ledger.js serve`) is killed with SIGKILL at random moments while this
 * process keeps posting writes. After each kill the ledger file must hold every acknowledged write, whole, and verify;
 * the restarted server must resume its read models from their checkpoint and answer exactly as a rebuild from zero.
 * Writes that were in flight at the kill are retried with their Idempotency-Key and must then be in the log once.
 */
const KILLS = param('RELIABILITY_KILLS', 20, 500);
/** the kill comes this long (uniformly, ms) after the server listens: sometimes while it catches up, mostly mid-writes */
const KILL_WINDOW_MS = param('RELIABILITY_KILL_WINDOW_MS', 600, 600);
/**
 * the comparison of every read model with a rebuild from zero (and of every acknowledged write with what the server
 * shows) costs time in proportion to the log: after every restart in CI, after every tenth in the long run, and
 * after the last. The digest (a read model too) is compared with the recomputed log after every restart.
 */
const COMPARE_EVERY = param('RELIABILITY_COMPARE_EVERY', 1, 10);
const IN_FLIGHT = 4;

jest.setTimeout(KILLS * 15_000 + 60_000);

type Kind = 'application' | 'statement' | 'withdrawal';

interface Write {
  key: string;
  kind: Kind;
  path: string;
  body: unknown;
  /** the stream it appends to, once known (applications: from the answer) */
  stream?: string;
  marker: string;
  /** the partner a withdrawal concerns */
  partnerId?: string;
}

interface Ack {
  write: Write;
  id: string;
  revision: number;
  position: bigint;
}

const figures = {
  kills: 0,
  killsMidWrite: 0,
  killsBeforeReady: 0,
  writesSent: 0,
  acknowledged: 0,
  inDoubtAtKill: 0,
  inDoubtFoundWritten: 0,
  retriedAfterRestart: 0,
  acknowledgedLost: 0,
  duplicates: 0,
  halfWritten: 0,
  verifications: 0,
  restartsFromCheckpoint: 0,
  restartsFromZero: 0,
  readModelComparisons: 0,
  /** temporary snapshot files a kill left behind, seen before the restart (the next snapshot write removes them) */
  staleSnapshotFilesSeen: 0,
};
const otherAnswers = new Tally();
const restartMs: number[] = [];

let tmp: ReturnType<typeof tempDirectory>;
let server: ChildServer;

beforeAll(() => {
  tmp = tempDirectory('ledger-reliability-crash-');
  server = new ChildServer({ LEDGER_DB: tmp.ledgerDb, LEDGER_API_KEYS: API_KEYS_ENV, LEDGER_RATE_LIMIT: '0', LOG_LEVEL: 'info' });
});

afterAll(async () => {
  await server?.stop('SIGKILL');
  tmp?.remove();
});

/** temporary files of snapshot writes that did not finish */
const staleSnapshotFiles = (dir: string) => readdirSync(dir).filter((f) => /^\.read-models\.snapshot\..*\.tmp$/.test(f)).length;

const marked = (marker: string) => (event: StoredEvent) => JSON.stringify(event.data).includes(marker);

describe('crash safety: SIGKILL while writing', () => {
  it(`keeps every acknowledged event through ${KILLS} kills, resumes the read models from their checkpoint, and equals a rebuild`, async () => {
    const rnd = random();
    const acked = new Map<string, Ack>();
    let inDoubt: Write[] = [];
    const withdrawable: string[] = [];

    await server.start();
    await waitReady(server.url, 30_000);
    const appointed = await post(server.url, '/v1/patron/appointments', { name: 'Dirk Panter', office: 'Staatsminister für Wirtschaft und Arbeit', startDate: '2025-09-01' }, { key: KEYS.office });
    expect(appointed.status).toBe(201);

    const nextWrite = (): Write => {
      const key = `crash-${randomUUID()}`;
      const marker = key;
      const dice = rnd();
      if (dice < 0.2 && withdrawable.length > 0) {
        const partnerId = withdrawable.splice(Math.floor(rnd() * withdrawable.length), 1)[0]!;
        return { key, kind: 'withdrawal', path: `/v1/partners/${partnerId}/withdrawal`, body: { occurredAt: '2025-10-05T09:00:00+02:00', reason: `Rückzug ${marker}` }, stream: `partner-${partnerId}`, marker, partnerId };
      }
      if (dice < 0.55) {
        return { key, kind: 'statement', path: '/v1/patron/statements', body: { text: `Erklärung ${marker}`, language: 'de', occasion: 'Absturztest', issuedOn: '2025-10-01' }, stream: 'patron-main', marker };
      }
      return {
        key,
        kind: 'application',
        path: '/v1/partners/applications',
        body: { organisation: { name: `Bewerber ${marker}`, category: 'employer', city: 'Dresden' }, contact: { name: 'Kontakt Person', email: 'kontakt@example.org' }, channel: 'form', receivedOn: '2025-10-01' },
        marker,
      };
    };

    const send = (url: string, write: Write): Promise<Answer> => post(url, write.path, write.body, { key: KEYS.office, headers: { 'idempotency-key': write.key }, timeoutMs: 20_000 });

    const acknowledge = (write: Write, answer: Answer) => {
      const body = answer.json as { id: string; revision: number; position: string };
      if (write.kind === 'application') {
        write.stream = `partner-${body.id}`;
        withdrawable.push(body.id);
      }
      acked.set(write.key, { write, id: body.id, revision: body.revision, position: BigInt(body.position) });
      figures.acknowledged = acked.size;
    };

    for (let kill = 1; kill <= KILLS; kill++) {
      // writes from the moment the server is ready until the kill
      const url = server.url;
      // now and then right after the server listens, while it restores its snapshot and catches up
      const killAfter = rnd() < 0.15 ? rnd() * 50 : rnd() * KILL_WINDOW_MS;
      let killed = false;
      const sending = new Set<Write>();
      const writer = async () => {
        // the kill may come while the server still catches up: then nothing is written in this round
        while (!killed && (await get(url, '/health/ready', { timeoutMs: 2000 }).catch(() => undefined))?.status !== 200) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        while (!killed) {
          const write = nextWrite();
          sending.add(write);
          figures.writesSent += 1;
          try {
            const answer = await send(url, write);
            if (answer.status >= 200 && answer.status < 300) {
              acknowledge(write, answer);
              sending.delete(write);
            } else {
              otherAnswers.add(answer.status);
            }
          } catch {
            // the connection died with the server: the write is in doubt
          }
        }
      };
      const writers = Array.from({ length: IN_FLIGHT }, () => writer());
      await new Promise((resolve) => setTimeout(resolve, killAfter));
      const wasReady = (await get(url, '/health/ready', { timeoutMs: 1000 }).catch(() => undefined))?.status === 200;
      killed = true;
      const exit = await server.stop('SIGKILL');
      expect(exit.signal).toBe('SIGKILL');
      figures.kills += 1;
      if (!wasReady) figures.killsBeforeReady += 1;
      await Promise.all(writers);
      const doubtful = [...sending];
      if (doubtful.length > 0) figures.killsMidWrite += 1;
      figures.inDoubtAtKill += doubtful.length;
      inDoubt = inDoubt.concat(doubtful);

      // restart at once (the read models resume from the snapshot the last start wrote, then catch up); meanwhile
      // the file as the crash left it must be whole, verify, and hold every acknowledged write once
      const snapshotExisted = existsSync(join(tmp.dir, 'read-models.snapshot'));
      figures.staleSnapshotFilesSeen += staleSnapshotFiles(tmp.dir);
      const restarting = performance.now();
      const restart = (async () => {
        await server.start();
        await waitReady(server.url, 30_000);
        restartMs.push(performance.now() - restarting);
      })();
      const [writtenInDoubt] = await Promise.all([checkLedgerFile(tmp.ledgerDb, [...acked.values()], inDoubt), restart]);
      const restored = /read models restored from [^"]* at position (\d+)/.exec(server.output);
      if (snapshotExisted) {
        expect({ kill, restored: restored !== null }).toEqual({ kill, restored: true });
        figures.restartsFromCheckpoint += 1;
      } else {
        figures.restartsFromZero += 1;
      }

      // in-doubt writes are retried with their key: appended once, whether or not the first attempt had been
      for (const write of inDoubt) {
        const answer = await send(server.url, write);
        expect({ key: write.key, status: answer.status }).toEqual({ key: write.key, status: write.kind === 'application' ? 201 : write.kind === 'statement' ? 201 : 200 });
        const earlier = writtenInDoubt.get(write.key);
        if (earlier) {
          figures.inDoubtFoundWritten += 1;
          expect((answer.json as { position: string }).position).toBe(String(earlier.position));
        }
        acknowledge(write, answer);
        figures.retriedAfterRestart += 1;
      }
      inDoubt = [];

      // the restarted read models: the digest they hold is the root of the log as recomputed from scratch
      const verification = await get(server.url, '/v1/ledger/verification', { key: KEYS.auditor });
      expect(verification.json).toMatchObject({ ok: true });
      const { rootHash, digestRootHash, size } = verification.json as { rootHash: string; digestRootHash?: string; size: number };
      expect(digestRootHash).toBe(rootHash);
      // and it holds each event once: not a leaf more than the log
      expect((await get(server.url, '/v1/ledger/digest')).json).toMatchObject({ size, rootHash });
      if (kill % COMPARE_EVERY === 0 || kill === KILLS) {
        await checkServer(server.url, [...acked.values()]);
        await compareWithRebuild(server.url, tmp.ledgerDb);
      }
    }

    // a last look at the file with every retry acknowledged, then an orderly stop
    await checkLedgerFile(tmp.ledgerDb, [...acked.values()], []);
    const stopped = await server.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    await checkLedgerFile(tmp.ledgerDb, [...acked.values()], []);

    const staleSnapshotFilesLeft = staleSnapshotFiles(tmp.dir);
    expect(staleSnapshotFilesLeft).toBe(0);
    expect(figures.acknowledgedLost).toBe(0);
    expect(figures.duplicates).toBe(0);
    expect(figures.halfWritten).toBe(0);
    expect(otherAnswers.counts).toEqual({});
    report('crash: SIGKILL while writing', {
      ...figures,
      longRun: LONG,
      otherAnswers: otherAnswers.counts,
      staleSnapshotFilesLeft,
      restartP50Ms: percentile(restartMs, 50),
      restartMaxMs: percentile(restartMs, 100),
    });
  });
});

/**
 * Opens the ledger file as the crash left it: SQLite's own check, the full verification (every hash chain and the
 * Merkle root), every acknowledged write at its position with its content, and no write twice. Answers the in-doubt
 * writes that turn out to be in the log.
 */
async function checkLedgerFile(path: string, acks: readonly Ack[], inDoubt: readonly Write[]): Promise<Map<string, StoredEvent>> {
  const db = new Database(path);
  try {
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') figures.halfWritten += 1;
    expect(check).toBe('ok');
  } finally {
    db.close();
  }
  const store = await openEmbeddedStore({ path });
  try {
    const verification = await verifyLedger(store);
    figures.verifications += 1;
    if (!verification.ok) figures.halfWritten += 1;
    expect(verification).toMatchObject({ ok: true });
    const log: StoredEvent[] = [];
    for await (const event of store.readAll()) log.push(event);
    const byPosition = new Map(log.map((e) => [e.position, e]));
    const byMarker = new Map<string, StoredEvent[]>();
    for (const event of log) {
      const m = /crash-[0-9a-f-]{36}/.exec(JSON.stringify(event.data));
      if (m) byMarker.set(m[0], [...(byMarker.get(m[0]) ?? []), event]);
    }
    for (const ack of acks) {
      const event = byPosition.get(ack.position);
      const present = event !== undefined && event.stream === ack.write.stream && event.revision === BigInt(ack.revision) && marked(ack.write.marker)(event);
      if (!present) figures.acknowledgedLost += 1;
      expect({ key: ack.write.key, present }).toEqual({ key: ack.write.key, present: true });
    }
    for (const [marker, events] of byMarker) {
      if (events.length > 1) figures.duplicates += 1;
      expect({ marker, copies: events.length }).toEqual({ marker, copies: 1 });
    }
    const found = new Map<string, StoredEvent>();
    for (const write of inDoubt) {
      const event = byMarker.get(write.marker)?.[0];
      if (event) found.set(write.key, event);
    }
    return found;
  } finally {
    await store.close();
  }
}

/** Every acknowledged write through the restarted server's read models. */
async function checkServer(url: string, acks: readonly Ack[]): Promise<void> {
  const partners = new Map((await allPages(url, '/v1/partners', KEYS.office)).map((p) => [p.id as string, p]));
  const statements = new Map((await allPages(url, '/v1/patron/statements', KEYS.office)).map((s) => [s.id as string, s]));
  for (const ack of acks) {
    const { kind } = ack.write;
    const seen =
      kind === 'application'
        ? JSON.stringify(partners.get(ack.id) ?? null).includes(ack.write.marker)
        : kind === 'statement'
          ? JSON.stringify(statements.get(ack.id) ?? null).includes(ack.write.marker)
          : (partners.get(ack.write.partnerId!) as { status?: string } | undefined)?.status === 'withdrawn';
    if (!seen) figures.acknowledgedLost += 1;
    expect({ key: ack.write.key, kind, seen }).toEqual({ key: ack.write.key, kind, seen: true });
  }
}

/**
 * The restarted server's read models (snapshot + catch-up) against a rebuild from zero: a second server, in this
 * process, on a copy of the ledger file (and of the subject key store) without any snapshot. Their answers must be
 * the same.
 */
async function compareWithRebuild(url: string, ledgerDb: string): Promise<void> {
  const copy = tempDirectory('ledger-reliability-rebuild-');
  try {
    await copyInstallation(dirname(ledgerDb), copy.dir);
    const rebuilt = await startInProcess(copy.dir);
    try {
      for (const path of ['/v1/partners', '/v1/patron/statements']) {
        expect(await allPages(url, path, KEYS.office)).toEqual(await allPages(rebuilt.url, path, KEYS.office));
      }
      for (const path of ['/v1/patron', '/v1/ledger/digest']) {
        const [served, fromZero] = await Promise.all([get(url, path, { key: KEYS.office }), get(rebuilt.url, path, { key: KEYS.office })]);
        expect(served.status).toBe(200);
        const pick = (a: Answer) => (path === '/v1/ledger/digest' ? { size: (a.json as { size: number }).size, rootHash: (a.json as { rootHash: string }).rootHash } : a.json);
        expect(pick(served)).toEqual(pick(fromZero));
      }
      // the log as both serve it, raw
      const [a, b] = await Promise.all([request(url, 'GET', '/v1/events?limit=1', { key: KEYS.auditor }), request(rebuilt.url, 'GET', '/v1/events?limit=1', { key: KEYS.auditor })]);
      expect(a.json).toEqual(b.json);
      figures.readModelComparisons += 1;
    } finally {
      await rebuilt.close();
    }
  } finally {
    copy.remove();
  }
}
