import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { createReadModels, type ReadModels } from '../../src/projections/read-models';
import { ProjectionFailed, ProjectionRunner, ProjectionTimeout } from '../../src/projections/runner';
import type { EventStore } from '../../src/store/port';
import { MemoryEventStore } from '../support/memory-store';
import { tempStore } from '../support/temp-store';
import { appendAll } from './history';
import { buildHistory, stepsArbitrary } from './random-history';
import { Recorder } from './recorder';

/** A random history (the same for a seed); a later one gets other ids and a later clock. */
const history = (seed: number, later = false) =>
  buildHistory(fc.sample(stepsArbitrary, { seed, numRuns: 1 })[0]!, later ? { firstId: 500_000, start: '2027-01-01T08:00:00.000Z' } : {});

/** 1..n, as bigints: every position of a log of n events on the embedded store */
const positionsUpTo = (n: number) => Array.from({ length: n }, (_, i) => BigInt(i + 1));

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function embedded() {
  const ctx = await tempStore('ledger-projections-');
  cleanups.push(ctx.cleanup);
  return { store: ctx.store, snapshotPath: join(ctx.dir, 'read-models.snapshot') };
}

function runnerFor(store: EventStore, snapshotPath?: string, options: { snapshotEvery?: number } = {}) {
  const recorder = new Recorder();
  const models = createReadModels([recorder]);
  const runner = new ProjectionRunner(store, models, { snapshotPath, retryDelayMs: 10, ...options });
  cleanups.push(() => runner.stop());
  return { runner, models, recorder };
}

/** What the read models answer, every view: equal answers mean equal read models. */
function answers(models: ReadModels) {
  const query = { withPersonalData: true, now: new Date('2026-01-01T12:00:00Z') };
  return {
    alliance: models.alliance(query),
    board: models.board(query),
    statements: models.statements(query),
    meetings: models.meetings(query),
    resolutions: models.resolutions(query),
    partners: models.partners(query),
    groups: models.groups(query),
  };
}

