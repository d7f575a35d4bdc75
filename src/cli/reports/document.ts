import type { ReadModels } from '../../projections/read-models';
import type { RevealPersonalData } from '../../projections/views/shared';

/**
 * A report as data: fields (the heading facts) and sections (tables). Values stay raw (ISO dates, instants,
 * booleans, numbers); each renderer formats them by the column's type, so JSON keeps machine values and the
 * Markdown, CSV and HTML forms show German dates, Ja/Nein and German numbers.
 */

export const reportKinds = ['board', 'partners', 'groups', 'decisions', 'statements', 'activity'] as const;
export type ReportKind = (typeof reportKinds)[number];

/** Reports that cover a period (--from/--to); the others show the state on one day. */
export const periodReports: readonly ReportKind[] = ['decisions', 'statements', 'activity'];

export type ValueType = 'text' | 'date' | 'month' | 'instant' | 'number' | 'boolean' | 'list';
export type Value = string | number | boolean | null | string[];

export interface Column {
  key: string;
  label: string;
  type?: ValueType;
}

export interface Field {
  key: string;
  label: string;
  value: Value;
  type?: ValueType;
}

export type Row = Record<string, Value>;

export interface Section {
  key: string;
  title: string;
  columns: Column[];
  rows: Row[];
  /** what the section says when it has no rows */
  empty: string;
  /** the HTML form draws the section as a bar chart of `value` over `label` as well as the table */
  chart?: { label: string; value: string };
}

export interface ReportDocument {
  report: ReportKind;
  title: string;
  fields: Field[];
  sections: Section[];
  /** the section the CSV form holds (CSV has one table) */
  main: string;
}

/** A period of days, both ends included; an end left out is open. */
export interface Period {
  from?: string;
  to?: string;
}

/** What a report is asked for. */
export interface ReportRequest {
  asOf?: string;
  knownAt?: string;
  period?: Period;
  withPersonalData: boolean;
  /** decrypts personal data (PersonalDataProtector.reveal); without it, encrypted names and contacts read null */
  reveal?: RevealPersonalData;
  /** the creation time, and "today" when neither asOf nor knownAt is given */
  now: Date;
}

export interface ReportInput extends ReportRequest {
  models: ReadModels;
}

/** The ReadQuery of a request: the cut, the reader's rights and the clock. */
export function queryOf(input: ReportInput): { asOf?: string; knownAt?: string; withPersonalData: boolean; reveal?: RevealPersonalData; now: Date } {
  return {
    ...(input.asOf !== undefined && { asOf: input.asOf }),
    ...(input.knownAt !== undefined && { knownAt: input.knownAt }),
    withPersonalData: input.withPersonalData,
    ...(input.withPersonalData && input.reveal && { reveal: input.reveal }),
    now: input.now,
  };
}

/** The heading facts every report starts with: the alliance, the cut, the creation time, personal data. */
export function commonFields(input: ReportInput): Field[] {
  const query = queryOf(input);
  const viewDay = input.models.cut(query).viewDay;
  const alliance = input.models.alliance(query);
  const fields: Field[] = [
    {
      key: 'alliance',
      label: 'Allianz',
      value: alliance ? alliance.name : 'noch nicht konstituiert',
    },
  ];
  if (alliance) fields.push({ key: 'constitutedOn', label: 'Konstituiert am', value: alliance.constitutedOn, type: 'date' });
  if (input.period?.from !== undefined) fields.push({ key: 'from', label: 'Zeitraum von', value: input.period.from, type: 'date' });
  if (input.period?.to !== undefined) fields.push({ key: 'to', label: 'Zeitraum bis', value: input.period.to, type: 'date' });
  fields.push({ key: 'asOf', label: 'Stand', value: viewDay, type: 'date' });
  fields.push(
    input.knownAt !== undefined
      ? { key: 'knownAt', label: 'Kenntnisstand', value: input.knownAt, type: 'instant' }
      : { key: 'knownAt', label: 'Kenntnisstand', value: 'alle bis zur Erstellung erfassten Einträge' },
  );
  fields.push({ key: 'createdAt', label: 'Erstellt am', value: input.now.toISOString(), type: 'instant' });
  fields.push({ key: 'personalData', label: 'Personenbezogene Daten', value: input.withPersonalData ? 'enthalten' : 'nicht enthalten' });
  return fields;
}

export function compareText(a: string, b: string): number {
  return a.localeCompare(b, 'de');
}

export function compareRaw(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function within(period: Period | undefined, day: string | null | undefined): boolean {
  if (day === null || day === undefined) return false;
  return (period?.from === undefined || period.from <= day) && (period?.to === undefined || day <= period.to);
}
