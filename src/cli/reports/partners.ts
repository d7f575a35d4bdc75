import { partnerStatus } from '../../domain/partner/events';
import type { PartnerJson } from '../../projections/views/partners';
import { commonFields, compareText, queryOf, type Column, type ReportDocument, type ReportInput, type Row } from './document';
import { admittedByLabel, channelLabel, partnerCategoryLabel, partnerStatusLabel } from './german';

/** The partner register: every organisation that applied, with its status on the view day, in alphabetical order. */
export function partnersReport(input: ReportInput): ReportDocument {
  const query = queryOf(input);
  const partners = input.models.partners(query).items.sort(
    (a, b) => compareText(a.organisation.name, b.organisation.name) || (a.id < b.id ? -1 : 1),
  );
  const columns: Column[] = [
    { key: 'organisation', label: 'Organisation' },
    { key: 'category', label: 'Kategorie' },
    { key: 'city', label: 'Ort' },
    { key: 'status', label: 'Status' },
    { key: 'receivedOn', label: 'Bewerbung eingegangen am', type: 'date' },
    { key: 'channel', label: 'Eingangsweg' },
    { key: 'decidedOn', label: 'Entschieden am', type: 'date' },
    { key: 'admittedBy', label: 'Aufnahme durch' },
    { key: 'resolutionId', label: 'Beschluss-ID' },
    { key: 'groups', label: 'Arbeits- und Projektgruppen', type: 'list' },
    { key: 'expertise', label: 'Expertise', type: 'list' },
  ];
  if (input.withPersonalData) {
    columns.push({ key: 'contactName', label: 'Ansprechperson' }, { key: 'contactEmail', label: 'E-Mail' }, { key: 'contactPhone', label: 'Telefon' });
  }
  columns.push({ key: 'id', label: 'Partner-ID' });

  const counts: Row[] = partnerStatus.options.map((status) => ({
    status: partnerStatusLabel[status],
    count: partners.filter((p) => p.status === status).length,
  }));
  counts.push({ status: 'Gesamt', count: partners.length });

  return {
    report: 'partners',
    title: 'Partnerregister des Fachkräftenetzwerks',
    fields: commonFields(input),
    sections: [
      {
        key: 'partners',
        title: 'Partner',
        columns,
        rows: partners.map((p) => partnerRow(p, input.withPersonalData)),
        empty: 'Bis zum Stichtag ist keine Bewerbung eingegangen.',
      },
      {
        key: 'byStatus',
        title: 'Übersicht nach Status',
        columns: [
          { key: 'status', label: 'Status' },
          { key: 'count', label: 'Anzahl', type: 'number' },
        ],
        rows: counts,
        empty: '',
      },
    ],
    main: 'partners',
  };
}

function partnerRow(p: PartnerJson, withPersonalData: boolean): Row {
  const decided = decision(p);
  const row: Row = {
    organisation: p.organisation.name,
    category: partnerCategoryLabel[p.category],
    city: p.organisation.city ?? null,
    status: partnerStatusLabel[p.status],
    receivedOn: p.receivedOn,
    channel: channelLabel[p.channel],
    decidedOn: decided.on,
    admittedBy: p.admittedBy ? admittedByLabel[p.admittedBy] : null,
    resolutionId: decided.resolutionId,
    groups: p.groups.map((g) => g.name),
    expertise: [...p.expertise],
  };
  if (withPersonalData) {
    row.contactName = p.contact?.erased ? '(gelöscht)' : (p.contact?.name ?? null);
    row.contactEmail = p.contact?.email ?? null;
    row.contactPhone = p.contact?.phone ?? null;
  }
  row.id = p.id;
  return row;
}

/** The day of the last decision on the partner (admission, rejection, withdrawal, departure, exclusion) and its resolution. */
function decision(p: PartnerJson): { on: string | null; resolutionId: string | null } {
  switch (p.status) {
    case 'admitted':
      return { on: p.admittedOn ?? null, resolutionId: p.admissionResolutionId ?? null };
    case 'rejected':
      return { on: p.rejectedOn ?? null, resolutionId: p.rejectionResolutionId ?? null };
    case 'withdrawn':
      return { on: p.withdrawnOn ?? null, resolutionId: null };
    case 'left':
      return { on: p.leftOn ?? null, resolutionId: null };
    case 'excluded':
      return { on: p.excludedOn ?? null, resolutionId: p.exclusionResolutionId ?? null };
    case 'applied':
      return { on: null, resolutionId: null };
  }
}
