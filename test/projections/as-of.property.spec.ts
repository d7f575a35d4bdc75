import { partnerStatus } from '../../src/domain/partner/events';
import fc from 'fast-check';
import { toDomainEvent } from '../../src/ledger/stream-state';
import { entityKinds, entityOfStream, type EntityKind } from '../../src/projections/kinds';
import { createReadModels, type ReadModels, type ReadQuery } from '../../src/projections/read-models';
import { resolveCut, type Cut } from '../../src/projections/as-of';
import { berlinDate, formatBerlinDate } from '../../src/domain/shared/dates';
import type { StoredEvent } from '../../src/store/port';
import { addDays, toStored } from './history';
import { buildHistory, historyArbitrary } from './random-history';

/**
 * The index answers a cut without replaying the log. These properties compare its answers with the definition
 * (as-of.ts): a replay of the whole log, cut there.
 */

interface Scenario {
  events: StoredEvent[];
  cut: Cut;
}

const meta = (e: StoredEvent) => e.metadata as { recordedAt: string; occurredAt: string };

/** A cut near the history: days and instants taken from its events, a little before or after, or none. */
function cutFor(events: StoredEvent[]): fc.Arbitrary<Cut> {
  const days = events.map((e) => berlinDate(meta(e).occurredAt));
  const instants = events.map((e) => Date.parse(meta(e).recordedAt));
  const asOf = fc.option(
    fc.tuple(fc.constantFrom(...days), fc.integer({ min: -2, max: 2 })).map(([d, shift]) => addDays(d, shift)),
    { nil: undefined },
  );
  const knownAt = fc.option(
    fc.tuple(fc.constantFrom(...instants), fc.constantFrom(-1, 0, 0, 1, 3_600_000)).map(([ms, shift]) => new Date(ms + shift).toISOString()),
    { nil: undefined },
  );
  return fc.record({ asOf, knownAt }).map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as Cut);
}

const scenarioArbitrary: fc.Arbitrary<Scenario> = historyArbitrary
  .filter((h) => h.length > 0)
  .map(toStored)
  .chain((events) => cutFor(events).map((cut) => ({ events, cut })));

function inside(e: StoredEvent, cut: Cut): boolean {
  const { recordedAt, occurredAt } = meta(e);
  return (
    (cut.knownAt === undefined || Date.parse(recordedAt) <= Date.parse(cut.knownAt)) &&
    (cut.asOf === undefined || berlinDate(occurredAt) <= cut.asOf)
  );
}

function build(events: readonly StoredEvent[], checkpointEvery?: number): ReadModels {
  const models = createReadModels([], checkpointEvery === undefined ? {} : { checkpointEvery });
  for (const event of events) models.apply(event);
  return models;
}

/** Every view of the read models, for one reader, at one query; single entities looked up by every id the log knows. */
function allViews(models: ReadModels, query: ReadQuery, known: ReadModels) {
  const ids = (kind: EntityKind) => [...known.entities.statesOf(kind, resolveCut({}))].map(({ entity }) => entity.id);
  return {
    alliance: models.alliance(query),
    patron: models.patron(query),
    statements: models.statements(query),
    board: models.board(query),
    members: models.board({ ...query, withPersonalData: true })?.members.map((m) => models.boardMember(m.id, { ...query, withPersonalData: true })),
    meetings: models.meetings(query),
    resolutions: models.resolutions(query),
    partners: models.partners(query),
    groups: models.groups(query),
    // the filters read the facets at the cut (folded only for a back-dated event after a later-dated one)
    partnersByStatus: partnerStatus.options.map((status) => models.partners({ ...query, status })),
    resolutionsByOutcome: [null, 'adopted', 'rejected'].map((outcome) => models.resolutions({ ...query, outcome } as ReadQuery)),
    groupsByStatus: (['active', 'dissolved'] as const).map((status) => models.groups({ ...query, status })),
    oneByOne: {
      meetings: ids('meeting').map((id) => models.meeting(id, query)),
      resolutions: ids('resolution').map((id) => models.resolution(id, query)),
      partners: ids('partner').map((id) => models.partner(id, query)),
      groups: ids('group').map((id) => models.group(id, query)),
    },
  };
}

