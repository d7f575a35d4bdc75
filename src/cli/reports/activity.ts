import { eventsAt } from '../../projections/as-of';
import { entityKinds, type EntityKind } from '../../projections/kinds';
import {
  commonFields,
  compareRaw,
  compareText,
  queryOf,
  within,
  type Period,
  type ReportDocument,
  type ReportInput,
  type Row,
} from './document';
import { admittedByLabel, groupKindLabel, meetingStatusLabel, partnerCategoryLabel } from './german';

interface Entry {
  date: string;
  area: string;
  action: string;
  subject: string;
  id: string;
}

const AREA_ORDER = ['Gremium', 'Schirmherr', 'Netzwerk', 'Gruppen'];

/**
 * The period report the office writes each year: admissions, groups formed and dissolved, resolutions, statements
 * and meetings in the period, and the ledger's events per month. Facts count by the day they happened (the
 * decision day, the admission day, the meeting day); the state behind them is the one of the period's last day,
 * or of --as-of, as known at --known-at.
 */
export function activityReport(input: ReportInput): ReportDocument {
  const period = wholePeriod(input.period, input.models.cut(queryOf(input)).viewDay);
  const query = queryOf({ ...input, asOf: input.asOf ?? period.to });
  const models = input.models;
  const entries: Entry[] = [];

  const partners = models.partners(query).items;
  const applications = partners.filter((p) => within(period, p.receivedOn));
  for (const p of applications) {
    entries.push({ date: p.receivedOn, area: 'Netzwerk', action: 'Bewerbung eingegangen', subject: `${p.organisation.name} (${partnerCategoryLabel[p.category]})`, id: p.id });
  }
  const admissions = partners.filter((p) => within(period, p.admittedOn));
  for (const p of admissions) {
    const by = p.admittedBy ? `, durch ${admittedByLabel[p.admittedBy]}` : '';
    entries.push({ date: p.admittedOn!, area: 'Netzwerk', action: 'Partner aufgenommen', subject: `${p.organisation.name}${by}`, id: p.id });
  }

  const groups = models.groups(query).items;
  const formed = groups.filter((g) => within(period, g.startDate));
  const dissolved = groups.filter((g) => within(period, g.dissolvedOn));
  for (const g of formed) entries.push({ date: g.startDate, area: 'Gruppen', action: `${groupKindLabel[g.kind]} gebildet`, subject: g.name, id: g.id });
  for (const g of dissolved) entries.push({ date: g.dissolvedOn!, area: 'Gruppen', action: `${groupKindLabel[g.kind]} aufgelöst`, subject: g.name, id: g.id });

  const decided = models
    .resolutions({ ...query, from: period.from, to: period.to })
    .items.filter((r) => r.outcome !== null && within(period, r.decidedOn));
  for (const r of decided) {
    entries.push({ date: r.decidedOn!, area: 'Gremium', action: r.outcome === 'adopted' ? 'Beschluss angenommen' : 'Beschluss abgelehnt', subject: r.title, id: r.id });
  }

  const statements = models.statements({ ...query, from: period.from, to: period.to }).items;
  for (const s of statements) entries.push({ date: s.issuedOn, area: 'Schirmherr', action: 'Erklärung', subject: s.occasion, id: s.id });

  const meetings = models.meetings({ ...query, from: period.from, to: period.to }).items;
  for (const m of meetings) {
    entries.push({ date: m.date, area: 'Gremium', action: `Sitzung (${meetingStatusLabel[m.status].toLowerCase()})`, subject: `${m.title}, ${m.place}`, id: m.id });
  }

  entries.sort(
    (a, b) =>
      compareRaw(a.date, b.date) ||
      AREA_ORDER.indexOf(a.area) - AREA_ORDER.indexOf(b.area) ||
      compareText(a.action, b.action) ||
      compareText(a.subject, b.subject) ||
      compareRaw(a.id, b.id),
  );
  const perMonth = eventsPerMonth(input, query, period);
  const adopted = decided.filter((r) => r.outcome === 'adopted').length;
  const overview: Row[] = [
    { measure: 'Eingegangene Bewerbungen', count: applications.length },
    { measure: 'Aufgenommene Partner', count: admissions.length },
    { measure: 'Gebildete Gruppen', count: formed.length },
    { measure: 'Aufgelöste Gruppen', count: dissolved.length },
    { measure: 'Gefasste Beschlüsse', count: decided.length },
    { measure: 'davon angenommen', count: adopted },
    { measure: 'davon abgelehnt', count: decided.length - adopted },
    { measure: 'Erklärungen des Schirmherrn', count: statements.length },
    { measure: 'Sitzungen', count: meetings.filter((m) => m.status !== 'cancelled').length },
    { measure: 'Abgesagte Sitzungen', count: meetings.filter((m) => m.status === 'cancelled').length },
    { measure: 'Ereignisse im Ledger', count: perMonth.reduce((sum, row) => sum + (row.events as number), 0) },
  ];

  return {
    report: 'activity',
    title: 'Tätigkeitsbericht',
    fields: commonFields({ ...input, asOf: input.asOf ?? period.to, period }),
    sections: [
      {
        key: 'overview',
        title: 'Überblick',
        columns: [
          { key: 'measure', label: 'Kennzahl' },
          { key: 'count', label: 'Anzahl', type: 'number' },
        ],
        rows: overview,
        empty: '',
      },
      {
        key: 'chronicle',
        title: 'Chronik',
        columns: [
          { key: 'date', label: 'Datum', type: 'date' },
          { key: 'area', label: 'Bereich' },
          { key: 'action', label: 'Vorgang' },
          { key: 'subject', label: 'Gegenstand' },
          { key: 'id', label: 'ID' },
        ],
        rows: entries.map((e) => ({ ...e })),
        empty: 'Im Zeitraum ist nichts geschehen.',
      },
      {
        key: 'eventsPerMonth',
        title: 'Ereignisse je Monat',
        columns: [
          { key: 'month', label: 'Monat', type: 'month' },
          { key: 'events', label: 'Ereignisse', type: 'number' },
        ],
        rows: perMonth,
        empty: 'Der Zeitraum umfasst keinen Monat.',
        chart: { label: 'month', value: 'events' },
      },
    ],
    main: 'chronicle',
  };
}

