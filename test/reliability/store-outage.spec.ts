import { randomUUID } from 'node:crypto';
import { verifyLedger } from '../../src/integrity/verification';
import { openEventStoreDbStore } from '../../src/store/eventstoredb';
import type { StoredEvent } from '../../src/store/port';
import { EsdbDouble } from '../support/esdb-double';
import { param, percentile, report, Tally } from './support/figures';
import { allPages, delay, eventually, get, KEYS, post, problemFaults, type Answer } from './support/http';
import { copyInstallation, startInProcess, tempDirectory, type InProcessServer } from './support/servers';

/**
 * The EventStoreDB adapter through an outage: the server (in this process, EVENTSTORE_URL pointing at the wire-level
 * test double) loses its store and gets it back. Meanwhile writes answer 503 (a problem, promptly, never a 500)
 * and append nothing; afterwards writes succeed, nothing acknowledged is lost, and the subscriptions (the read
 * models' and the live feed's) go on without a gap or a duplicate.
 */
const OUTAGES = param('RELIABILITY_OUTAGES', 2, 10);
/** the store that stops answering but keeps its connections open: a write waits for the adapter's deadline (5 s) */
const HANGS = param('RELIABILITY_HANGS', 1, 3);
const OUTAGE_MS = param('RELIABILITY_OUTAGE_MS', 1500, 5000);
const WRITES_BETWEEN = param('RELIABILITY_OUTAGE_WRITES', 10, 50);
/** "a few seconds": the longest a write may take to be refused while the store is away, or hangs */
const REFUSAL_LIMIT_MS = 6000;
const HANG_REFUSAL_LIMIT_MS = 9000;

jest.setTimeout(60_000 + OUTAGES * (OUTAGE_MS + 40_000) + HANGS * 60_000);

let double: EsdbDouble;
let tmp: ReturnType<typeof tempDirectory>;
let server: InProcessServer;
let live: LiveClient | undefined;

beforeAll(async () => {
  double = await EsdbDouble.start();
  tmp = tempDirectory('ledger-reliability-outage-');
  server = await startInProcess(tmp.dir, { EVENTSTORE_URL: double.connectionString });
});

afterAll(async () => {
  live?.close();
  await server?.close();
  await double?.stop();
  tmp?.remove();
});

/** GET /v1/live read as server-sent events: the positions it delivered, in order. */
class LiveClient {
  readonly positions: bigint[] = [];
  private readonly abort = new AbortController();
  private readonly done: Promise<void>;

  constructor(url: string) {
    this.done = (async () => {
      const response = await fetch(`${url}/v1/live`, { headers: { authorization: `Bearer ${KEYS.auditor}` }, signal: this.abort.signal });
      if (response.status !== 200 || !response.body) throw new Error(`the live feed answered ${response.status}`);
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: (\d+)$/m.exec(message);
          if (id) this.positions.push(BigInt(id[1]!));
        }
      }
    })().catch(() => undefined);
  }

  close(): void {
    this.abort.abort();
  }

  async closed(): Promise<void> {
    await this.done;
  }
}

