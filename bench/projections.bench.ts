/**
 * Read models on a large log: how fast they are built, how big their snapshot is, and how long a query takes with
 * and without a cut. Run: node -r @swc-node/register bench/projections.bench.ts [events=1000000]
 * The snapshot is written to $TMPDIR/projections.bench.snapshot; a restart from it is measured in a fresh process
 * (the heap of the first one would slow the restore down):
 *   node -r @swc-node/register bench/projections.bench.ts restore
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultRules } from '../src/domain/rules/rules-of-procedure';
import { createReadModels, type ReadModels, type ReadQuery } from '../src/projections/read-models';
import type { StoredEvent } from '../src/store/port';

const target = Number(process.argv[2] ?? 1_000_000);
const snapshotFile = join(tmpdir(), 'projections.bench.snapshot');

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A plausible log: many partners and resolutions, meetings, groups with members, a board and a patron. */
function* generate(count: number): Generator<StoredEvent> {
  const random = mulberry32(42);
  const pick = <T>(list: T[]): T | undefined => (list.length === 0 ? undefined : list[Math.floor(random() * list.length)]);
  let clock = Date.parse('2025-09-01T08:00:00Z');
  const step = Math.floor((10 * 365 * 86_400_000) / count);
  let position = 0n;
  let next = 1;
  const revisions = new Map<string, bigint>();
  const event = (stream: string, type: string, data: unknown, occurredAt: string): StoredEvent => {
    const revision = (revisions.get(stream) ?? -1n) + 1n;
    revisions.set(stream, revision);
    position += 1n;
    return {
      position,
      stream,
      revision,
      eventId: uuid(10_000_000 + Number(position)),
      type,
      data,
      metadata: { recordedAt: new Date(clock).toISOString(), occurredAt, actor: { id: 'office-1', role: 'office' }, correlationId: 'c', causationId: 'c', schemaVersion: 1, prevHash: '', hash: '' },
    };
  };
  const applied: string[] = [];
  const admitted: string[] = [];
  const open: { id: string; decided: boolean }[] = [];
  const adopted: string[] = [];
  const groups: { id: string; members: Set<string> }[] = [];
  const members: string[] = [];
  yield event('alliance-main', 'AllianceConstituted', { name: 'Fachkräfteallianz Sachsen', constitutedOn: '2025-09-12', place: 'Dresden', officeEmail: 'fachkraefteallianz@smwa.sachsen.de' }, '2025-09-12');
  yield event('patron-main', 'PatronAppointed', { patronId: uuid(next++), name: 'Dirk Panter', office: 'Staatsminister', startDate: '2025-09-01' }, '2025-09-01');
  yield event('board-main', 'BoardEstablished', { name: 'Gremium', establishedOn: '2025-09-12', seats: { ministry: 100, municipal: 100, chamber: 100, association: 100, union: 100, welfare: 100 }, rules: defaultRules }, '2025-09-12');
  while (position < BigInt(count)) {
    clock += step;
    // one in ten entries is back-dated by up to 60 days
    const effective = day(clock - (random() < 0.1 ? Math.floor(random() * 60) * 86_400_000 : 0));
    const r = random();
    if (r < 0.16) {
      const id = uuid(next++);
      applied.push(id);
      yield event(`partner-${id}`, 'PartnerApplied', { partnerId: id, organisation: { name: `Betrieb ${id.slice(-6)}`, category: 'employer' }, contact: { subjectId: uuid(next++), name: 'Kontakt', email: 'k@example.org' }, expertise: ['Ausbildung'], channel: 'email', receivedOn: effective }, effective);
    } else if (r < 0.3) {
      const id = applied.splice(Math.floor(random() * applied.length), 1)[0];
      if (!id) continue;
      if (random() < 0.8) {
        admitted.push(id);
        yield event(`partner-${id}`, 'PartnerAdmitted', { decidedOn: day(clock), by: 'office' }, day(clock));
      } else yield event(`partner-${id}`, 'PartnerRejected', { decidedOn: day(clock), reason: 'nein' }, day(clock));
    } else if (r < 0.32) {
      const id = admitted.splice(Math.floor(random() * admitted.length), 1)[0];
      if (id) yield event(`partner-${id}`, 'PartnerLeft', { occurredAt: new Date(clock).toISOString() }, new Date(clock).toISOString());
    } else if (r < 0.48) {
      const id = uuid(next++);
      open.push({ id, decided: false });
      yield event(`resolution-${id}`, 'ResolutionProposed', { resolutionId: id, title: 'Beschluss', text: 'Text', kind: 'general', writtenProcedure: { deadline: day(clock + 14 * 86_400_000) }, proposedOn: effective }, effective);
    } else if (r < 0.62) {
      const resolution = pick(open);
      if (!resolution) continue;
      const at = new Date(clock).toISOString();
      yield event(`resolution-${resolution.id}`, 'VotesRecorded', { votes: [{ memberId: pick(members) ?? uuid(1), vote: 'yes' }], recusals: [], occurredAt: at }, at);
    } else if (r < 0.76) {
      const index = Math.floor(random() * open.length);
      const resolution = open.splice(index, 1)[0];
      if (!resolution) continue;
      adopted.push(resolution.id);
      yield event(`resolution-${resolution.id}`, 'ResolutionDecided', { outcome: 'adopted', decidedOn: day(clock), basis: { procedure: 'written', votingMembers: 5, present: 5, recused: 0, quorumMet: true, tally: { yes: 5, no: 0, abstain: 0 }, rulesVersion: 1, rules: defaultRules, votingMemberIds: [], presentMemberIds: [], recusedMemberIds: [] } }, day(clock));
    } else if (r < 0.78) {
      const id = pick(adopted);
      const at = new Date(clock).toISOString();
      if (id) yield event(`resolution-${id}`, 'ResolutionCorrected', { correctionId: uuid(next++), text: 'berichtigt', reason: 'Tippfehler', occurredAt: at }, at);
    } else if (r < 0.785) {
      const id = uuid(next++);
      const date = day(clock + 14 * 86_400_000);
      yield event(`meeting-${id}`, 'MeetingScheduled', { meetingId: id, title: 'Sitzung', date, place: 'Dresden', urgent: false, agenda: [{ id: uuid(next++), order: 1, title: 'TOP 1', public: true }] }, date);
      yield event(`meeting-${id}`, 'InvitationSent', { sentOn: day(clock), timely: true, periodDays: 7, rulesVersion: 1 }, day(clock));
    } else if (r < 0.79) {
      const resolution = pick(adopted);
      if (!resolution) continue;
      const id = uuid(next++);
      groups.push({ id, members: new Set() });
      yield event(`group-${id}`, 'GroupFormed', { groupId: id, kind: 'working', name: `AG ${id.slice(-4)}`, mandate: 'Mandat', resolutionId: resolution, startDate: effective }, effective);
    } else if (r < 0.9) {
      const group = pick(groups);
      const partner = pick(admitted);
      if (!group || !partner) continue;
      if (group.members.has(partner)) {
        group.members.delete(partner);
        yield event(`group-${group.id}`, 'GroupMemberLeft', { partnerId: partner, leftOn: effective }, effective);
      } else {
        group.members.add(partner);
        yield event(`group-${group.id}`, 'GroupMemberJoined', { partnerId: partner, joinedOn: effective }, effective);
      }
    } else if (r < 0.9001) {
      const id = uuid(next++);
      members.push(id);
      yield event('board-main', 'BoardMemberAppointed', { memberId: id, person: { subjectId: uuid(next++), name: 'Person' }, onBehalfOf: 'Organisation', seatCategory: 'chamber', role: 'member', votingRight: true, startDate: effective, endDate: day(clock + 5 * 365 * 86_400_000) }, effective);
    } else if (r < 0.9002) {
      yield event('patron-main', 'StatementIssued', { statementId: uuid(next++), patronId: uuid(1), text: 'Erklärung', language: 'de', occasion: 'Anlass', issuedOn: effective }, effective);
    } else {
      // a pause
    }
  }
}

