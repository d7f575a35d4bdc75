import type { Response } from 'express';
import { InvalidProofRequest } from '../integrity/errors';
import { z } from './openapi-zod';
import { DomainRuleViolated, NotFound } from '../domain/shared/errors';
import { InvalidCommandOptions, PreconditionFailed, TooMuchContention } from '../ledger/errors';
import { ConcurrencyConflict, StoreUnavailable } from '../store/errors';

/**
 * Every error answer is an RFC 9457 problem, and every error the service knows is mapped here, once.
 * `type` is PROBLEM_BASE + a stable slug; a broken domain rule uses the rule's own slug (…/problems/quorum).
 */
export const PROBLEM_BASE = 'https://allianz-ledger.example/problems/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface FieldError {
  /** the JSON path of the offending field, dotted (`seats.ministry`, `agenda.0.title`); empty for the whole body */
  path: string;
  message: string;
}

export interface ProblemJson {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    correlationId: z.string().optional(),
  })
  .openapi('Problem');

/** An answer that is an error: thrown anywhere in a request, sent as a problem by the error middleware. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly status: number,
    /** the slug after PROBLEM_BASE */
    readonly slug: string,
    readonly title: string,
    readonly detail: string,
    readonly extras: { errors?: FieldError[]; headers?: Record<string, string>; members?: Record<string, unknown> } = {},
  ) {
    super(detail);
  }

  toJson(): ProblemJson {
    return {
      type: PROBLEM_BASE + this.slug,
      title: this.title,
      status: this.status,
      detail: this.detail,
      ...(this.extras.errors ? { errors: this.extras.errors } : {}),
      ...this.extras.members,
    };
  }
}

/** Problems the framework raises itself, with their titles in one place. */
export const problems = {
  badRequest: (detail: string, errors?: FieldError[]) => new HttpProblem(400, 'bad-request', 'Bad request', detail, { errors }),
  unprocessable: (detail: string, errors?: FieldError[]) =>
    new HttpProblem(422, 'unprocessable-content', 'Unprocessable content', detail, { errors }),
  malformedJson: (detail: string) => new HttpProblem(400, 'malformed-json', 'Malformed JSON', detail),
  tooDeep: (limit: number) =>
    new HttpProblem(400, 'nesting-too-deep', 'JSON nested too deeply', `the body is nested deeper than ${limit} levels`),
  unauthorized: (detail: string, invalidToken: boolean) =>
    new HttpProblem(401, 'unauthorized', 'Unauthorized', detail, {
      headers: { 'WWW-Authenticate': `Bearer realm="allianz-ledger"${invalidToken ? ', error="invalid_token"' : ''}` },
    }),
  forbidden: (detail: string) => new HttpProblem(403, 'forbidden', 'Forbidden', detail),
  notFound: (detail: string) => new HttpProblem(404, 'not-found', 'Not found', detail),
  payloadTooLarge: (limit: number) =>
    new HttpProblem(413, 'payload-too-large', 'Payload too large', `the body is larger than the limit of ${limit} bytes`),
  unsupportedMediaType: (detail: string) => new HttpProblem(415, 'unsupported-media-type', 'Unsupported media type', detail),
  idempotencyKeyReused: () =>
    new HttpProblem(
      422,
      'idempotency-key-reused',
      'Idempotency key reused',
      'this Idempotency-Key was used before with a different request; use a new key for a new request',
    ),
  rateLimited: (retryAfterSeconds: number) =>
    new HttpProblem(429, 'rate-limited', 'Too many requests', 'the rate limit for this caller is exhausted; retry later', {
      headers: { 'Retry-After': String(retryAfterSeconds) },
    }),
  notReady: () =>
    new HttpProblem(503, 'not-ready', 'Not ready', 'the read models are still catching up with the ledger', {
      headers: { 'Retry-After': '1' },
    }),
} as const;

/** What an error becomes on the wire. Unknown errors become a generic 500; the caller learns nothing of the inside. */
export function problemFor(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof DomainRuleViolated) {
    return new HttpProblem(409, error.rule, 'Rule violated', error.message, { members: { rule: error.rule } });
  }
  if (error instanceof NotFound) return problems.notFound(error.message);
  if (error instanceof PreconditionFailed) {
    return new HttpProblem(412, 'precondition-failed', 'Precondition failed', error.message, {
      members: { currentRevision: error.actual === null ? null : Number(error.actual) },
    });
  }
  if (error instanceof ConcurrencyConflict) {
    return new HttpProblem(409, 'concurrency-conflict', 'Concurrency conflict', 'the stream changed while the command was applied; retry');
  }
  if (error instanceof TooMuchContention) {
    return new HttpProblem(503, 'too-much-contention', 'Too much contention', 'other writers kept changing the same stream; retry', {
      headers: { 'Retry-After': '1' },
    });
  }
  if (error instanceof StoreUnavailable) {
    // the message may name files or hosts: not for callers
    return new HttpProblem(503, 'store-unavailable', 'Store unavailable', 'the event store cannot be reached; retry later', {
      headers: { 'Retry-After': '5' },
    });
  }
  if (error instanceof InvalidProofRequest) return new HttpProblem(422, 'invalid-proof-request', 'Invalid proof request', error.message);
  if (error instanceof InvalidCommandOptions) return new HttpProblem(400, 'invalid-command-options', 'Invalid command options', error.message);
  return fromHttpError(error) ?? internalError();
}

export function internalError(): HttpProblem {
  return new HttpProblem(500, 'internal-error', 'Internal server error', 'the server failed to answer; the failure has been logged');
}

/** True when the problem stems from the server, not from the request (worth an error log with the stack). */
export function isServerFault(problem: HttpProblem): boolean {
  return problem.status >= 500 && problem.slug !== 'store-unavailable' && problem.slug !== 'too-much-contention' && problem.slug !== 'not-ready';
}

/** body-parser's and express's own errors (they carry `type` and `status`): about the request, so never a 500. */
function fromHttpError(error: unknown): HttpProblem | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, status, limit, expose, message } = error as { type?: unknown; status?: unknown; limit?: unknown; expose?: unknown; message?: unknown };
  switch (type) {
    case 'entity.too.large':
      return problems.payloadTooLarge(typeof limit === 'number' ? limit : 0);
    case 'entity.parse.failed':
      return problems.malformedJson('the body is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return problems.unsupportedMediaType('the body must be JSON in UTF-8');
    case 'request.aborted':
    case 'request.size.invalid':
      return problems.badRequest('the body was incomplete');
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const detail = expose === true && typeof message === 'string' ? message : 'the request cannot be served';
    return new HttpProblem(status, status === 404 ? 'not-found' : 'bad-request', status === 404 ? 'Not found' : 'Bad request', detail);
  }
  return undefined;
}

export function sendProblem(res: Response, problem: HttpProblem, correlationId?: string): void {
  if (res.headersSent) return;
  for (const [name, value] of Object.entries(problem.extras.headers ?? {})) res.setHeader(name, value);
  res.status(problem.status);
  res.type(PROBLEM_CONTENT_TYPE);
  res.send(JSON.stringify({ ...problem.toJson(), ...(correlationId ? { correlationId } : {}) }));
}
