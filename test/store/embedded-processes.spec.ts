import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { StoredEvent } from '../../src/store/port';
import { collect, embeddedFixture } from './embedded-fixture';

const run = promisify(execFile);
const STORE_MODULE = join(__dirname, '../../src/store/embedded/embedded-store.ts');

/**
 * A writer process: `count` appends of one event each to one stream, each with the revision it last read,
 * reading again after a ConcurrencyConflict — the optimistic loop a command handler runs.
 */
const WRITER = `
const { openEmbeddedStore } = require(process.env.STORE_MODULE);
const { randomUUID } = require('node:crypto');
(async () => {
  const store = await openEmbeddedStore({ path: process.env.STORE_PATH });
  const worker = process.env.WORKER;
  let written = 0;
  while (written < Number(process.env.COUNT)) {
    let last = -1n;
    for await (const e of store.readStream('counter', { direction: 'backwards', maxCount: 1 })) last = e.revision;
    try {
      const event = { eventId: randomUUID(), type: 'Counted', data: { worker, index: written }, metadata: {} };
      await store.append('counter', [event], last < 0n ? 'no-stream' : last);
      written += 1;
    } catch (error) {
      if (error.name !== 'ConcurrencyConflict') throw error;
    }
  }
  await store.close();
})().catch((error) => { console.error(error); process.exit(1); });
`;

let fixture: ReturnType<typeof embeddedFixture>;
beforeEach(() => {
  fixture = embeddedFixture();
});
afterEach(async () => {
  await fixture.cleanup();
});

describe('embedded store: several processes on one file', () => {
  it('loses no append and skips no revision, and a subscription in a third process sees them all', async () => {
    const count = 40;
    const store = await fixture.open({ pollIntervalMs: 20 });
    const subscription = store.subscribe();
    const received: StoredEvent[] = [];
    const consuming = (async () => {
      for await (const message of subscription) {
        if (message.kind === 'event') received.push(message.event);
        if (received.length === 2 * count) return;
      }
    })();

    const writer = (worker: string) =>
      run(process.execPath, ['-r', '@swc-node/register', '-e', WRITER], {
        cwd: join(__dirname, '../..'),
        env: { ...process.env, STORE_MODULE, STORE_PATH: fixture.path, WORKER: worker, COUNT: String(count) },
      });
    await Promise.all([writer('a'), writer('b')]);
    await consuming;
    await subscription.close();

    const stream = await collect(store.readStream('counter'));
    expect(stream.map((e) => e.revision)).toEqual(Array.from({ length: 2 * count }, (_, i) => BigInt(i)));
    for (const worker of ['a', 'b']) {
      const indexes = stream.map((e) => e.data as { worker: string; index: number }).filter((d) => d.worker === worker);
      expect(indexes.map((d) => d.index)).toEqual(Array.from({ length: count }, (_, i) => i));
    }
    expect(received.map((e) => e.eventId)).toEqual(stream.map((e) => e.eventId));
  });
});