describe('store outage (EventStoreDB adapter over the test double)', () => {
  it(`${OUTAGES} outages and ${HANGS} hang(s): writes answer 503 meanwhile, nothing acknowledged is lost, subscriptions resume without gaps or duplicates`, async () => {
    const url = server.url;
    live = new LiveClient(url);
    const acked: Array<{ marker: string; id: string; revision: number; position: bigint }> = [];
    const refusedMarkers: string[] = [];
    const refusalMs: number[] = [];
    const hangRefusalMs: number[] = [];
    const recoveryMs: number[] = [];
    const duringOutage = new Tally();
    const duringHang = new Tally();
    const readsDuringOutage = new Tally();
    const afterRestore = new Tally();
    const steadyAnswers = new Tally();
    let steadyRetried = 0;

    const application = (marker: string) => ({
      organisation: { name: `Bewerber ${marker}`, category: 'research' },
      contact: { name: 'Kontakt Person', email: 'kontakt@example.org' },
      channel: 'letter',
      receivedOn: '2025-10-01',
    });
    const write = async (marker = `outage-${randomUUID()}`, headers: Record<string, string> = {}): Promise<{ marker: string; answer: Answer }> => {
      return { marker, answer: await post(url, '/v1/partners/applications', application(marker), { key: KEYS.office, headers, timeoutMs: 30_000 }) };
    };
    const acknowledge = (marker: string, answer: Answer) => {
      const body = answer.json as { id: string; revision: number; position: string };
      acked.push({ marker, id: body.id, revision: body.revision, position: BigInt(body.position) });
    };
    const writeAcknowledged = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const { marker, answer } = await write();
        expect(answer.status).toBe(201);
        acknowledge(marker, answer);
      }
    };
    /** waits after a restore until writes go through again; whatever comes before is a prompt 503 */
    const untilWritesSucceed = async () => {
      const restored = performance.now();
      for (;;) {
        const { marker, answer } = await write();
        afterRestore.add(answer.status);
        if (answer.status === 201) {
          acknowledge(marker, answer);
          break;
        }
        expect({ status: answer.status, faults: problemFaults(answer) }).toEqual({ status: 503, faults: [] });
        refusedMarkers.push(marker);
        expect(performance.now() - restored).toBeLessThan(30_000);
        await delay(100);
      }
      recoveryMs.push(performance.now() - restored);
    };

    // a client that writes all along, across every outage, with an Idempotency-Key: a write refused or cut off at
    // the moment the store goes is retried with its key until it is acknowledged, and must then be in the log once
    let steadyRunning = true;
    /** set when the test fails half-way: the steady client then stops retrying, so that nothing outlives the test */
    let abandoned = false;
    const steady = (async () => {
      while (steadyRunning) {
        const marker = `steady-${randomUUID()}`;
        for (let attempt = 0; !abandoned; attempt++) {
          let answer: Answer | undefined;
          try {
            answer = (await write(marker, { 'idempotency-key': marker })).answer;
          } catch {
            answer = undefined;
          }
          steadyAnswers.add(answer?.status ?? 'transport');
          if (answer?.status === 201) {
            acknowledge(marker, answer);
            break;
          }
          if (answer) expect({ status: answer.status, faults: problemFaults(answer) }).toEqual({ status: 503, faults: [] });
          if (attempt === 0) steadyRetried += 1;
          await delay(50);
        }
        await delay(20);
      }
    })();
    // its failure is reported where it is awaited below, not as an unhandled rejection in between
    steady.catch(() => undefined);

    try {
      await writeAcknowledged(WRITES_BETWEEN);
      for (let outage = 1; outage <= OUTAGES; outage++) {
        await double.simulateOutage();
        const until = Date.now() + OUTAGE_MS;
        while (Date.now() < until) {
          const { marker, answer } = await write();
          duringOutage.add(answer.status);
          refusalMs.push(answer.ms);
          refusedMarkers.push(marker);
          expect(problemFaults(answer)).toEqual([]);
          expect({ status: answer.status, type: (answer.json as { type?: string }).type }).toEqual({
            status: 503,
            type: 'https://allianz-ledger.example/problems/store-unavailable',
          });
          expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
          expect(answer.ms).toBeLessThan(REFUSAL_LIMIT_MS);
          // the read models still answer from memory
          readsDuringOutage.add((await get(url, '/v1/partners?limit=1')).status);
        }
        await double.restore();
        await untilWritesSucceed();
        await writeAcknowledged(WRITES_BETWEEN);
      }

      for (let hang = 1; hang <= HANGS; hang++) {
        double.simulateHang();
        const answers = await Promise.all(Array.from({ length: 3 }, () => write()));
        for (const { marker, answer } of answers) {
          duringHang.add(answer.status);
          hangRefusalMs.push(answer.ms);
          refusedMarkers.push(marker);
          expect({ status: answer.status, faults: problemFaults(answer) }).toEqual({ status: 503, faults: [] });
          expect(answer.ms).toBeLessThan(HANG_REFUSAL_LIMIT_MS);
        }
        readsDuringOutage.add((await get(url, '/v1/partners?limit=1')).status);
        await double.restore();
        await untilWritesSucceed();
        await writeAcknowledged(WRITES_BETWEEN);
      }
    } catch (error) {
      steadyRunning = false;
      abandoned = true;
      await steady.catch(() => undefined);
      throw error;
    }
    steadyRunning = false;
    await steady;
    expect(readsDuringOutage.counts).toEqual({ 200: readsDuringOutage.total });

    // the log as EventStoreDB holds it, through a connection of its own
    const reader = await openEventStoreDbStore({ connectionString: double.connectionString });
    let log: StoredEvent[] = [];
    try {
      for await (const event of reader.readAll()) log.push(event);
      const verification = await verifyLedger(reader);
      expect(verification).toMatchObject({ ok: true, checkedEvents: log.length });

      const byPosition = new Map(log.map((e) => [e.position, e]));
      let lost = 0;
      for (const ack of acked) {
        const event = byPosition.get(ack.position);
        if (!(event && event.stream === `partner-${ack.id}` && event.revision === BigInt(ack.revision) && JSON.stringify(event.data).includes(ack.marker))) lost += 1;
      }
      expect(lost).toBe(0);
      const text = log.map((e) => JSON.stringify(e.data)).join('\n');
      const copies = (marker: string) => log.filter((e) => JSON.stringify(e.data).includes(marker)).length;
      expect(acked.filter((a) => copies(a.marker) !== 1)).toEqual([]);
      const appendedAnyway = refusedMarkers.filter((m) => text.includes(m)).length;
      expect(appendedAnyway).toBe(0);
      expect(new Set(log.map((e) => e.eventId)).size).toBe(log.length);

      // the read models' subscription: the digest holds every event once (a gap or a duplicate changes size and root)
      await eventually(async () => ((await get(url, '/v1/ledger/digest')).json as { size: number }).size === log.length, 15_000, 'the digest catching up');
      const digest = (await get(url, '/v1/ledger/digest')).json as { size: number; rootHash: string };
      expect(digest).toMatchObject({ size: log.length, rootHash: verification.rootHash });

      // the read models equal a rebuild from zero: a second server on the same store with no snapshot
      const fresh = tempDirectory('ledger-reliability-outage-rebuild-');
      await copyInstallation(tmp.dir, fresh.dir, ['subject-keys.db']);
      const rebuilt = await startInProcess(fresh.dir, { EVENTSTORE_URL: double.connectionString });
      try {
        const partners = await allPages(url, '/v1/partners', KEYS.office);
        expect(partners).toEqual(await allPages(rebuilt.url, '/v1/partners', KEYS.office));
        const [served, fromZero] = await Promise.all([get(url, '/v1/ledger/digest'), get(rebuilt.url, '/v1/ledger/digest')]);
        const strip = (a: Answer) => ({ ...(a.json as object), signedAt: undefined, signature: undefined });
        expect(strip(served)).toEqual(strip(fromZero));
        expect(new Set(partners.map((p) => p.id))).toEqual(new Set(acked.map((a) => a.id)));
      } finally {
        await rebuilt.close();
        fresh.remove();
      }

      // the live feed: every event of the log once, in order, across the outages
      await eventually(() => live!.positions.length >= log.length, 15_000, 'the live feed catching up');
      expect(live.positions).toEqual(log.map((e) => e.position));

      report('store outage: EventStoreDB double', {
        outages: OUTAGES,
        outageMs: OUTAGE_MS,
        writesDuringOutage: duringOutage.total,
        answersDuringOutage: duringOutage.counts,
        refusalP50Ms: percentile(refusalMs, 50),
        refusalMaxMs: percentile(refusalMs, 100),
        hangs: HANGS,
        writesDuringHang: duringHang.total,
        answersDuringHang: duringHang.counts,
        hangRefusalMaxMs: percentile(hangRefusalMs, 100),
        steadyClientAnswers: steadyAnswers.counts,
        steadyWritesRetriedWithKey: steadyRetried,
        readsDuringOutage: readsDuringOutage.counts,
        answersWhileRecovering: afterRestore.counts,
        recoveryMaxMs: percentile(recoveryMs, 100),
        acknowledgedWrites: acked.length,
        acknowledgedEventsLost: lost,
        refusedWritesAppendedAnyway: appendedAnyway,
        eventsInLog: log.length,
        liveFeedEvents: live.positions.length,
        liveFeedGapsOrDuplicates: 0,
        subscriptionsStartedByDouble: double.counts.subscriptions,
      });
    } finally {
      await reader.close();
      live.close();
      await live.closed();
      log = [];
    }
  });
});
