import { join } from 'node:path';
import fc from 'fast-check';
import { refold } from '../../src/projections/entity';
import { entityKinds, foldOf, type EntityKind } from '../../src/projections/kinds';
import { createReadModels, type ReadModels } from '../../src/projections/read-models';
import { rebuild, type RebuildProgress } from '../../src/projections/rebuild';
import { ProjectionRunner } from '../../src/projections/runner';
import { decodeSnapshot } from '../../src/projections/projection';
import { resolveCut } from '../../src/projections/as-of';
import { fold } from '../../src/domain/shared/decider';
import { toDomainEvent } from '../../src/ledger/stream-state';
import { tempStore } from '../support/temp-store';
import { appendAll } from './history';
import { buildHistory, stepsArbitrary } from './random-history';

function answersOf(models: ReadModels) {
  const query = { withPersonalData: true, now: new Date('2026-06-01T12:00:00Z') };
  return [models.alliance(query), models.board(query), models.statements(query), models.meetings(query), models.resolutions(query), models.partners(query), models.groups(query)];
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function storeWith(seeds: number[]) {
  const ctx = await tempStore('ledger-rebuild-');
  cleanups.push(ctx.cleanup);
  let count = 0;
  for (const [i, seed] of seeds.entries()) {
    const events = buildHistory(fc.sample(stepsArbitrary, { seed, numRuns: 1 })[0]!, { firstId: 1 + i * 100_000, start: `${2025 + 2 * i}-09-01T08:00:00.000Z` });
    count += events.length;
    await appendAll(ctx.store, events, 2_000_000 + i * 10_000);
  }
  return { ...ctx, count, snapshotPath: join(ctx.dir, 'read-models.snapshot') };
}

describe('rebuild', () => {
  it('rebuilds every read model from zero, reporting events per second, identical to the live ones', async () => {
    const { store, count } = await storeWith([11]);
    const live = createReadModels();
    const runner = new ProjectionRunner(store, live);
    cleanups.push(() => runner.stop());
    await runner.start();
    await runner.whenReady({ timeoutMs: 10_000 });

    const progress: RebuildProgress[] = [];
    const report = await rebuild(store, (p) => progress.push(p), { progressEvery: 10 });
    expect(report.events).toBe(count);
    expect(report.position).toBe(BigInt(count));
    expect(report.eventsPerSecond).toBeGreaterThan(0);
    expect(report.seconds).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ events: count, position: BigInt(count) });
    expect(progress.map((p) => p.events)).toEqual([...Array.from({ length: Math.floor(count / 10) }, (_, i) => (i + 1) * 10), ...(count % 10 ? [count] : [])]);
    // identical: the same bytes when serialized
    // identical: the snapshots hold the same (their bytes may differ where v8 encodes a string in another width)
    expect(decodeSnapshot(report.models.snapshot())).toEqual(decodeSnapshot(live.snapshot()));
    expect(answersOf(report.models)).toEqual(answersOf(live));
  });

  it('rebuilds a set in place, and its snapshot lets the next start resume without replaying', async () => {
    const { store, count, snapshotPath } = await storeWith([12]);
    const models = createReadModels();
    models.apply({ position: 999n, stream: 'partner-x', revision: 0n, eventId: 'x', type: 'Unknown', data: {}, metadata: {} });
    await rebuild(store, undefined, { models, snapshotPath });
    expect(models.position).toBe(BigInt(count));

    const resumed = createReadModels();
    const runner = new ProjectionRunner(store, resumed, { snapshotPath });
    cleanups.push(() => runner.stop());
    let applied = 0;
    runner.applied$.subscribe(() => (applied += 1));
    await runner.start();
    await runner.whenReady({ timeoutMs: 10_000 });
    expect(applied).toBe(0);
    expect(decodeSnapshot(resumed.snapshot())).toEqual(decodeSnapshot(models.snapshot()));
    expect(answersOf(resumed)).toEqual(answersOf(models));
  });

  it('keeps, for every entity, the fold of its stream with its decider', async () => {
    const { store } = await storeWith([13, 14]);
    const { models } = await rebuild(store);
    const cut = resolveCut({});
    let entities = 0;
    for (const kind of Object.keys(entityKinds) as EntityKind[]) {
      for (const { entity, state } of models.entities.statesOf(kind, cut)) {
        const stored = [];
        for await (const event of store.readStream(entity.stream)) stored.push(toDomainEvent(event));
        expect(state).toEqual(fold(entityKinds[kind] as never, stored as never));
        expect(refold(entity, foldOf(kind) as never)).toEqual(state);
        entities += 1;
      }
    }
    expect(entities).toBeGreaterThan(10);
  });

  it('reports an empty log', async () => {
    const { store } = await storeWith([]);
    const progress: RebuildProgress[] = [];
    const report = await rebuild(store, (p) => progress.push(p));
    expect(report).toMatchObject({ events: 0, position: null, eventsPerSecond: 0 });
    expect(progress).toEqual([{ events: 0, position: null, seconds: expect.any(Number) }]);
  });
});
