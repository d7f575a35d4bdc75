import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main';
import type { CliIo, OutputStream } from '../../src/cli/io';
import { createHandlers, type CommandContext, type Handlers } from '../../src/handlers';
import { openInstallation } from '../../src/installation';
import { seedPressRelease, type SeedResult } from '../../src/seed/press-release';

/** An output stream that keeps what was written. */
export class Captured implements OutputStream {
  text = '';
  constructor(
    readonly isTTY = false,
    readonly columns = 100,
  ) {}

  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** A clock the test moves: recordedAt of what is written, and the creation time of reports. */
export class TestClock {
  constructor(private instant: string) {}
  set(instant: string): void {
    this.instant = instant;
  }
  readonly now = (): Date => new Date(this.instant);
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output, the given clock and only the given environment. */
export async function runLedger(
  argv: string[],
  options: { clock?: TestClock; env?: Record<string, string | undefined>; tty?: boolean; io?: Partial<CliIo> } = {},
): Promise<CliRun> {
  const stdout = new Captured();
  const stderr = new Captured(options.tty ?? false);
  const clock = options.clock ?? new TestClock('2026-01-15T09:00:00+01:00');
  const io: CliIo = { stdout, stderr, env: options.env ?? {}, now: clock.now, untilStopped: async () => undefined, ...options.io };
  const code = await runCli(argv, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

export interface TempDir {
  dir: string;
  /** the ledger file in it (not created) */
  path: string;
  cleanup: () => void;
}

export function tempDir(prefix = 'ledger-cli-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, path: join(dir, 'ledger.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A temp directory for the enclosing describe block: made in beforeAll and removed in afterAll, which jest runs
 * only when a test of the block runs (a directory made while jest collects the tests could be left behind).
 * Read its fields inside hooks and tests only.
 */
export function suiteDir(prefix = 'ledger-cli-'): TempDir {
  const holder = {} as TempDir;
  beforeAll(() => {
    Object.assign(holder, tempDir(prefix));
  });
  afterAll(() => holder.cleanup?.());
  return holder;
}

/** `ledger seed` in-process, recorded at the afternoon of the constitution. */
export async function seedWithCli(path: string, clock = new TestClock('2025-09-12T16:00:00+02:00')): Promise<CliRun> {
  const run = await runLedger(['seed', '--db', path], { clock });
  if (run.code !== 0) throw new Error(`seed failed: ${run.stderr}`);
  return run;
}

/**
 * The seeded ledger and the office's autumn 2025 after it, every command with an idempotency key (fixed ids) and
 * recorded at a fixed instant: the partner admitted, two groups formed (one dissolved again), a deputy, a second
 * applicant, a statement recorded late (back-dated), a meeting that was not quorate, a tie broken by the chair.
 */
export async function officeAutumn(path: string): Promise<{ seed: SeedResult; ids: Record<string, string> }> {
  const clock = new TestClock('2025-09-12T16:00:00+02:00');
  await seedWithCli(path, clock);
  // the composition root the CLI and the server use: the autumn's names and contacts are recorded encrypted too
  const installation = await openInstallation({ ledgerDb: path }, { clock: clock.now });
  try {
    const h = createHandlers(installation.ledger);
    const seed = await seedPressRelease(h);
    const ids = await autumn(h, seed, clock);
    return { seed, ids };
  } finally {
    await installation.close();
  }
}

async function autumn(h: Handlers, seed: SeedResult, clock: TestClock): Promise<Record<string, string>> {
  const ctx = (step: string): CommandContext => ({ actor: { id: 'geschaeftsstelle-1', role: 'office' }, idempotencyKey: `test/office-autumn/${step}` });
  const members = seed.ids.memberIds;
  const allYes: { memberId: string; vote: 'yes' | 'no' | 'abstain' }[] = members.map((memberId) => ({ memberId, vote: 'yes' }));
  type Proposal = Parameters<Handlers['resolutions']['propose']>[0];
  const inWriting = async (step: string, proposal: Omit<Proposal, 'writtenProcedure'>, deadline: string, votes = allYes, votedAt = `${deadline}T09:00:00+02:00`) => {
    const proposed = await h.resolutions.propose({ ...proposal, writtenProcedure: { deadline } } as Proposal, ctx(`${step}/proposal`));
    await h.resolutions.recordVotes(proposed.id, { votes, occurredAt: votedAt }, ctx(`${step}/votes`));
    await h.resolutions.decide(proposed.id, { decidedOn: deadline }, ctx(`${step}/decision`));
    return proposed.id;
  };
  const partnerId = seed.ids.partnerId;

  clock.set('2025-09-22T10:00:00+02:00');
  const admission = await inWriting(
    'admission',
    { title: 'Aufnahme des Musterverbands Pflege Sachsen', text: 'Der Bewerber wird in das Fachkräftenetzwerk aufgenommen.', kind: 'partner-admission', subject: { partnerId }, proposedOn: '2025-09-16' },
    '2025-09-22',
  );
  await h.partners.admit(partnerId, { resolutionId: admission, decidedOn: '2025-09-22' }, ctx('admit'));

  clock.set('2025-09-26T10:00:00+02:00');
  const agMandate = 'Fachkräfte für die Pflege gewinnen und halten.';
  const pgMandate = 'Anerkennungsverfahren für ausländische Berufsabschlüsse beschleunigen.';
  const agFormation = await inWriting(
    'ag-formation',
    { title: 'Bildung der AG Pflege', text: 'Eine Arbeitsgruppe Pflege wird gebildet.', kind: 'group-formation', subject: { group: { kind: 'working', name: 'AG Pflege', mandate: agMandate } }, proposedOn: '2025-09-23' },
    '2025-09-26',
  );
  const pgFormation = await inWriting(
    'pg-formation',
    { title: 'Bildung der PG Anerkennung', text: 'Eine Projektgruppe Anerkennung wird gebildet.', kind: 'group-formation', subject: { group: { kind: 'project', name: 'PG Anerkennung', mandate: pgMandate } }, proposedOn: '2025-09-23' },
    '2025-09-26',
  );

  clock.set('2025-10-01T09:00:00+02:00');
  const ag = await h.groups.form({ kind: 'working', name: 'AG Pflege', mandate: agMandate, resolutionId: agFormation, leadPartnerId: partnerId, startDate: '2025-10-01' }, ctx('ag'));
  await h.board.appointDeputy(members[7]!, { name: 'Max Beispiel', startDate: '2025-10-01' }, ctx('deputy'));
  clock.set('2025-10-02T11:00:00+02:00');
  await h.groups.join(ag.id, { partnerId, joinedOn: '2025-10-02' }, ctx('ag-join'));

  clock.set('2025-10-06T15:00:00+02:00');
  const applicant = await h.partners.apply(
    {
      organisation: { name: 'Hochschule Musterstadt (Beispiel)', category: 'education', city: 'Chemnitz' },
      contact: { name: 'Max Mustermann', email: 'max.mustermann@example.org', phone: '+49 371 000000' },
      expertise: ['Duales Studium'],
      channel: 'form',
      receivedOn: '2025-10-06',
    },
    ctx('application-2'),
  );

  clock.set('2025-10-15T09:00:00+02:00');
  const pg = await h.groups.form(
    { kind: 'project', name: 'PG Anerkennung', mandate: pgMandate, resolutionId: pgFormation, leadPartnerId: partnerId, startDate: '2025-10-15', plannedEndDate: '2026-03-31' },
    ctx('pg'),
  );

  clock.set('2025-10-20T14:00:00+02:00');
  await h.alliance.correctStatement(
    seed.ids.statementId,
    { text: 'Fachkräftesicherung ist die große Zukunftsaufgabe für Sachsen.', reason: 'Kurzfassung für die Website', occurredAt: '2025-10-20T14:00:00+02:00' },
    ctx('statement-correction'),
  );

  clock.set('2025-11-01T10:00:00+01:00');
  const meeting = await h.meetings.schedule({ title: 'Zweite Sitzung', date: '2025-11-20', place: 'Chemnitz', agenda: [{ title: 'Arbeitsprogramm 2026' }] }, ctx('meeting-2'));
  await h.meetings.sendInvitation(meeting.id, { sentOn: '2025-11-01' }, ctx('meeting-2/invitation'));

  // recorded on 03.11. for the day it happened, 10.10.: a back-dated entry
  clock.set('2025-11-03T08:30:00+01:00');
  const lateStatement = await h.alliance.issueStatement(
    { text: 'Die Fachkräftewoche zeigt, wie viel das Netzwerk bewegt.', language: 'de', occasion: 'Fachkräftewoche Sachsen', issuedOn: '2025-10-10' },
    ctx('statement-2'),
  );

  clock.set('2025-11-20T12:00:00+01:00');
  await h.meetings.recordAttendance(meeting.id, { present: members.slice(0, 4), occurredAt: '2025-11-20T10:00:00+01:00' }, ctx('meeting-2/attendance'));
  const item = meeting.state.status === 'none' ? undefined : meeting.state.agenda[0];
  const open = await h.resolutions.propose(
    { title: 'Arbeitsprogramm 2026', text: 'Das Arbeitsprogramm 2026 wird beschlossen.', kind: 'general', meetingId: meeting.id, agendaItemId: item!.id, proposedOn: '2025-11-20' },
    ctx('programme'),
  );

  clock.set('2025-11-28T10:00:00+01:00');
  const pgDissolution = await inWriting(
    'pg-dissolution',
    { title: 'Auflösung der PG Anerkennung', text: 'Die Projektgruppe hat ihren Auftrag erfüllt.', kind: 'group-dissolution', subject: { groupId: pg.id }, proposedOn: '2025-11-24' },
    '2025-11-28',
    allYes,
    '2025-11-27T09:00:00+01:00',
  );
  clock.set('2025-12-01T09:00:00+01:00');
  await h.groups.dissolve(pg.id, { resolutionId: pgDissolution, dissolvedOn: '2025-11-30', finalReportRef: 'Abschlussbericht der PG Anerkennung, November 2025' }, ctx('pg-dissolved'));

  clock.set('2025-12-10T10:00:00+01:00');
  const tie = members.map((memberId, i) => ({ memberId, vote: i < 4 ? ('no' as const) : i < 8 ? ('yes' as const) : ('abstain' as const) }));
  const fair = await inWriting(
    'fair',
    { title: 'Eigener Messestand 2026', text: 'Die Allianz tritt 2026 mit einem eigenen Messestand auf.', kind: 'general', proposedOn: '2025-12-01' },
    '2025-12-10',
    tie,
    '2025-12-09T09:00:00+01:00',
  );

  return { admission, agFormation, pgFormation, ag: ag.id, pg: pg.id, applicant: applicant.id, meeting: meeting.id, lateStatement: lateStatement.id, open: open.id, pgDissolution, fair };
}