function time<T>(label: string, run: () => T, repeat = 1): T {
  let result!: T;
  if (repeat > 1) run(); // warm up: the first call compiles
  const started = process.hrtime.bigint();
  for (let i = 0; i < repeat; i++) result = run();
  const ms = Number(process.hrtime.bigint() - started) / 1e6 / repeat;
  console.log(`${label.padEnd(62)} ${ms.toFixed(ms < 10 ? 3 : 1).padStart(9)} ms`);
  return result;
}

function queries(models: ReadModels, label: string, query: ReadQuery): void {
  const page = { page: 1, limit: 50 };
  const some = [...models.entities.statesOf('partner', models.cut({}))].slice(1000, 1001)[0]!.entity.id;
  const someResolution = [...models.entities.statesOf('resolution', models.cut({}))].slice(5000, 5001)[0]!.entity.id;
  console.log(`-- ${label}`);
  time('board', () => models.board(query), 20);
  time('one partner', () => models.partner(some, query), 200);
  time('one resolution (with trail)', () => models.resolution(someResolution, query), 200);
  time('partners, first page of 50, filtered by status admitted', () => models.partners({ ...query, status: 'admitted' }, page), 3);
  time('resolutions, first page of 50, newest first', () => models.resolutions(query, page), 3);
  time('groups, first page of 50', () => models.groups(query, page), 3);
  time('alliance (with partner and group counts)', () => models.alliance(query), 3);
  time('statements, first page', () => models.statements(query, page), 20);
}

