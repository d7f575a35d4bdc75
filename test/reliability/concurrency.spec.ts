import { randomUUID } from 'node:crypto';
import { verifyLedger } from '../../src/integrity/verification';
import type { EventStore, StoredEvent } from '../../src/store/port';
import { param, percentile, report, Tally } from './support/figures';
import { get, KEYS, post, problemFaults, type Answer } from './support/http';
import { startInProcess, tempDirectory, type InProcessServer } from './support/servers';

/**
 * Concurrency over HTTP against the real server (embedded store): conditional writes racing on one stream, and many
 * writers on their own streams at once. RELIABILITY_LONG=1 runs more rounds and longer.
 */
const RACERS = 50;
const ROUNDS = param('RELIABILITY_IFMATCH_ROUNDS', 3, 20);
const WRITERS = 20;
const WRITE_SECONDS = param('RELIABILITY_WRITERS_SECONDS', 5, 30);

jest.setTimeout(60_000 + WRITE_SECONDS * 1000 * 3);

let tmp: ReturnType<typeof tempDirectory>;
let server: InProcessServer;

beforeAll(async () => {
  tmp = tempDirectory('ledger-reliability-concurrency-');
  server = await startInProcess(tmp.dir);
});

afterAll(async () => {
  await server?.close();
  tmp?.remove();
});

async function lastRevision(store: EventStore, stream: string): Promise<bigint> {
  for await (const event of store.readStream(stream, { direction: 'backwards', maxCount: 1 })) return event.revision;
  return -1n;
}

async function wholeLog(store: EventStore): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}

