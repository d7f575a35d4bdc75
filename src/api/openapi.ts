import { OpenApiGeneratorV31, type OpenAPIRegistry, type ResponseConfig, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { z as zod } from 'zod';
import { rolesAdmitted } from './auth';
import { z } from './openapi-zod';
import { PROBLEM_CONTENT_TYPE, problemSchema } from './problems';
import type { RouteSpec } from './route';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

/** The OpenAPI 3.1 document of every route defined through the registry. */
export function openApiDocument(registry: OpenAPIRegistry, version = '1'): OpenApiDocument {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'allianz-ledger API',
      version,
      description:
        'The event-sourced governance ledger of the Fachkräfteallianz Sachsen. Errors are application/problem+json ' +
        '(RFC 9457); writes answer {id, revision, position} with ETag "<revision>", honour If-Match and Idempotency-Key.',
    },
  });
}

const idempotencyHeaders = z.object({
  'if-match': z.string().optional().openapi({ description: 'the revision last seen (its ETag): the write happens only if the stream is still at that revision' }),
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: 'a retried write with the same key returns the first answer and appends nothing' }),
});


function problemResponse(description: string): ResponseConfig {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } } };
}

/** A route's OpenAPI operation: its own answers plus the problem answers the framework can give. */
export function openApiRoute(spec: RouteSpec<zod.ZodType | undefined, zod.ZodType | undefined, zod.ZodType | undefined>, takesBody: boolean): RouteConfig {
  const responses: RouteConfig['responses'] = {};
  for (const [status, response] of Object.entries(spec.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.schema ? { content: { [response.contentType ?? 'application/json']: { schema: response.schema } } } : {}),
    };
  }
  const problemsOf: Record<number, string> = {
    400: 'the request is malformed (shape, types, unknown fields, headers)',
    401: 'no API key where one is needed, or an unknown key',
    429: 'rate limit exceeded',
    500: 'the server failed',
    503: 'the store cannot be reached, or too much contention',
  };
  if (spec.auth !== 'public') problemsOf[403] = 'the key is of a role this operation does not admit';
  if (spec.params) problemsOf[404] = 'no such resource';
  if (takesBody) {
    Object.assign(problemsOf, {
      409: 'a domain rule is broken (the rule is named in `type`) or a concurrent write won',
      412: 'If-Match does not hold',
      413: 'the body is over the limit',
      415: 'the body is not JSON',
      422: 'the body breaks a schema rule, or the Idempotency-Key was used for another request',
    });
  }
  for (const [status, description] of Object.entries(problemsOf)) responses[status] ??= problemResponse(description);

  const request: RouteConfig['request'] = {};
  if (spec.params) request.params = spec.params as zod.ZodObject;
  if (spec.query) request.query = spec.query as zod.ZodObject;
  if (spec.body) request.body = { required: true, content: { 'application/json': { schema: spec.body } } };
  if (takesBody) request.headers = idempotencyHeaders;

  return {
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    ...(spec.tags ? { tags: spec.tags } : {}),
    security: spec.auth === 'public' ? [] : [{ bearer: [] }],
    'x-roles': [...rolesAdmitted(spec.auth)],
    request,
    responses,
  };
}
