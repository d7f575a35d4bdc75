import { activityReport } from './activity';
import { boardReport } from './board';
import { decisionsReport } from './decisions';
import type { ReportDocument, ReportInput, ReportKind } from './document';
import { groupsReport } from './groups';
import { partnersReport } from './partners';
import { statementsReport } from './statements';

export { periodReports, reportKinds, type Period, type ReportDocument, type ReportInput, type ReportKind, type ReportRequest } from './document';
export { render, reportFormats, type ReportFormat } from './render';

const builders: Record<ReportKind, (input: ReportInput) => ReportDocument> = {
  board: boardReport,
  partners: partnersReport,
  groups: groupsReport,
  decisions: decisionsReport,
  statements: statementsReport,
  activity: activityReport,
};

/** The report as data, from read models (see document.ts); render() turns it into Markdown, CSV, HTML or JSON. */
export function buildReport(kind: ReportKind, input: ReportInput): ReportDocument {
  return builders[kind](input);
}
