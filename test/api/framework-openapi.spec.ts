import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import request from 'supertest';
import type { z } from 'zod';
import { ok } from '../../src/api/replies';
import type { RouteModule } from '../../src/api/route';
import { allianceCommandSchemas } from '../../src/domain/alliance/commands';
import { boardCommandSchemas } from '../../src/domain/board/commands';
import { groupCommandSchemas } from '../../src/domain/group/commands';
import { meetingCommandSchemas } from '../../src/domain/meeting/commands';
import { partnerCommandSchemas } from '../../src/domain/partner/commands';
import { patronCommandSchemas } from '../../src/domain/patron/commands';
import { resolutionCommandSchemas } from '../../src/domain/resolution/commands';
import { frameworkTestRoutes, testApp, type TestApp } from './framework-harness';

/** /openapi.json is a valid OpenAPI 3.1 document of every route, and /docs renders it. */

/** Every command schema of the domain as a route body: what the lead's resource routes will hand the framework. */
const domainBodies: Record<string, z.ZodType> = {
  ...allianceCommandSchemas,
  ...patronCommandSchemas,
  ...boardCommandSchemas,
  ...meetingCommandSchemas,
  ...resolutionCommandSchemas,
  ...partnerCommandSchemas,
  ...groupCommandSchemas,
};

const domainRoutes: RouteModule = (r) => {
  for (const [name, body] of Object.entries(domainBodies)) {
    r.defineRoute({
      method: 'post',
      path: `/test/commands/${name}`,
      auth: 'write',
      summary: name,
      body,
      responses: { 200: { description: 'accepted' } },
      handler: () => ok({ accepted: true }),
    });
  }
};

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ routes: ({ ledger }) => [frameworkTestRoutes(ledger), domainRoutes] });
});
afterAll(async () => t.cleanup());

/** @seriousme/openapi-schema-validator is ESM only: run it in a child process. */
function validateOpenApi(document: unknown): { valid: boolean; errors?: unknown } {
  const script = `
    import { Validator } from '@seriousme/openapi-schema-validator';
    let text = '';
    process.stdin.on('data', (d) => (text += d)).on('end', async () => {
      const validator = new Validator();
      const result = await validator.validate(JSON.parse(text));
      process.stdout.write(JSON.stringify({ ...result, version: validator.version }));
    });`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    input: JSON.stringify(document),
    cwd: resolve(__dirname, '../..'),
  });
  return JSON.parse(String(out)) as { valid: boolean; errors?: unknown; version: string };
}

describe('/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const res = await request(t.app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const result = validateOpenApi(res.body);
    expect(result.errors).toBeUndefined();
    expect(result).toMatchObject({ valid: true, version: '3.1' });
  });

  it('describes each route: auth, parameters, body, answers and problems', async () => {
    const doc = (await request(t.app).get('/openapi.json')).body;
    const create = doc.paths['/test/things'].post;
    expect(create.security).toEqual([{ bearer: [] }]);
    expect(create['x-roles']).toEqual(['office']);
    expect(create.requestBody.content['application/json'].schema.properties.name).toMatchObject({ type: 'string', maxLength: 20 });
    expect(create.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/WriteResult' });
    for (const status of ['400', '401', '403', '409', '412', '413', '415', '422', '429']) {
      expect(create.responses[status].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
    }
    expect(create.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['if-match', 'idempotency-key']));
    const rename = doc.paths['/test/things/{id}/renames'].post;
    expect(rename.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'id', in: 'path', required: true })]));
    const events = doc.paths['/v1/events'].get;
    expect(events.parameters.map((p: { name: string }) => p.name)).toEqual(['after', 'limit', 'stream', 'type', 'from', 'to']);
    expect(doc.paths['/health/live'].get.security).toEqual([]);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('takes every domain command schema as a body, refusing unknown fields in it', async () => {
    const doc = (await request(t.app).get('/openapi.json')).body;
    for (const name of Object.keys(domainBodies)) expect(doc.paths[`/test/commands/${name}`]).toBeDefined();
    for (const name of Object.keys(domainBodies)) {
      const res = await request(t.app).post(`/test/commands/${name}`).set('Authorization', 'Bearer office-key-0123456789').send({ surely: 'not' });
      expect(`${name}: ${res.status}`).toBe(`${name}: 400`);
    }
  });
});

describe('/docs', () => {
  it('renders every operation on a self-contained page that the CSP admits', async () => {
    const res = await request(t.app).get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<code>/test/things/{id}/renames</code>');
    expect(res.text).toContain('Record a thing');
    expect(res.text).toContain('id="schema-WriteResult"');
    expect(res.text).not.toMatch(/<script|https?:\/\/(?!allianz-ledger\.example)/);
    expect(res.headers['content-security-policy']).toMatch(/style-src[^;]*'unsafe-inline'/);
  });
});
