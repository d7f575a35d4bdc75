import type { OpenApiDocument } from './openapi';

/**
 * /docs: the OpenAPI document rendered on the server into one self-contained HTML page (no script, no CDN: the
 * service may run without network, and helmet's default CSP allows the inline style).
 */
export function renderDocs(doc: OpenApiDocument): string {
  const operations: string[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const op = (item as Record<string, unknown>)[method] as Operation | undefined;
      if (op) operations.push(renderOperation(method, path, op));
    }
  }
  const schemas = Object.entries(doc.components?.schemas ?? {}).map(
    ([name, schema]) => `<section id="schema-${esc(name)}"><h3>${esc(name)}</h3>${json(schema)}</section>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)} ${esc(doc.info.version)}</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem 2rem;color:#1b1b1b}
details{border:1px solid #d0d0d0;border-radius:6px;margin:.4rem 0;padding:.3rem .8rem}
summary{cursor:pointer}code,pre{font:13px/1.4 ui-monospace,monospace}pre{background:#f6f6f6;padding:.6rem;overflow:auto}
.m{display:inline-block;min-width:4.2rem;font-weight:700;text-transform:uppercase}.get{color:#1f6f3f}.post{color:#1f4f9f}
.put,.patch{color:#8a5a00}.delete{color:#a11}.roles{color:#555;font-size:13px;margin-left:.6rem}
table{border-collapse:collapse}td,th{border-bottom:1px solid #e4e4e4;padding:.2rem .6rem;text-align:left;vertical-align:top}
</style></head><body>
<h1>${esc(doc.info.title)} <small>v${esc(doc.info.version)}</small></h1>
<p>${esc(doc.info.description ?? '')}</p>
<p>The machine-readable document: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${esc(doc.openapi)}).</p>
<h2>Operations</h2>
${operations.join('\n')}
<h2>Schemas</h2>
${schemas.join('\n')}
</body></html>`;
}

interface Operation {
  summary?: string;
  description?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; description?: string; schema?: unknown }>;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
  'x-roles'?: string[];
}

function renderOperation(method: string, path: string, op: Operation): string {
  const params = op.parameters?.length
    ? `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th><th>schema</th><th>description</th></tr>${op.parameters
        .map(
          (p) =>
            `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${p.required ? 'yes' : 'no'}</td><td><code>${esc(
              JSON.stringify(p.schema ?? {}),
            )}</code></td><td>${esc(p.description ?? '')}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  const body = Object.entries(op.requestBody?.content ?? {})
    .map(([type, media]) => `<h4>Body (${esc(type)})</h4>${json(media.schema ?? {})}`)
    .join('');
  const responses = Object.entries(op.responses ?? {})
    .map(([status, r]) => {
      const content = Object.entries(r.content ?? {})
        .map(([type, media]) => `<div><code>${esc(type)}</code>${json(media.schema ?? {})}</div>`)
        .join('');
      return `<tr><td><b>${esc(status)}</b></td><td>${esc(r.description ?? '')}${content}</td></tr>`;
    })
    .join('');
  return `<details id="${esc(`${method}-${path}`)}"><summary><span class="m ${method}">${method}</span> <code>${esc(path)}</code> — ${esc(
    op.summary ?? '',
  )}<span class="roles">${esc((op['x-roles'] ?? []).join(', '))}</span></summary>
${op.description ? `<p>${esc(op.description)}</p>` : ''}${params}${body}<h4>Responses</h4><table>${responses}</table></details>`;
}

/** A schema as indented JSON, with $refs turned into links to the schema section. */
function json(value: unknown): string {
  const text = esc(JSON.stringify(value, null, 2));
  return `<pre>${text.replace(/&quot;#\/components\/schemas\/([A-Za-z0-9_.-]+)&quot;/g, (_m, name: string) => `<a href="#schema-${name}">&quot;#/components/schemas/${name}&quot;</a>`)}</pre>`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
