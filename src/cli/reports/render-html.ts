import type { ReportDocument, Section } from './document';
import { cellText, fieldText, formatValue, isNumeric } from './format';
import { MONTHS } from './german';

/**
 * One self-contained, printable page: styles inline, no script, nothing loaded from anywhere (the page's own
 * Content-Security-Policy says so), A4 landscape when printed, table headings repeated on every printed page.
 */
export function renderHtml(document: ReportDocument): string {
  const alliance = document.fields.find((f) => f.key === 'alliance');
  const organisation = alliance && typeof alliance.value === 'string' && alliance.value !== 'noch nicht konstituiert' ? alliance.value : 'Fachkräfteallianz';
  const fields = document.fields.map((f) => `<div><dt>${esc(f.label)}</dt><dd>${esc(fieldText(f))}</dd></div>`).join('\n');
  return `<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(document.title)} – ${esc(organisation)}</title>
<style>
${STYLE}
</style>
</head>
<body>
<header>
<p class="organisation">${esc(organisation)}</p>
<h1>${esc(document.title)}</h1>
<dl class="fields">
${fields}
</dl>
</header>
<main>
${document.sections.map(section).join('\n')}
</main>
</body>
</html>
`;
}

function section(s: Section): string {
  const chart = s.chart && s.rows.length > 0 ? barChart(s) : '';
  const body = s.rows.length === 0 ? `<p class="empty">${esc(s.empty)}</p>` : table(s);
  return `<section id="${esc(s.key)}">
<h2>${esc(s.title)}</h2>
${chart}${body}
</section>`;
}

function table(s: Section): string {
  const head = s.columns.map((c) => `<th scope="col"${isNumeric(c) ? ' class="num"' : ''}>${esc(c.label)}</th>`).join('');
  const rows = s.rows.map((row) => {
    const cells = s.columns.map((c) => {
      const value = row[c.key] ?? null;
      const text = Array.isArray(value) && value.length > 0 ? value.map(esc).join('<br>') : esc(cellText(value, c));
      return `<td${isNumeric(c) ? ' class="num"' : ''}>${text}</td>`;
    });
    return `<tr>${cells.join('')}</tr>`;
  });
  return `<table>
<thead><tr>${head}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

const SHORT_MONTHS = MONTHS.map((m) => m.slice(0, 3));
/** presentation attributes too, so that the chart looks the same when copied out of the page */
const TEXT = 'font-family="Arial, sans-serif" font-size="11" text-anchor="middle" fill="#222"';

/** A bar chart of the section's value column over its label column, drawn as inline SVG. */
function barChart(s: Section): string {
  const { label, value } = s.chart!;
  const labelColumn = s.columns.find((c) => c.key === label);
  const points = s.rows.map((row) => {
    const raw = row[label] ?? null;
    const short =
      labelColumn?.type === 'month' && typeof raw === 'string'
        ? `${SHORT_MONTHS[Number(raw.slice(5, 7)) - 1] ?? raw.slice(5, 7)} ${raw.slice(2, 4)}`
        : formatValue(raw, labelColumn?.type);
    return { short, long: formatValue(raw, labelColumn?.type), value: Number(row[value] ?? 0) };
  });
  const width = 720;
  const height = 240;
  const top = 20;
  const bottom = 36;
  const left = 8;
  const plot = height - top - bottom;
  const max = Math.max(1, ...points.map((p) => p.value));
  const slot = (width - 2 * left) / points.length;
  const bar = Math.max(2, Math.min(48, slot * 0.7));
  const bars = points.map((p, i) => {
    const h = Math.round((p.value / max) * plot);
    const x = left + i * slot + (slot - bar) / 2;
    const y = top + plot - h;
    const cx = (left + i * slot + slot / 2).toFixed(1);
    return [
      `<g><title>${esc(p.long)}: ${p.value}</title>`,
      `<rect x="${x.toFixed(1)}" y="${y}" width="${bar.toFixed(1)}" height="${h}" class="bar" fill="#3b5b8c"/>`,
      `<text x="${cx}" y="${y - 4}" class="value" ${TEXT}>${p.value}</text>`,
      `<text x="${cx}" y="${height - bottom + 16}" class="label" ${TEXT}>${esc(p.short)}</text></g>`,
    ].join('');
  });
  const summary = `${esc(s.title)}: ${points.map((p) => `${esc(p.long)} ${p.value}`).join(', ')}`;
  return `<figure class="chart">
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="${summary}">
<line x1="${left}" y1="${top + plot}" x2="${width - left}" y2="${top + plot}" class="axis" stroke="#333"/>
${bars.join('\n')}
</svg>
</figure>
`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `:root { color-scheme: light; }
body { font-family: "Segoe UI", "Helvetica Neue", Arial, sans-serif; font-size: 10.5pt; color: #111; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; line-height: 1.35; }
.organisation { margin: 0; font-size: 10pt; text-transform: uppercase; letter-spacing: .06em; color: #444; }
h1 { margin: .2rem 0 1rem; font-size: 18pt; }
h2 { margin: 1.6rem 0 .6rem; font-size: 13pt; border-bottom: 1px solid #999; padding-bottom: .2rem; }
dl.fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: .25rem 1.5rem; margin: 0 0 1rem; }
dl.fields div { display: flex; gap: .5rem; }
dl.fields dt { font-weight: 600; white-space: nowrap; }
dl.fields dt::after { content: ":"; }
dl.fields dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; }
th, td { border: 1px solid #bbb; padding: .25rem .4rem; text-align: left; vertical-align: top; }
th { background: #eee; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) td { background: #f8f8f8; }
.empty { font-style: italic; color: #555; }
figure.chart { margin: 0 0 1rem; max-width: 720px; }
figure.chart svg { width: 100%; height: auto; }
.bar { fill: #3b5b8c; }
.axis { stroke: #333; stroke-width: 1; }
.value { font-size: 11px; text-anchor: middle; fill: #111; }
.label { font-size: 11px; text-anchor: middle; fill: #333; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 9.5pt; }
  thead { display: table-header-group; }
  tr, figure.chart { break-inside: avoid; }
  h2 { break-after: avoid; }
  tbody tr:nth-child(even) td { background: none; }
  .bar { fill: #555; }
}`;