describe('the projection runner', () => {
  it('catches up, is ready, and applies live events; waitFor resolves once a position is applied', async () => {
    const { store, snapshotPath } = await embedded();
    const events = history(1);
    const head = await appendAll(store, events);
    const { runner, models, recorder } = runnerFor(store, snapshotPath);
    expect(runner.ready).toBe(false);
    await runner.start();
    await runner.whenReady({ timeoutMs: 10_000 });
    expect(runner.ready).toBe(true);
    expect(runner.position).toBe(head);
    const more = buildHistory([{ op: 23, pick: 5, shift: 0, waitMinutes: 0 }], { firstId: 500_000, start: '2027-01-01T08:00:00.000Z' });
    const position = await appendAll(store, more, 3_000_000);
    await runner.waitFor(position!, { timeoutMs: 10_000 });
    expect(recorder.positions).toEqual(positionsUpTo(events.length + 1));
    expect(models.partners().total).toBe(new Set([...events, ...more].filter((e) => e.type === 'PartnerApplied').map((e) => e.stream)).size);
  });

  it('restarts from its snapshot: no event applied twice, none missed', async () => {
    const { store, snapshotPath } = await embedded();
    const first = history(2);
    await appendAll(store, first);
    const one = runnerFor(store, snapshotPath);
    await one.runner.start();
    await one.runner.whenReady({ timeoutMs: 10_000 });
    await one.runner.stop();

    const head = await appendAll(store, history(3, true), 4_000_000);
    const two = runnerFor(store, snapshotPath);
    await two.runner.start();
    await two.runner.whenReady({ timeoutMs: 10_000 });
    expect(two.runner.position).toBe(head);
    expect(two.recorder.appliedHere).toBe(Number(head) - first.length);
    expect(two.recorder.positions).toEqual(positionsUpTo(Number(head)));
    expect(answers(two.models)).toEqual(answers((await fromZero(store)).models));
  });

  it('resumes from an older snapshot (a crash after it) and applies the rest once', async () => {
    const { store, snapshotPath } = await embedded();
    const events = history(4);
    await appendAll(store, events.slice(0, 20));
    const one = runnerFor(store, snapshotPath, { snapshotEvery: 1 });
    await one.runner.start();
    await one.runner.whenReady({ timeoutMs: 10_000 });
    const crashed = `${snapshotPath}.at-20`;
    copyFileSync(snapshotPath, crashed);
    const head = await appendAll(store, events.slice(20), 5_000_000);
    await one.runner.waitFor(head!, { timeoutMs: 10_000 });
    await one.runner.stop();

    const two = runnerFor(store, crashed);
    await two.runner.start();
    await two.runner.whenReady({ timeoutMs: 10_000 });
    expect(two.recorder.appliedHere).toBe(events.length - 20);
    expect(two.recorder.positions).toEqual(positionsUpTo(events.length));
    expect(answers(two.models)).toEqual(answers(one.models));
  });

  it('does not use a snapshot of another log, nor an unreadable one', async () => {
    const a = await embedded();
    await appendAll(a.store, history(5));
    const one = runnerFor(a.store, a.snapshotPath);
    await one.runner.start();
    await one.runner.whenReady({ timeoutMs: 10_000 });
    await one.runner.stop();

    const b = await embedded();
    const events = history(6);
    await appendAll(b.store, events, 7_000_000);
    copyFileSync(a.snapshotPath, b.snapshotPath);
    const two = runnerFor(b.store, b.snapshotPath);
    await two.runner.start();
    await two.runner.whenReady({ timeoutMs: 10_000 });
    expect(two.recorder.positions).toEqual(positionsUpTo(events.length));
    expect(answers(two.models)).toEqual(answers((await fromZero(b.store)).models));
    await two.runner.stop();

    writeFileSync(b.snapshotPath, Buffer.from('not a snapshot'));
    const three = runnerFor(b.store, b.snapshotPath);
    await three.runner.start();
    await three.runner.whenReady({ timeoutMs: 10_000 });
    expect(three.recorder.positions).toEqual(positionsUpTo(events.length));
  });

  it('stops at a read model that fails, and rejects those waiting', async () => {
    const { store } = await embedded();
    const events = history(7);
    await appendAll(store, events);
    const { runner, recorder } = runnerFor(store);
    recorder.failAt = 5n;
    const waiting = runner.waitFor(BigInt(events.length));
    await runner.start();
    await expect(waiting).rejects.toBeInstanceOf(ProjectionFailed);
    expect(runner.failure).toBeInstanceOf(ProjectionFailed);
    expect(runner.ready).toBe(false);
    expect(recorder.positions).toEqual(positionsUpTo(4));
    await expect(runner.whenReady()).rejects.toBeInstanceOf(ProjectionFailed);
  });

  it('gives up waiting after the timeout', async () => {
    const { store } = await embedded();
    const { runner } = runnerFor(store);
    await runner.start();
    await runner.whenReady({ timeoutMs: 10_000 });
    await expect(runner.waitFor(99n, { timeoutMs: 20 })).rejects.toBeInstanceOf(ProjectionTimeout);
  });

  it('subscribes again after the store failed, from where it was', async () => {
    const store = new MemoryEventStore();
    const events = history(8);
    await appendAll(store, events.slice(0, 10));
    const { runner, recorder } = runnerFor(store);
    await runner.start();
    await runner.whenReady({ timeoutMs: 10_000 });
    store.setUnavailable(true);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(runner.ready).toBe(false);
    store.setUnavailable(false);
    const head = await appendAll(store, events.slice(10), 6_000_000);
    await runner.waitFor(head!, { timeoutMs: 10_000 });
    await runner.whenReady({ timeoutMs: 10_000 });
    expect(recorder.positions).toEqual(positionsUpTo(events.length));
  });
});

async function fromZero(store: EventStore) {
  const models = createReadModels([new Recorder()]);
  for await (const event of store.readAll()) models.apply(event);
  return { models };
}
