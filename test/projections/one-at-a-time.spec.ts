import { lastValueFrom, toArray } from 'rxjs';
import { oneAtATime } from '../../src/projections/one-at-a-time';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('oneAtATime', () => {
  it('runs one handler at a time and pulls the next item only when the handler has finished', async () => {
    let pulled = 0;
    let handled = 0;
    let running = 0;
    let mostAtOnce = 0;
    let mostAhead = 0;
    async function* source() {
      for (let i = 0; i < 20; i++) {
        pulled += 1;
        mostAhead = Math.max(mostAhead, pulled - handled);
        yield i;
      }
    }
    const results = await lastValueFrom(
      oneAtATime(source(), async (i: number) => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await sleep(i % 3);
        running -= 1;
        handled += 1;
        return i * 2;
      }).pipe(toArray()),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
    expect(mostAtOnce).toBe(1);
    // the item in hand, never more: nothing is buffered ahead of the handler
    expect(mostAhead).toBe(1);
  });

  it('closes the source when unsubscribed', async () => {
    let closed = false;
    const source: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          await sleep(1);
          return { done: false, value: 1 };
        },
        return: async () => {
          closed = true;
          return { done: true, value: undefined };
        },
      }),
    };
    const seen: number[] = [];
    const subscription = oneAtATime(source, (n: number) => n).subscribe((n) => seen.push(n));
    await sleep(20);
    subscription.unsubscribe();
    expect(closed).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
  });

  it('fails when the handler fails, and closes the source', async () => {
    let closed = false;
    async function* source() {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    }
    await expect(
      lastValueFrom(
        oneAtATime(source(), (i: number) => {
          if (i === 3) throw new Error('boom');
          return i;
        }),
      ),
    ).rejects.toThrow('boom');
    await sleep(1);
    expect(closed).toBe(true);
  });
});
