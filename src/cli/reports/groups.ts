import { germanDate, groupKindLabel, groupStatusLabel } from './german';
import { commonFields, compareRaw, compareText, queryOf, type ReportDocument, type ReportInput, type Row } from './document';

const KIND_ORDER = ['working', 'project'];

/** Working and project groups known on the view day, with their members on that day. */
export function groupsReport(input: ReportInput): ReportDocument {
  const query = queryOf(input);
  const groups = input.models.groups(query).items.sort(
    (a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || compareText(a.name, b.name) || compareRaw(a.id, b.id),
  );
  const organisation = (partnerId: string | null): string | null =>
    partnerId === null ? null : (input.models.partner(partnerId, query)?.organisation.name ?? partnerId);

  const groupRows: Row[] = groups.map((g) => ({
    name: g.name,
    kind: groupKindLabel[g.kind],
    status: groupStatusLabel[g.status],
    startDate: g.startDate,
    plannedEndDate: g.plannedEndDate ?? null,
    dissolvedOn: g.dissolvedOn ?? null,
    lead: organisation(g.leadPartnerId),
    members: g.members.map((m) => `${m.organisation ?? m.partnerId} (seit ${germanDate(m.joinedOn)})`),
    mandate: g.mandate,
    formedBy: g.resolutions.find((r) => r.effect === 'formed')?.title ?? null,
    finalReportRef: g.finalReportRef ?? null,
    id: g.id,
  }));
  const memberRows: Row[] = groups.flatMap((g) =>
    g.members.map((m) => ({ group: g.name, organisation: m.organisation ?? null, joinedOn: m.joinedOn, partnerId: m.partnerId })),
  );

  return {
    report: 'groups',
    title: 'Arbeits- und Projektgruppen',
    fields: [
      ...commonFields(input),
      { key: 'working', label: 'Arbeitsgruppen', value: groups.filter((g) => g.kind === 'working').length, type: 'number' },
      { key: 'project', label: 'Projektgruppen', value: groups.filter((g) => g.kind === 'project').length, type: 'number' },
    ],
    sections: [
      {
        key: 'groups',
        title: 'Gruppen',
        columns: [
          { key: 'name', label: 'Gruppe' },
          { key: 'kind', label: 'Art' },
          { key: 'status', label: 'Status' },
          { key: 'startDate', label: 'Beginn', type: 'date' },
          { key: 'plannedEndDate', label: 'Geplantes Ende', type: 'date' },
          { key: 'dissolvedOn', label: 'Aufgelöst am', type: 'date' },
          { key: 'lead', label: 'Federführung' },
          { key: 'members', label: 'Mitglieder', type: 'list' },
          { key: 'mandate', label: 'Auftrag' },
          { key: 'formedBy', label: 'Gebildet durch Beschluss' },
          { key: 'finalReportRef', label: 'Abschlussbericht' },
          { key: 'id', label: 'Gruppen-ID' },
        ],
        rows: groupRows,
        empty: 'Bis zum Stichtag ist keine Gruppe gebildet.',
      },
      {
        key: 'members',
        title: 'Mitglieder der Gruppen',
        columns: [
          { key: 'group', label: 'Gruppe' },
          { key: 'organisation', label: 'Organisation' },
          { key: 'joinedOn', label: 'Mitglied seit', type: 'date' },
          { key: 'partnerId', label: 'Partner-ID' },
        ],
        rows: memberRows,
        empty: 'Am Stichtag hat keine Gruppe Mitglieder.',
      },
    ],
    main: 'groups',
  };
}
