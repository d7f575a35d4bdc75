import { commonFields, compareRaw, queryOf, type Field, type ReportDocument, type ReportInput, type Row } from './document';
import { germanDate, germanInstant, language } from './german';

/** The patron's statements in order of issue, each with its corrections (the original text stays). */
export function statementsReport(input: ReportInput): ReportDocument {
  const query = queryOf(input);
  const filter = { ...(input.period?.from && { from: input.period.from }), ...(input.period?.to && { to: input.period.to }) };
  const statements = input.models.statements({ ...query, ...filter }).items.sort(
    (a, b) => compareRaw(a.issuedOn, b.issuedOn) || compareRaw(a.id, b.id),
  );
  const patron = input.models.patron(query).inOffice;
  const fields: Field[] = [
    ...commonFields(input),
    {
      key: 'patron',
      label: 'Schirmherr',
      value: patron ? `${patron.name}, ${patron.office} (seit ${germanDate(patron.startDate)})` : 'am Stichtag keiner im Amt',
    },
    { key: 'statements', label: 'Erklärungen', value: statements.length, type: 'number' },
  ];
  const rows = statements.map(
    (s): Row => ({
      issuedOn: s.issuedOn,
      patron: s.patron ? `${s.patron.name}, ${s.patron.office}` : null,
      occasion: s.occasion,
      language: language(s.language),
      text: s.text,
      corrections: s.corrections.map((c) => `${germanInstant(c.occurredAt)} – ${c.reason}: ${c.text}`),
      sourceRef: s.sourceRef ?? null,
      id: s.id,
    }),
  );
  return {
    report: 'statements',
    title: 'Erklärungen des Schirmherrn',
    fields,
    sections: [
      {
        key: 'statements',
        title: 'Erklärungen',
        columns: [
          { key: 'issuedOn', label: 'Datum', type: 'date' },
          { key: 'patron', label: 'Schirmherr' },
          { key: 'occasion', label: 'Anlass' },
          { key: 'language', label: 'Sprache' },
          { key: 'text', label: 'Wortlaut' },
          { key: 'corrections', label: 'Berichtigungen', type: 'list' },
          { key: 'sourceRef', label: 'Quelle' },
          { key: 'id', label: 'Erklärungs-ID' },
        ],
        rows,
        empty: input.period ? 'Im Zeitraum liegt keine Erklärung vor.' : 'Bis zum Stichtag liegt keine Erklärung vor.',
      },
    ],
    main: 'statements',
  };
}
