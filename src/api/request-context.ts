import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
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
 * Correlation id (the client's `X-Correlation-Id` when it is a plain token, else a new uuid), echoed in the answer,
 * bound into the request's logger; and one log line per request when it ends. The line holds the method, the route
 * pattern, the status, the duration and the caller's key id: no body, no headers, no query (no personal data).
 */
export function requestContextMiddleware(logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const correlationId = acceptableCorrelationId(req.get('x-correlation-id')) ?? randomUUID();
    res.setHeader('X-Correlation-Id', correlationId);
    const context: RequestContext = {
      correlationId,
      log: logger.child({ correlationId }),
      caller: undefined,
      authProblem: undefined,
      route: undefined,
    };
    res.locals.ledger = context;
    const started = process.hrtime.bigint();
    let logged = false;
    const logLine = () => {
      if (logged) return;
      logged = true;
      const line = {
        method: req.method,
        route: context.route ?? null,
        status: res.statusCode,
        ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        caller: context.caller?.id ?? null,
        aborted: !res.writableFinished,
      };
      if (res.statusCode >= 500) context.log.error(line, 'request');
      else context.log.info(line, 'request');
    };
    res.on('finish', logLine);
    res.on('close', logLine);
    next();
  };
}

/** Identifies the caller from the Authorization header. Refusing is the route's business (it knows its auth level). */
export function identifyCallerMiddleware(keys: KeyRing): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const context = requestContext(res);
    try {
      context.caller = keys.callerFor(req.get('authorization'));
    } catch (problem) {
      context.authProblem = problem as HttpProblem;
    }
    next();
  };
}
