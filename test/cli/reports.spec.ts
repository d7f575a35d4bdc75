import { reportKinds, type ReportDocument } from '../../src/cli/reports';
import { officeAutumn, runLedger, seedWithCli, suiteDir } from './cli-fixture';

async function report(path: string, args: string[]): Promise<ReportDocument> {
  const run = await runLedger(['report', ...args, '--db', path, '--format', 'json']);
  if (run.code !== 0) throw new Error(`report ${args.join(' ')} failed (${run.code}): ${run.stderr}`);
  return JSON.parse(run.stdout) as ReportDocument;
}

function rows(document: ReportDocument, section: string): Record<string, unknown>[] {
  return document.sections.find((s) => s.key === section)!.rows;
}

function field(document: ReportDocument, key: string): unknown {
  return document.fields.find((f) => f.key === key)?.value;
}

/** Every row of every section, as comparable strings, with the report's own "as of" left out. */
function allRows(document: ReportDocument): string[] {
  return document.sections.flatMap((s) => s.rows.map((r) => `${s.key} ${JSON.stringify(r)}`));
}

describe('reports on the seeded ledger', () => {
  const t = suiteDir('ledger-reports-');
  beforeAll(() => seedWithCli(t.path));

  it('--as-of 2025-09-11 and --as-of 2025-09-12 differ exactly by the constitution', async () => {
    const constitution = {
      board: ['seats', 'members'],
      decisions: ['resolutions'],
      statements: ['statements'],
    } as Record<string, string[]>;
    for (const kind of reportKinds) {
      const period = kind === 'activity' ? ['--from', '2025-09-01', '--to', '2025-09-30'] : [];
      const before = await report(t.path, [kind, '--as-of', '2025-09-11', ...period]);
      const on = await report(t.path, [kind, '--as-of', '2025-09-12', ...period]);
      expect(field(before, 'alliance')).toBe('noch nicht konstituiert');
      expect(field(on, 'alliance')).toBe('Fachkräfteallianz Sachsen');
      expect(field(on, 'constitutedOn')).toBe('2025-09-12');

      const onRows = allRows(on);
      const beforeRows = allRows(before);
      const added = onRows.filter((r) => !beforeRows.includes(r));
      // the events per month count what happened by the day, so the activity report's September row grows
      if (kind !== 'activity') expect(beforeRows.filter((r) => !onRows.includes(r))).toEqual([]);
      for (const section of constitution[kind] ?? []) expect(rows(before, section)).toEqual([]);
      if (kind === 'partners' || kind === 'groups') expect(added).toEqual([]);
      if (kind === 'activity') {
        // the invitation (01.09.) was sent before; everything else on the day of the constitution
        const chronicle = rows(on, 'chronicle');
        expect(rows(before, 'chronicle')).toEqual([]);
        expect(chronicle.map((r) => [r.date, r.action])).toEqual([
          ['2025-09-12', 'Beschluss angenommen'],
          ['2025-09-12', 'Sitzung (abgeschlossen)'],
          ['2025-09-12', 'Erklärung'],
        ]);
      }
    }
    const board = await report(t.path, ['board', '--as-of', '2025-09-12']);
    expect(rows(board, 'members')).toHaveLength(9);
    expect(rows(board, 'seats').at(-1)).toEqual({ category: 'Gesamt', seats: 9, used: 9, free: 0 });
    expect(field(await report(t.path, ['board', '--as-of', '2025-09-11']), 'board')).toBe('am Stichtag nicht eingerichtet');
    const decisions = rows(await report(t.path, ['decisions', '--as-of', '2025-09-12']), 'resolutions');
    expect(decisions).toMatchObject([
      { title: 'Neuausrichtung der Fachkräfteallianz Sachsen', outcome: 'Angenommen', votingMembers: 9, present: 9, quorumMet: true, yes: 9, no: 0, abstain: 0 },
    ]);
    expect(rows(await report(t.path, ['statements', '--as-of', '2025-09-12']), 'statements')).toHaveLength(1);
  });

  it('records in the decision register when and by whom each decision was recorded', async () => {
    const [row] = rows(await report(t.path, ['decisions']), 'resolutions');
    expect(row).toMatchObject({ recordedAt: '2025-09-12T14:00:00.000Z', recordedBy: 'ledger-seed (Geschäftsstelle)' });
    expect(String(row!.rules)).toContain('GO Version 1');
  });
});