describe('concurrent writes over HTTP', () => {
  it(`${RACERS} commands with the same If-Match on one stream: exactly one succeeds, the rest get 412, the stream grows by one`, async () => {
    const url = server.url;
    const appointed = await post(url, '/v1/patron/appointments', { name: 'Dirk Panter', office: 'Staatsminister für Wirtschaft und Arbeit', startDate: '2025-09-01' }, { key: KEYS.office });
    expect(appointed.status).toBe(201);
    const statuses = new Tally();
    const latencies: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const before = await lastRevision(server.store, 'patron-main');
      const marker = randomUUID();
      const answers: Answer[] = await Promise.all(
        Array.from({ length: RACERS }, (_, i) =>
          post(
            url,
            '/v1/patron/statements',
            { text: `Runde ${round}, Schreiber ${i} (${marker})`, language: 'de', occasion: 'Wettlauf', issuedOn: '2025-10-01' },
            { key: KEYS.office, headers: { 'if-match': `"${before}"` } },
          ),
        ),
      );
      for (const answer of answers) {
        statuses.add(answer.status);
        latencies.push(answer.ms);
      }
      const won = answers.filter((a) => a.status === 201);
      const refused = answers.filter((a) => a.status === 412);
      expect({ round, won: won.length, refused: refused.length }).toEqual({ round, won: 1, refused: RACERS - 1 });
      for (const answer of refused) {
        expect(problemFaults(answer)).toEqual([]);
        expect(answer.json).toMatchObject({ status: 412, currentRevision: Number(before) + 1 });
      }
      const winner = won[0]!.json as { revision: number; position: string };
      expect(winner.revision).toBe(Number(before) + 1);
      expect(won[0]!.headers.get('etag')).toBe(`"${Number(before) + 1}"`);

      expect(await lastRevision(server.store, 'patron-main')).toBe(before + 1n);
      const appended: StoredEvent[] = [];
      for await (const event of server.store.readStream('patron-main', { fromRevision: before + 1n })) appended.push(event);
      expect(appended).toHaveLength(1);
      expect(appended[0]!.position).toBe(BigInt(winner.position));
      expect(JSON.stringify(appended[0]!.data)).toContain(marker);
    }
    report('concurrency: same If-Match', {
      rounds: ROUNDS,
      requests: statuses.total,
      answers: statuses.counts,
      succeededPerRound: 1,
      streamGrowthPerRound: 1,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
    });
  });

  it(`${WRITERS} writers on their own streams for ${WRITE_SECONDS} s: no gap in the log, every chain verifies, every acknowledged write is there`, async () => {
    const url = server.url;
    const headBefore = (await server.store.headPosition()) ?? 0n;
    const resolutionIds: string[] = [];
    for (let w = 0; w < WRITERS; w++) {
      const proposed = await post(
        url,
        '/v1/resolutions',
        { title: `Beschluss des Schreibers ${w}`, text: 'Wird laufend berichtigt.', kind: 'general', writtenProcedure: { deadline: '2025-12-31' }, proposedOn: '2025-10-01' },
        { key: KEYS.office },
      );
      expect(proposed.status).toBe(201);
      resolutionIds.push((proposed.json as { id: string }).id);
    }

    interface Ack {
      writer: number;
      marker: string;
      revision: number;
      position: bigint;
    }
    const acks: Ack[] = [];
    const failures = new Tally();
    const latencies: number[] = [];
    const until = Date.now() + WRITE_SECONDS * 1000;
    const writer = async (w: number) => {
      const id = resolutionIds[w]!;
      let expectedRevision = 1;
      while (Date.now() < until) {
        const marker = `w${w}-${randomUUID()}`;
        let answer: Answer;
        try {
          answer = await post(url, `/v1/resolutions/${id}/corrections`, { text: `Berichtigung ${marker}`, reason: 'Lasttest', occurredAt: '2025-10-02T10:00:00+02:00' }, { key: KEYS.office });
        } catch (error) {
          failures.add(`transport: ${(error as Error).message}`);
          continue;
        }
        latencies.push(answer.ms);
        if (answer.status !== 201) {
          failures.add(answer.status);
          continue;
        }
        const body = answer.json as { revision: number; position: string };
        // the writer is alone on its stream: each acknowledged write is the next revision, none lost, none extra
        expect(body.revision).toBe(expectedRevision);
        expectedRevision += 1;
        acks.push({ writer: w, marker, revision: body.revision, position: BigInt(body.position) });
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    const seconds = (Date.now() - started) / 1000;
    expect(failures.counts).toEqual({});

    const log = await wholeLog(server.store);
    // no gap: the embedded store's positions are consecutive row numbers from 1
    log.forEach((event, i) => expect(event.position).toBe(BigInt(i + 1)));
    const revisions = new Map<string, bigint>();
    for (const event of log) {
      const expected = (revisions.get(event.stream) ?? -1n) + 1n;
      expect({ stream: event.stream, revision: event.revision }).toEqual({ stream: event.stream, revision: expected });
      revisions.set(event.stream, event.revision);
    }
    const byPosition = new Map(log.map((e) => [e.position, e]));
    let missing = 0;
    for (const ack of acks) {
      const event = byPosition.get(ack.position);
      const ok =
        event !== undefined &&
        event.stream === `resolution-${resolutionIds[ack.writer]}` &&
        event.revision === BigInt(ack.revision) &&
        JSON.stringify(event.data).includes(ack.marker);
      if (!ok) missing += 1;
    }
    expect(missing).toBe(0);

    const verification = await verifyLedger(server.store);
    expect(verification).toMatchObject({ ok: true, checkedEvents: log.length });
    const overHttp = await get(url, '/v1/ledger/verification', { key: KEYS.auditor });
    expect(overHttp.json).toMatchObject({ ok: true, checkedEvents: log.length });
    const digest = await get(url, '/v1/ledger/digest');
    expect(digest.json).toMatchObject({ size: log.length, rootHash: verification.rootHash });
    // read your writes: every writer's resolution shows every correction it was told about
    for (let w = 0; w < WRITERS; w++) {
      const resolution = await get(url, `/v1/resolutions/${resolutionIds[w]}`);
      const text = resolution.text;
      for (const ack of acks.filter((a) => a.writer === w)) expect(text).toContain(ack.marker);
    }

    report('concurrency: writers on their own streams', {
      writers: WRITERS,
      seconds: Number(seconds.toFixed(1)),
      acknowledgedWrites: acks.length,
      writesPerSecond: Math.round(acks.length / seconds),
      failedWrites: failures.total,
      eventsInLog: log.length,
      newEvents: log.length - Number(headBefore),
      gapsInLog: 0,
      chainsVerified: revisions.size,
      acknowledgedEventsLost: missing,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
    });
  });
});
