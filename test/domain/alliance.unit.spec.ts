import { constituteAllianceData, type AllianceCommand } from '../../src/domain/alliance/commands';
import { allianceDecider } from '../../src/domain/alliance/decider';
import type { AllianceEvent } from '../../src/domain/alliance/events';
import { fold } from '../../src/domain/shared/decider';
import { spec } from '../support/decider-spec';

const metadata = { now: '2025-09-12T10:00:00+02:00', actor: { id: 'office-1', role: 'office' as const } };

const constitution = {
  name: 'Fachkräfteallianz Sachsen',
  constitutedOn: '2025-09-12',
  place: 'Dresden',
  strategyRef: 'Fachkräftestrategie Sachsen 2030',
  officeEmail: 'fachkraefteallianz@smwa.sachsen.de',
};

const constitute = (data: Partial<typeof constitution> = {}): AllianceCommand => ({
  type: 'ConstituteAlliance',
  data: { ...constitution, ...data },
  metadata,
});

const constituted: AllianceEvent = { type: 'AllianceConstituted', data: constitution, occurredAt: '2025-09-12' };

describe('alliance', () => {
  describe('ConstituteAlliance', () => {
    it('constitutes the alliance on the named day', () => {
      spec(allianceDecider).given([]).when(constitute()).then([constituted]);
    });

    it('leaves out a strategy reference that was not given', () => {
      const { strategyRef: _, ...withoutRef } = constitution;
      spec(allianceDecider)
        .given([])
        .when({ type: 'ConstituteAlliance', data: withoutRef, metadata })
        .then([{ type: 'AllianceConstituted', data: withoutRef, occurredAt: '2025-09-12' }]);
      const [event] = spec(allianceDecider).given([]).when({ type: 'ConstituteAlliance', data: withoutRef, metadata }).events();
      expect(event!.data).not.toHaveProperty('strategyRef');
    });

    it('is refused once the alliance is constituted', () => {
      spec(allianceDecider).given([constituted]).when(constitute({ constitutedOn: '2026-01-01' })).thenRefuses('alliance-already-constituted');
    });
  });

  it('folds the constitution into the state', () => {
    expect(fold(allianceDecider, [constituted])).toEqual({ status: 'constituted', ...constitution });
  });

  describe('command schema', () => {
    it('accepts the API body', () => {
      expect(constituteAllianceData.parse(constitution)).toEqual(constitution);
    });

    it('refuses fields the contract does not name, such as recordedAt', () => {
      expect(constituteAllianceData.safeParse({ ...constitution, recordedAt: '2025-09-12T10:00:00Z' }).success).toBe(false);
    });

    it('refuses a date that is not a calendar day', () => {
      expect(constituteAllianceData.safeParse({ ...constitution, constitutedOn: '2025-02-30' }).success).toBe(false);
    });
  });
});