describe('reports over the office autumn', () => {
  const t = suiteDir('ledger-reports-autumn-');
  beforeAll(() => officeAutumn(t.path));

  it('counts the events of a period in the activity report', async () => {
    const october = await report(t.path, ['activity', '--from', '2025-10-01', '--to', '2025-10-31']);
    expect(Object.fromEntries(rows(october, 'overview').map((r) => [r.measure, r.count]))).toEqual({
      'Eingegangene Bewerbungen': 1,
      'Aufgenommene Partner': 0,
      'Gebildete Gruppen': 2,
      'Aufgelöste Gruppen': 0,
      'Gefasste Beschlüsse': 0,
      'davon angenommen': 0,
      'davon abgelehnt': 0,
      'Erklärungen des Schirmherrn': 1,
      Sitzungen: 0,
      'Abgesagte Sitzungen': 0,
      // two groups formed, a deputy, a member joined, an application, a statement, a correction
      'Ereignisse im Ledger': 7,
    });
    expect(rows(october, 'eventsPerMonth')).toEqual([{ month: '2025-10', events: 7 }]);

    const autumn = await report(t.path, ['activity', '--from', '2025-09-13', '--to', '2025-12-31']);
    const counts = Object.fromEntries(rows(autumn, 'overview').map((r) => [r.measure, r.count]));
    expect(counts).toMatchObject({
      'Eingegangene Bewerbungen': 2,
      'Aufgenommene Partner': 1,
      'Gebildete Gruppen': 2,
      'Aufgelöste Gruppen': 1,
      'Gefasste Beschlüsse': 5,
      'davon angenommen': 4,
      'davon abgelehnt': 1,
      'Erklärungen des Schirmherrn': 1,
      Sitzungen: 1,
    });
    expect(rows(autumn, 'eventsPerMonth').map((r) => r.month)).toEqual(['2025-09', '2025-10', '2025-11', '2025-12']);
  });

  it('shows with --known-at what the ledger held then: the statement recorded late is not yet there', async () => {
    const asKnownThen = await report(t.path, ['statements', '--known-at', '2025-11-01T00:00:00+01:00']);
    const asKnownNow = await report(t.path, ['statements', '--as-of', '2025-11-01']);
    expect(rows(asKnownThen, 'statements').map((r) => r.occasion)).toEqual(['Neukonstituierung der Fachkräfteallianz Sachsen']);
    expect(rows(asKnownNow, 'statements').map((r) => r.occasion)).toEqual(['Neukonstituierung der Fachkräfteallianz Sachsen', 'Fachkräftewoche Sachsen']);
    expect(rows(asKnownThen, 'statements')[0]!.corrections).toEqual([
      '20.10.2025, 14:00:00 Uhr – Kurzfassung für die Website: Fachkräftesicherung ist die große Zukunftsaufgabe für Sachsen.',
    ]);
    const activity = await report(t.path, ['activity', '--from', '2025-10-01', '--to', '2025-10-31', '--known-at', '2025-11-01T00:00:00+01:00']);
    expect(rows(activity, 'overview').find((r) => r.measure === 'Erklärungen des Schirmherrn')!.count).toBe(0);
  });

  it('filters the decision register and the statements by --from/--to', async () => {
    const december = await report(t.path, ['decisions', '--from', '2025-12-01', '--to', '2025-12-31']);
    expect(rows(december, 'resolutions')).toMatchObject([
      { number: 1, title: 'Eigener Messestand 2026', outcome: 'Abgelehnt', yes: 4, no: 4, abstain: 1, tieBrokenBy: 'Vorsitz (Sächsisches Staatsministerium für Wirtschaft und Arbeit)' },
    ]);
    const since = await report(t.path, ['statements', '--from', '2025-10-01']);
    expect(rows(since, 'statements').map((r) => r.issuedOn)).toEqual(['2025-10-10']);
  });

  it('shows member names and contact persons only with --with-personal-data', async () => {
    const personal = ['Erika Mustermann', 'erika.mustermann@example.org', 'Max Mustermann', 'max.mustermann@example.org', '+49 371 000000', 'Max Beispiel'];
    for (const kind of reportKinds) {
      for (const format of ['md', 'csv', 'html', 'json']) {
        const run = await runLedger(['report', kind, '--db', t.path, '--as-of', '2025-12-31', '--format', format]);
        expect(run.code).toBe(0);
        for (const text of personal) expect(run.stdout).not.toContain(text);
      }
    }
    const partners = await report(t.path, ['partners', '--with-personal-data']);
    expect(rows(partners, 'partners').map((r) => [r.contactName, r.contactEmail, r.contactPhone])).toEqual([
      ['Max Mustermann', 'max.mustermann@example.org', '+49 371 000000'],
      ['Erika Mustermann', 'erika.mustermann@example.org', null],
    ]);
    const board = await report(t.path, ['board', '--with-personal-data', '--as-of', '2025-12-31']);
    expect(rows(board, 'members').find((r) => r.onBehalfOf === 'DGB Sachsen')).toMatchObject({ name: 'Vorsitz des Bezirks', deputies: ['Max Beispiel'] });
    expect(field(board, 'personalData')).toBe('enthalten');
  });
});
