import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Ledger } from '../ledger/ledger';
import type { EventStore } from '../store/port';
import { KeyRing } from './auth';
import type { IdempotencyStore } from './idempotency-store';
import { openApiDocument, type OpenApiDocument } from './openapi';
import { isServerFault, problemFor, problems, sendProblem } from './problems';
import { rateLimiter } from './rate-limit';
import { beginRequest, identifyCaller, requestContext } from './request-context';
import { RouteTable, type RouteInfo, type RouteModule } from './route';
import { securityHeaders } from './security-headers';
import { auditRoutes } from './routes/audit';
import { LiveFeed } from './routes/live';
import { systemRoutes } from './routes/system';

export interface AppDeps {
  config: Config;
  store: EventStore;
  ledger: Ledger;
  /** true once the read models have caught up (what /health/ready answers) */
  ready: () => boolean | Promise<boolean>;
  logger: Logger;
  idempotency: IdempotencyStore;
  /** the resource routes: each module defines its routes on the registrar */
  routes: readonly RouteModule[];
  /** how often the live feed sends a heartbeat (default 15 s) */
  liveHeartbeatMs?: number;
}

/** What the app knows about itself, for the route × role matrix test, the server's shutdown and tools. */
export interface ApiInfo {
  routes: readonly RouteInfo[];
  document: OpenApiDocument;
  /** ends open live feeds; call before closing the HTTP server */
  close(): Promise<void>;
}

/**
 * The express app: request context and logging → security headers → caller identification → rate limit →
 * routes (each authorises, parses, validates and answers) → 404 → problems. Everything it uses comes in `deps`.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // our ETags are stream revisions; express's own body hashes would look like ones
  app.set('etag', false);

  const table = new RouteTable({ idempotency: deps.idempotency, bodyLimitBytes: deps.config.bodyLimitBytes });
  const live = new LiveFeed(deps.store, deps.liveHeartbeatMs);
  let document: OpenApiDocument | undefined;
  const documentOf = () => (document ??= openApiDocument(table.registry));

  for (const module of [systemRoutes({ ready: deps.ready, document: documentOf }), auditRoutes(deps.store), live.routes(), ...deps.routes]) {
    module(table);
  }
  // generated now, so a schema the generator cannot describe fails at start-up, not on the first GET /openapi.json
  documentOf();

  const start = [beginRequest(deps.logger), securityHeaders(), identifyCaller(new KeyRing(deps.config.apiKeys))];
  // one middleware for the three steps: each layer of express's router costs a dispatch of its own
  app.use((req: Request, res: Response, next: NextFunction) => {
    for (const step of start) step(req, res);
    next();
  });
  if (deps.config.rateLimit) app.use(rateLimiter(deps.config.rateLimit));
  app.use(table.dispatch);
  app.use((req: Request, res: Response) => {
    sendProblem(res, problems.notFound(`there is no ${req.method} ${req.path}`), requestContext(res).correlationId);
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const context = requestContext(res);
    const problem = problemFor(error);
    if (isServerFault(problem)) context.log.error({ err: error }, 'request failed');
    else if (problem.status >= 500) context.log.warn({ problem: problem.slug }, 'request failed');
    if (res.headersSent) {
      res.end();
      return;
    }
    sendProblem(res, problem, context.correlationId);
  });

  const info: ApiInfo = { routes: table.routes, document: documentOf(), close: () => live.close() };
  app.locals.ledgerApi = info;
  return app;
}

export function apiInfo(app: Express): ApiInfo {
  const info = app.locals.ledgerApi as ApiInfo | undefined;
  if (!info) throw new Error('not an app made by createApp');
  return info;
}
