import type { ResolutionJson } from '../../projections/views/resolutions';
import { commonFields, compareRaw, queryOf, type ReportDocument, type ReportInput, type Row } from './document';
import { actorLabel, germanDate, outcomeLabel, procedureLabel, resolutionKindLabel, roleLabel, rulesApplied } from './german';

/**
 * The decision register: every resolution in order, with the basis its outcome was computed on (present, quorum,
 * tally, the rules applied) and when and by whom the decision was recorded, from the resolution's audit trail.
 */
export function decisionsReport(input: ReportInput): ReportDocument {
  const query = queryOf(input);
  const filter = { ...(input.period?.from && { from: input.period.from }), ...(input.period?.to && { to: input.period.to }) };
  const resolutions = input.models.resolutions({ ...query, ...filter }).items.sort(
    (a, b) => compareRaw(dayOf(a), dayOf(b)) || compareRaw(a.proposedOn, b.proposedOn) || compareRaw(a.id, b.id),
  );
  const member = (memberId: string | undefined): string | null => {
    if (memberId === undefined) return null;
    const m = input.models.boardMember(memberId, query);
    return m ? `${roleLabel[m.role]} (${m.onBehalfOf})` : memberId;
  };
  const rows = resolutions.map((r, index): Row => {
    const recorded = recordingOf(r);
    return {
      number: index + 1,
      title: r.title,
      kind: resolutionKindLabel[r.kind],
      procedure: procedureLabel[r.procedure],
      meeting: r.meeting ? `${r.meeting.title} (${germanDate(r.meeting.date)})` : r.writtenProcedure ? `Frist ${germanDate(r.writtenProcedure.deadline)}` : null,
      proposedOn: r.proposedOn,
      decidedOn: r.decidedOn,
      outcome: outcomeLabel(r.status, r.outcome),
      votingMembers: r.basis?.votingMembers ?? null,
      present: r.basis?.present ?? null,
      recused: r.basis?.recused ?? null,
      quorumMet: r.basis ? r.basis.quorumMet : null,
      yes: r.basis?.tally.yes ?? null,
      no: r.basis?.tally.no ?? null,
      abstain: r.basis?.tally.abstain ?? null,
      tieBrokenBy: member(r.basis?.tieBrokenBy),
      rules: r.basis ? rulesApplied(r.basis.rulesVersion, r.basis.rules) : null,
      recordedAt: recorded?.recordedAt ?? null,
      recordedBy: recorded ? actorLabel(recorded.actor) : null,
      corrections: r.corrections.map((c) => `${c.reason}: ${c.text}`),
      revokedBy: r.revokedBy ?? null,
      id: r.id,
    };
  });
  const decided = resolutions.filter((r) => r.outcome !== null);
  return {
    report: 'decisions',
    title: 'Beschlussregister',
    fields: [
      ...commonFields(input),
      { key: 'resolutions', label: 'Beschlussvorlagen', value: resolutions.length, type: 'number' },
      { key: 'adopted', label: 'Angenommen', value: decided.filter((r) => r.outcome === 'adopted').length, type: 'number' },
      { key: 'rejected', label: 'Abgelehnt', value: decided.filter((r) => r.outcome === 'rejected').length, type: 'number' },
      { key: 'open', label: 'Offen', value: resolutions.length - decided.length, type: 'number' },
    ],
    sections: [
      {
        key: 'resolutions',
        title: 'Beschlüsse',
        columns: [
          { key: 'number', label: 'Nr.', type: 'number' },
          { key: 'title', label: 'Beschluss' },
          { key: 'kind', label: 'Art' },
          { key: 'procedure', label: 'Verfahren' },
          { key: 'meeting', label: 'Sitzung' },
          { key: 'proposedOn', label: 'Vorgelegt am', type: 'date' },
          { key: 'decidedOn', label: 'Beschlossen am', type: 'date' },
          { key: 'outcome', label: 'Ergebnis' },
          { key: 'votingMembers', label: 'Stimmberechtigt', type: 'number' },
          { key: 'present', label: 'Anwesend', type: 'number' },
          { key: 'recused', label: 'Befangen', type: 'number' },
          { key: 'quorumMet', label: 'Beschlussfähig', type: 'boolean' },
          { key: 'yes', label: 'Ja', type: 'number' },
          { key: 'no', label: 'Nein', type: 'number' },
          { key: 'abstain', label: 'Enthaltung', type: 'number' },
          { key: 'tieBrokenBy', label: 'Stichentscheid durch' },
          { key: 'rules', label: 'Angewandte Regeln' },
          { key: 'recordedAt', label: 'Erfasst am', type: 'instant' },
          { key: 'recordedBy', label: 'Erfasst von' },
          { key: 'corrections', label: 'Berichtigungen', type: 'list' },
          { key: 'revokedBy', label: 'Aufgehoben durch Beschluss' },
          { key: 'id', label: 'Beschluss-ID' },
        ],
        rows,
        empty: input.period ? 'Im Zeitraum liegt kein Beschluss.' : 'Bis zum Stichtag liegt kein Beschluss vor.',
      },
    ],
    main: 'resolutions',
  };
}

/** The register lists a resolution under its decision day, an open one under the day it was proposed. */
function dayOf(r: ResolutionJson): string {
  return r.decidedOn ?? r.proposedOn;
}

/** The decision's entry in the audit trail, or the proposal's while the resolution is open. */
function recordingOf(r: ResolutionJson): ResolutionJson['trail'][number] | undefined {
  const decided = r.trail.filter((e) => e.type === 'ResolutionDecided').at(-1);
  return decided ?? r.trail.find((e) => e.type === 'ResolutionProposed');
}
