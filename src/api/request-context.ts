import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Caller, KeyRing } from './auth';
import { acceptableCorrelationId } from './headers';
import type { HttpProblem } from './problems';

/** What the framework learns about a request before its route runs; kept in `res.locals`. */
export interface RequestContext {
  correlationId: string;
  /** the request's logger, bound to its correlation id */
  log: Logger;
  /** undefined when the Authorization header named no known key (then `authProblem` says why) */
  caller: Caller | undefined;
  authProblem: HttpProblem | undefined;
  /** `GET /v1/partners/{id}` once a route matched: what the request log names */
  route: string | undefined;
}

export function requestContext(res: Response): RequestContext {
  const context = res.locals.ledger as RequestContext | undefined;
  if (!context) throw new Error('the request context middleware did not run');
  return context;
}

/**
 * What a request carries. The child logger bound to the correlation id is made when something first logs through
 * it (a handler, a failure): pino's child() costs more than most of a read, and most requests log only their line.
 */
class Context implements RequestContext {
  caller: Caller | undefined = undefined;
  authProblem: HttpProblem | undefined = undefined;
  route: string | undefined = undefined;
  private child: Logger | undefined;

  constructor(
    readonly correlationId: string,
    private readonly logger: Logger,
  ) {}

  get log(): Logger {
    return (this.child ??= this.logger.child({ correlationId: this.correlationId }));
  }
}

/** A synchronous step of a request's start, before the routes: app.ts runs them in one middleware. */
export type RequestStep = (req: Request, res: Response) => void;

/**
 * Correlation id (the client's `X-Correlation-Id` when it is a plain token, else a new uuid), echoed in the answer,
 * bound into the request's logger; and one log line per request when it ends. The line holds the method, the route
 * pattern, the status, the duration and the caller's key id: no body, no headers, no query (no personal data).
 */
export function beginRequest(logger: Logger): RequestStep {
  return (req: Request, res: Response) => {
    const header = req.headers['x-correlation-id'];
    const correlationId = acceptableCorrelationId(typeof header === 'string' ? header : undefined) ?? randomUUID();
    res.setHeader('X-Correlation-Id', correlationId);
    const context = new Context(correlationId, logger);
    res.locals.ledger = context;
    // the line is at info, or at error for a 5xx: a logger that writes neither needs no listener
    if (logger.isLevelEnabled('error')) logWhenDone(logger, req, res, context);
  };
}

/** The request's log line, once, when the response is done ('close' follows 'finish', and comes alone on an abort). */
function logWhenDone(logger: Logger, req: Request, res: Response, context: Context): void {
  const started = process.hrtime.bigint();
  res.once('close', () => {
    // the root logger with the correlation id first: the same line the request's child logger would write
    const line = {
      correlationId: context.correlationId,
      method: req.method,
      route: context.route ?? null,
      status: res.statusCode,
      ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      caller: context.caller?.id ?? null,
      aborted: !res.writableFinished,
    };
    if (res.statusCode >= 500) logger.error(line, 'request');
    else logger.info(line, 'request');
  });
}

/** Identifies the caller from the Authorization header. Refusing is the route's business (it knows its auth level). */
export function identifyCaller(keys: KeyRing): RequestStep {
  return (req: Request, res: Response) => {
    const context = requestContext(res);
    try {
      context.caller = keys.callerFor(req.headers.authorization);
    } catch (problem) {
      context.authProblem = problem as HttpProblem;
    }
  };
}