describe('as-of and known-at answers equal a full replay cut at that point', () => {
  it('each entity state equals the fold of its events inside the cut', () => {
    fc.assert(
      fc.property(scenarioArbitrary, fc.constantFrom(1, 2, 3, 32), ({ events, cut }, checkpointEvery) => {
        const models = build(events, checkpointEvery);
        const resolved = resolveCut(cut);
        const streams = new Set(events.map((e) => e.stream));
        for (const stream of streams) {
          const ref = entityOfStream(stream)!;
          const fold = entityKinds[ref.kind] as unknown as { initialState: unknown; evolve(s: unknown, e: unknown): unknown };
          const included = events.filter((e) => e.stream === stream && inside(e, cut));
          const expected = included.length === 0 ? undefined : included.map((e) => toDomainEvent(e)).reduce(fold.evolve, fold.initialState);
          expect(models.entities.stateOf(ref.kind, ref.id, resolved)).toEqual(expected);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('every view equals the view of read models built from only the events inside the cut', () => {
    fc.assert(
      fc.property(scenarioArbitrary, fc.boolean(), ({ events, cut }, withPersonalData) => {
        const viewDay = resolveCut(cut).viewDay;
        const now = new Date(`${viewDay}T12:00:00Z`);
        const full = build(events, 2);
        const replayed = build(events.filter((e) => inside(e, cut)));
        expect(allViews(full, { ...cut, withPersonalData, now }, full)).toEqual(allViews(replayed, { withPersonalData, now }, full));
      }),
      { numRuns: 150 },
    );
  });

  it('read models restored from a snapshot, and fed on from there, answer as if never restored', () => {
    fc.assert(
      fc.property(scenarioArbitrary, fc.nat(), ({ events, cut }, split) => {
        const at = split % (events.length + 1);
        const restored = createReadModels([], { checkpointEvery: 2 });
        restored.restore(build(events.slice(0, at), 2).snapshot());
        for (const event of events.slice(at)) restored.apply(event);
        const viewDay = resolveCut(cut).viewDay;
        const query = { ...cut, withPersonalData: true, now: new Date(`${viewDay}T12:00:00Z`) };
        const full = build(events, 2);
        expect(allViews(restored, query, full)).toEqual(allViews(full, query, full));
        expect(restored.position).toBe(full.position);
      }),
      { numRuns: 100 },
    );
  });

  it('pages of a list are slices of the whole list, newest first', () => {
    fc.assert(
      fc.property(scenarioArbitrary, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 7 }), ({ events, cut }, page, limit) => {
        const models = build(events);
        for (const list of [
          (p?: { page: number; limit: number }) => models.partners(cut, p),
          (p?: { page: number; limit: number }) => models.resolutions(cut, p),
          (p?: { page: number; limit: number }) => models.groups(cut, p),
          (p?: { page: number; limit: number }) => models.meetings(cut, p),
        ]) {
          const whole = list();
          expect(list({ page, limit })).toEqual({ total: whole.total, items: whole.items.slice((page - 1) * limit, page * limit) });
        }
      }),
      { numRuns: 100 },
    );
  });

  it('every entity state is plain JSON, as a snapshot keeps it', () => {
    fc.assert(
      fc.property(historyArbitrary, (history) => {
        const models = build(toStored(history));
        for (const kind of Object.keys(entityKinds) as EntityKind[]) {
          for (const { state } of models.entities.statesOf(kind, resolveCut({}))) expect(JSON.parse(JSON.stringify(state))).toEqual(state);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('a back-dated entry shows in asOf answers for its day, and in knownAt answers only once recorded', () => {
    const events = toStored(
      buildHistory([
        { op: 4, pick: 0, shift: -30, waitMinutes: 0 },
        { op: 23, pick: 1, shift: 0, waitMinutes: 60 },
        // recorded two days later, effective 20 days earlier
        { op: 25, pick: 0, shift: -20, waitMinutes: 2 * 24 * 60 },
      ]),
    );
    const models = build(events);
    const partnerId = entityOfStream(events[1]!.stream)!.id;
    const receivedOn = (events[1]!.data as { receivedOn: string }).receivedOn;
    const admittedAt = meta(events[2]!).recordedAt;
    const before = new Date(Date.parse(admittedAt) - 1).toISOString();
    expect(models.partner(partnerId)?.status).toBe('admitted');
    expect(models.partner(partnerId, { asOf: receivedOn })?.status).toBe('admitted');
    expect(models.partner(partnerId, { knownAt: before })?.status).toBe('applied');
    expect(models.partner(partnerId, { knownAt: admittedAt })?.status).toBe('admitted');
    expect(models.partner(partnerId, { asOf: addDays(receivedOn, -1) })).toBeUndefined();
  });
});

describe('berlinDate, formatted once an hour', () => {
  it('equals the day Intl formats for any instant', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), (date) => {
        const iso = date.toISOString();
        expect(berlinDate(iso)).toBe(formatBerlinDate(iso));
      }),
      { numRuns: 2000 },
    );
  });

  it('equals the day Intl formats around the changes of daylight saving time and for offsets other than Z', () => {
    for (const instant of ['2025-03-30T00:59:59.999Z', '2025-03-30T01:00:00Z', '2025-10-25T21:59:59Z', '2025-10-25T22:00:00Z', '2025-10-26T00:30:00+02:00', '2025-12-31T23:30:00-01:00']) {
      expect(berlinDate(instant)).toBe(formatBerlinDate(instant));
    }
  });
});
