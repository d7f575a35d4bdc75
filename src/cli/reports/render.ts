import type { ReportDocument } from './document';
import { cellText, fieldText, formatValue, isNumeric } from './format';
import { renderHtml } from './render-html';

export const reportFormats = ['md', 'csv', 'html', 'json'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export function render(document: ReportDocument, format: ReportFormat): string {
  switch (format) {
    case 'md':
      return renderMarkdown(document);
    case 'csv':
      return renderCsv(document);
    case 'html':
      return renderHtml(document);
    case 'json':
      return `${JSON.stringify(document, null, 2)}\n`;
  }
}

function renderMarkdown(document: ReportDocument): string {
  const lines = [`# ${document.title}`, '', ...document.fields.map((f) => `- **${mdText(f.label)}:** ${mdText(fieldText(f))}`)];
  for (const section of document.sections) {
    lines.push('', `## ${mdText(section.title)}`, '');
    if (section.rows.length === 0) {
      lines.push(`_${mdText(section.empty)}_`);
      continue;
    }
    lines.push(`| ${section.columns.map((c) => mdText(c.label)).join(' | ')} |`);
    lines.push(`| ${section.columns.map((c) => (isNumeric(c) ? '---:' : '---')).join(' | ')} |`);
    for (const row of section.rows) lines.push(`| ${section.columns.map((c) => mdText(cellText(row[c.key] ?? null, c))).join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

function mdText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\s*[\r\n]+\s*/g, ' ');
}

/**
 * CSV as German spreadsheets open it: the report's main table, semicolons, CRLF, a byte-order mark so that
 * umlauts survive, numbers without separators. A text cell that a spreadsheet would run as a formula is quoted
 * with a leading apostrophe (partners' names come from outside).
 */
function renderCsv(document: ReportDocument): string {
  const section = document.sections.find((s) => s.key === document.main) ?? document.sections[0];
  if (!section) return '\uFEFF';
  const lines = [section.columns.map((c) => csvCell(c.label)).join(';')];
  for (const row of section.rows) {
    lines.push(
      section.columns
        .map((c) => {
          const value = row[c.key] ?? null;
          const text = value === null || (Array.isArray(value) && value.length === 0) ? '' : formatValue(value, c.type, { plainNumbers: true });
          return csvCell(typeof value === 'string' || Array.isArray(value) ? defuse(text) : text);
        })
        .join(';'),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function csvCell(text: string): string {
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function defuse(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
