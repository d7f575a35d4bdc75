import { createHandlers } from '../../src/handlers';
import { Ledger } from '../../src/ledger/ledger';
import { findChainBreak } from '../../src/ledger/hash-chain';
import { seedPressRelease } from '../../src/seed/press-release';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store';
import type { StoredEvent } from '../../src/store/port';
import { tempStore } from '../support/temp-store';

describe('the press release scenario', () => {
  it('is recorded into a SQLite file that, reopened, reads back with every hash chain intact; a second run appends nothing', async () => {
    const t = await tempStore('ledger-seed-');
    try {
      const first = await seedPressRelease(createHandlers(new Ledger(t.store)));
      expect(first.appended).toBe(first.commands);
      await t.store.close();

      const reopened = await openEmbeddedStore({ path: t.path });
      try {
        const byStream = new Map<string, StoredEvent[]>();
        for await (const event of reopened.readAll()) byStream.set(event.stream, [...(byStream.get(event.stream) ?? []), event]);
        expect([...byStream.keys()].sort()).toEqual(
          [
            'alliance-main',
            'board-main',
            'patron-main',
            `meeting-${first.ids.meetingId}`,
            `resolution-${first.ids.resolutionId}`,
            `partner-${first.ids.partnerId}`,
          ].sort(),
        );
        for (const [stream, events] of byStream) {
          const fromStream: StoredEvent[] = [];
          for await (const e of reopened.readStream(stream)) fromStream.push(e);
          expect(fromStream).toEqual(events);
          expect(findChainBreak(fromStream)).toBeUndefined();
        }
        const decision = byStream.get(`resolution-${first.ids.resolutionId}`)!.find((e) => e.type === 'ResolutionDecided')!;
        expect(decision.data).toMatchObject({
          outcome: 'adopted',
          decidedOn: '2025-09-12',
          basis: { votingMembers: 9, present: 9, recused: 0, quorumMet: true, tally: { yes: 9, no: 0, abstain: 0 }, rulesVersion: 1 },
        });
        const types = byStream.get('patron-main')!.map((e) => e.type);
        expect(types).toEqual(['PatronAppointed', 'StatementIssued']);

        const head = await reopened.headPosition();
        const again = await seedPressRelease(createHandlers(new Ledger(reopened)));
        expect(again.appended).toBe(0);
        expect(again.ids).toEqual(first.ids);
        expect(await reopened.headPosition()).toBe(head);
      } finally {
        await reopened.close();
      }
    } finally {
      await t.cleanup();
    }
  });
});