/** Every event of the ledger whose day lies in the period, by month; months without events count 0. */
function eventsPerMonth(input: ReportInput, query: ReturnType<typeof queryOf>, period: Required<Period>): Row[] {
  const cut = input.models.cut(query);
  const counts = new Map<string, number>();
  for (const month of monthsOf(period)) counts.set(month, 0);
  for (const kind of Object.keys(entityKinds) as EntityKind[]) {
    for (const { entity } of input.models.entities.statesOf(kind, cut)) {
      for (const event of eventsAt(entity, cut)) {
        if (!within(period, event.day)) continue;
        const month = event.day.slice(0, 7);
        counts.set(month, (counts.get(month) ?? 0) + 1);
      }
    }
  }
  return [...counts].map(([month, events]) => ({ month, events }));
}

function monthsOf(period: Required<Period>): string[] {
  const months: string[] = [];
  let [year, month] = period.from.slice(0, 7).split('-').map(Number) as [number, number];
  const last = period.to.slice(0, 7);
  for (let guard = 0; guard < 1200; guard++) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    if (key > last) break;
    months.push(key);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

/**
 * The report's period with both ends: by default the calendar year of the view day; --from alone runs to the end
 * of its year, --to alone from the start of its year.
 */
export function wholePeriod(period: Period | undefined, viewDay: string): Required<Period> {
  const from = period?.from ?? `${(period?.to ?? viewDay).slice(0, 4)}-01-01`;
  const to = period?.to ?? `${from.slice(0, 4)}-12-31`;
  return { from, to };
}
