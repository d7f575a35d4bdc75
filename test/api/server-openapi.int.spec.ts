import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { apiInfo } from '../../src/api/app';
import { startTestServer, type TestServer } from './server-harness';

/** The real server's /openapi.json: a valid OpenAPI 3.1 document of every route it serves. */

/** @seriousme/openapi-schema-validator is ESM only: run it in a child process (as framework-openapi.spec.ts does). */
function validateOpenApi(document: unknown): { valid: boolean; errors?: unknown; version: string } {
  const script = `
    import { Validator } from '@seriousme/openapi-schema-validator';
    let text = '';
    process.stdin.on('data', (d) => (text += d)).on('end', async () => {
      const validator = new Validator();
      const result = await validator.validate(JSON.parse(text));
      process.stdout.write(JSON.stringify({ ...result, version: validator.version }));
    });`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { input: JSON.stringify(document), cwd: resolve(__dirname, '../..') });
  return JSON.parse(String(out)) as { valid: boolean; errors?: unknown; version: string };
}

describe("the real server's OpenAPI document", () => {
  let t: TestServer;
  let document: Record<string, any>;
  beforeAll(async () => {
    t = await startTestServer();
    const res = await t.as('anonymous').get('/openapi.json');
    expect(res.status).toBe(200);
    document = res.body;
  });
  afterAll(async () => t.cleanup());

  it('is a valid OpenAPI 3.1 document', () => {
    expect(document.openapi).toBe('3.1.0');
    const result = validateOpenApi(document);
    expect(result.errors).toBeUndefined();
    expect(result).toMatchObject({ valid: true, version: '3.1' });
  });

  it('describes every route the router serves, with its security, parameters, body and answers', () => {
    const routes = apiInfo(t.app).routes;
    const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(documented.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of routes) {
      const op = document.paths[route.path][route.method];
      expect(op.summary).toEqual(expect.any(String));
      expect(`${route.path}: ${JSON.stringify(op.security)}`).toBe(`${route.path}: ${JSON.stringify(route.auth === 'public' ? [] : [{ bearer: [] }])}`);
      for (const name of route.path.match(/\{([^}]+)\}/g) ?? []) {
        expect(op.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: name.slice(1, -1), in: 'path', required: true })]));
      }
      if (route.takesBody) {
        expect(op.requestBody.content['application/json'].schema).toBeDefined();
        expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['if-match', 'idempotency-key']));
        const success = Object.keys(op.responses).filter((s) => s.startsWith('2'));
        expect(success).toHaveLength(1);
        for (const status of ['400', '401', '403', '409', '412', '422']) expect(op.responses[status]).toBeDefined();
      }
    }
  });

  it('documents the answers API.md names: the agenda of a new meeting, timely, the decision with its basis', () => {
    // refs resolved, allOf merged: the properties an answer has
    const flatten = (schema: Record<string, any>): { properties: Record<string, any>; required: string[] } => {
      if (schema.$ref) return flatten(document.components.schemas[schema.$ref.split('/').pop()]);
      const parts = (schema.allOf ?? []).map(flatten);
      return {
        properties: Object.assign({}, ...parts.map((p: { properties: object }) => p.properties), schema.properties),
        required: [...parts.flatMap((p: { required: string[] }) => p.required), ...(schema.required ?? [])],
      };
    };
    const schemaOf = (path: string, status: string) => flatten(document.paths[path].post.responses[status].content['application/json'].schema);
    const meeting = schemaOf('/v1/meetings', '201');
    expect(meeting.required).toEqual(expect.arrayContaining(['id', 'revision', 'position', 'agenda']));
    expect(meeting.properties.agenda.items.required).toEqual(['id', 'order', 'title']);
    expect(meeting.properties.revision).toMatchObject({ type: 'integer' });
    expect(meeting.properties.position).toMatchObject({ type: 'string' });
    expect(schemaOf('/v1/meetings/{id}/invitations', '200').properties.timely).toMatchObject({ type: 'boolean' });
    const decision = schemaOf('/v1/resolutions/{id}/decision', '200');
    expect(decision.required).toEqual(expect.arrayContaining(['id', 'outcome', 'basis']));
    expect(flatten(decision.properties.basis).required).toEqual(expect.arrayContaining(['votingMembers', 'present', 'recused', 'quorumMet', 'tally', 'rulesVersion']));
    const application = document.paths['/v1/partners/applications'].post.requestBody.content['application/json'].schema;
    expect(flatten(application).required).toEqual(expect.arrayContaining(['organisation', 'contact', 'channel', 'receivedOn']));
    const body = application.$ref ? document.components.schemas[application.$ref.split('/').pop()] : application;
    expect(body.required).toEqual(expect.arrayContaining(['organisation', 'contact', 'channel', 'receivedOn']));
    expect(body.additionalProperties).toBe(false);
    expect(body.properties.recordedAt).toBeUndefined();
  });
});
