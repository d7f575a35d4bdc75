/** The HTTP framework's public surface: what route modules and the server import. */
export { apiInfo, createApp, type ApiInfo, type AppDeps } from './app';
export { actorOf, readsPersonalData, type AuthLevel, type Caller } from './auth';
export { etagOf, ledgerIdempotencyKey } from './headers';
export { idempotencyPathFor, openIdempotencyStore, type IdempotencyStore } from './idempotency-store';
export { createLogger } from './logger';
export { z } from './openapi-zod';
export { pageOf, pageQuery, pageSchema, paginate, type Page, type PageQuery } from './pagination';
export { HttpProblem, PROBLEM_BASE, problems } from './problems';
export { created, html, ok, streamed, writeResultSchema, written, type Reply } from './replies';
export type { RouteContext, RouteInfo, RouteModule, RouteRegistrar, RouteSpec } from './route';
export { asOf, idParams, knownAt, positionString, timeTravelQuery } from './schemas';