async function main(): Promise<void> {
  const events = time(`generate ${target} events`, () => [...generate(target)]);
  const models = createReadModels();
  const before = process.memoryUsage().heapUsed;
  const started = process.hrtime.bigint();
  for (const event of events) models.apply(event);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`apply: ${events.length} events in ${seconds.toFixed(1)} s = ${Math.round(events.length / seconds)} events/s`);
  global.gc?.();
  console.log(`heap for the read models (and the generated events): ${Math.round((process.memoryUsage().heapUsed - before) / 1e6)} MB`);
  const snapshot = time('snapshot', () => models.snapshot());
  console.log(`snapshot size: ${Math.round(snapshot.length / 1e6)} MB`);
  writeFileSync(snapshotFile, snapshot);
  time('restore', () => createReadModels().restore(snapshot));
  const first = Date.parse((events[0]!.metadata as { recordedAt: string }).recordedAt);
  const last = Date.parse((events.at(-1)!.metadata as { recordedAt: string }).recordedAt);
  const middle = new Date((first + last) / 2);
  queries(models, 'no cut', { now: new Date(last) });
  queries(models, 'asOf the middle', { asOf: middle.toISOString().slice(0, 10) });
  queries(models, 'knownAt the middle', { knownAt: middle.toISOString() });
  queries(models, 'asOf and knownAt', { asOf: new Date(first + (last - first) / 3).toISOString().slice(0, 10), knownAt: middle.toISOString() });
}

function restart(): void {
  const buffer = time('read the snapshot file', () => readFileSync(snapshotFile));
  const models = createReadModels();
  time('restore', () => models.restore(buffer));
  const now = new Date('2036-01-01T00:00:00Z');
  time('first query after the restart: partners, page 1', () => models.partners({ now, status: 'admitted' }, { page: 1, limit: 50 }));
  time('first query with a cut: resolutions asOf, page 1', () => models.resolutions({ asOf: '2030-09-01' }, { page: 1, limit: 50 }));
  time('second snapshot, nothing changed', () => models.snapshot());
}

if (require.main === module) {
  if (process.argv[2] === 'restore') restart();
  else void main();
}
export { generate };
