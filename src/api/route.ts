import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { z as zod } from 'zod';
import type { ExecuteOptions } from '../ledger/ledger';
import { actorOf, authorize, type AuthLevel, type Caller } from './auth';
import { ledgerIdempotencyKey, parseIdempotencyKey, parseIfMatch } from './headers';
import { IdempotentWrites, requestFingerprint } from './idempotency';
import type { IdempotencyStore } from './idempotency-store';
import { z } from './openapi-zod';
import { openApiRoute } from './openapi';
import { problems } from './problems';
import { sendReply, type Reply } from './replies';
import { requestContext, type RequestContext } from './request-context';
import { jsonDepthExceeds, MAX_JSON_DEPTH, strictDeep, validate, ValidationMemo } from './validation';

/*
 * A resource's routes, for example:
 *
 *   export const partnerRoutes = (handlers: PartnerHandlers): RouteModule => (r) => {
 *     r.defineRoute({
 *       method: 'post', path: '/v1/partners/{id}/admission', auth: 'write', summary: 'Admit an applicant',
 *       params: idParams, body: admitPartnerBody,
 *       responses: { 200: { description: 'admitted', schema: writeResultSchema } },
 *       handler: async (ctx) => written(await handlers.admit(ctx.params.id, ctx.body, ctx.commandOptions()), { id: ctx.params.id, status: 200 }),
 *     });
 *   };
 *
 * The framework has by then authenticated and authorised the caller, refused a wrong media type, parsed and
 * validated params, query and body (400/422 problems), parsed If-Match and Idempotency-Key, and answers a retried
 * idempotent write without calling the handler. Whatever the handler throws is mapped once, in problems.ts.
 */

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseSpec {
  description: string;
  /** the body's schema; omit for an answer without a body */
  schema?: zod.ZodType;
  /** default application/json */
  contentType?: string;
}

/** What a handler gets: the validated input, who calls, and what a write needs for the ledger. */
export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  caller: Caller;
  correlationId: string;
  /**
   * On writes with an `Idempotency-Key`: the key scoped to this caller, ready for `ExecuteOptions.idempotencyKey`
   * and `newEntityId(key, purpose)`. undefined without the header (and on reads).
   */
  idempotencyKey: string | undefined;
  /** On writes with `If-Match`: the revision the caller last saw (-1: the stream must not exist yet). */
  ifMatch: bigint | undefined;
  /** the request's logger (carries the correlation id) */
  log: Logger;
  /** path and query as the caller sent them, for links (see paginate) */
  url: string;
  /** ExecuteOptions for `ledger.execute`: actor, ifMatch, idempotencyKey, correlationId. Needs a key (not anonymous). */
  commandOptions(): ExecuteOptions;
  req: Request;
  res: Response;
}

type Output<S> = S extends zod.ZodType ? zod.output<S> : undefined;

export interface RouteSpec<P extends zod.ZodType | undefined, Q extends zod.ZodType | undefined, B extends zod.ZodType | undefined> {
  method: HttpMethod;
  /** OpenAPI style: `/v1/partners/{id}` */
  path: string;
  auth: AuthLevel;
  summary: string;
  description?: string;
  tags?: string[];
  /** a z.object of the path parameters (strings) */
  params?: P;
  /** a z.object of the query parameters (strings; use z.coerce for numbers); unknown parameters are refused */
  query?: Q;
  /** the body; every object in it is made strict (unknown fields refused). Without it, the route takes no body. */
  body?: B;
  /** the answers on success; problem answers (400, 401, …) are added to the document by the framework */
  responses: Record<number, ResponseSpec>;
  handler: (ctx: RouteContext<Output<P> extends undefined ? Record<string, never> : Output<P>, Output<Q> extends undefined ? Record<string, never> : Output<Q>, Output<B>>) => Reply | Promise<Reply>;
}

/** A route as the route × role matrix test and the document list it. */
export interface RouteInfo {
  method: HttpMethod;
  path: string;
  auth: AuthLevel;
  summary: string;
  takesBody: boolean;
}

export interface RouteRegistrar {
  defineRoute<P extends zod.ZodType | undefined = undefined, Q extends zod.ZodType | undefined = undefined, B extends zod.ZodType | undefined = undefined>(
    spec: RouteSpec<P, Q, B>,
  ): void;
  /** names a schema in the document's components (for schemas several routes share) */
  schema<T extends zod.ZodType>(name: string, schema: T): T;
}

/** A resource's routes: `(r) => { r.defineRoute({...}); ... }`. */
export type RouteModule = (r: RouteRegistrar) => void;

const WRITE_METHODS = new Set<HttpMethod>(['post', 'put', 'patch', 'delete']);
const NO_PARAMS = z.object({}).strict();

export interface RouteTableOptions {
  idempotency: IdempotencyStore;
  bodyLimitBytes: number;
}

/**
 * The one place routes are defined: each defineRoute puts the route on the express router and into the OpenAPI
 * registry, so the document, the route list and what is served cannot drift apart.
 */
export class RouteTable implements RouteRegistrar {
  readonly router: Router = express.Router();
  readonly registry = new OpenAPIRegistry();
  readonly routes: RouteInfo[] = [];
  private readonly writes: IdempotentWrites;
  /** per method (GET, POST, …): the routes' layers in the order they were defined, for `dispatch` */
  private readonly direct = new Map<string, Array<{ layer: RouteLayer; route: unknown; handle: (req: Request, res: Response) => Promise<void> }>>();
  private readonly parseJson;

  constructor(private readonly options: RouteTableOptions) {
    this.writes = new IdempotentWrites(options.idempotency);
    this.registry.registerComponent('securitySchemes', 'bearer', {
      type: 'http',
      scheme: 'bearer',
      description: 'an API key of role office, auditor or admin',
    });
    this.parseJson = express.json({
      limit: options.bodyLimitBytes,
      strict: false,
      type: () => true,
      verify: (_req, _res, buf) => {
        if (jsonDepthExceeds(buf, MAX_JSON_DEPTH)) throw problems.tooDeep(MAX_JSON_DEPTH);
      },
    });
  }

  schema<T extends zod.ZodType>(name: string, schema: T): T {
    return this.registry.register(name, schema);
  }

  defineRoute<P extends zod.ZodType | undefined = undefined, Q extends zod.ZodType | undefined = undefined, B extends zod.ZodType | undefined = undefined>(
    spec: RouteSpec<P, Q, B>,
  ): void {
    const takesBody = WRITE_METHODS.has(spec.method);
    if (spec.body && !takesBody) throw new Error(`${spec.method.toUpperCase()} ${spec.path}: a ${spec.method} route takes no body`);
    if (this.routes.some((r) => r.method === spec.method && r.path === spec.path)) {
      throw new Error(`${spec.method.toUpperCase()} ${spec.path} is defined twice`);
    }
    this.routes.push({ method: spec.method, path: spec.path, auth: spec.auth, summary: spec.summary, takesBody });
    this.registry.registerPath(openApiRoute(spec, takesBody));

    const validators = {
      params: strictDeep((spec.params ?? NO_PARAMS) as zod.ZodType),
      query: strictDeep((spec.query ?? NO_PARAMS) as zod.ZodType),
      body: spec.body ? strictDeep(spec.body as zod.ZodType) : undefined,
    };
    const memos = { params: new ValidationMemo(validators.params, 'params'), query: new ValidationMemo(validators.query, 'query') };
    const label = `${spec.method.toUpperCase()} ${spec.path}`;

    const handle = async (req: Request, res: Response): Promise<void> => {
      const context = requestContext(res);
      context.route = label;
      if (context.authProblem) throw context.authProblem;
      const caller = context.caller!;
      authorize(spec.auth, caller);

      const rawBody = takesBody ? await this.readBody(req, res) : undefined;
      const params = memos.params.validate(paramsText(req.params), () => ({ ...req.params }));
      const query = memos.query.validate(plainUrl(req.url)?.query, () => ({ ...(req.query as object) }));
      const body = validators.body ? validate(validators.body, rawBody, 'body') : refuseBody(rawBody);
      const ifMatch = takesBody ? parseIfMatch(req.get('if-match')) : undefined;
      const callerKey = takesBody ? parseIdempotencyKey(req.get('idempotency-key')) : undefined;
      const idempotencyKey = callerKey === undefined ? undefined : ledgerIdempotencyKey(caller.id, callerKey);

      const ctx = new Handling(params, query, body, caller, context, idempotencyKey, ifMatch, req, res);
      const handle = async () => spec.handler(ctx as never);
      const reply =
        callerKey === undefined ? await handle() : await this.writes.run(caller.id, callerKey, requestFingerprint(req, rawBody), handle);
      sendReply(res, reply);
    };
    const route = this.router.route(expressPath(spec.path));
    route[spec.method](handle);
    const layer = this.router.stack[this.router.stack.length - 1] as unknown as RouteLayer;
    const method = spec.method.toUpperCase();
    const direct = this.direct.get(method) ?? [];
    direct.push({ layer, route, handle });
    this.direct.set(method, direct);
  }

  /**
   * The middleware that serves the routes: `router` itself, with a shorter way for most requests. Express's router
   * tries every route in order, each through a chain of closures, and then dispatches through the route's own
   * stack; here the same layers are tried in the same order, among the routes of the request's method only (the
   * others cannot match it), and the first that matches is called. What only express's router does as it should
   * is left to it: HEAD (served by GET routes), OPTIONS (the Allow answer), a path with percent-escapes (decoding
   * can fail, and fails the request there), a URL that parseurl would not cut at its `?`.
   */
  readonly dispatch: RequestHandler = (req, res, next) => {
    const candidates = this.direct.get(req.method);
    // a path with percent-escapes is left to the router: decoding can fail, and fails the request there
    const path = candidates && plainUrl(req.url)?.path;
    if (path !== undefined && !path.includes('%')) {
      for (const candidate of candidates!) {
        const match = candidate.layer.match(path);
        if (!match) continue;
        req.params = match.params;
        (req as Request & { route?: unknown }).route = candidate.route;
        candidate.handle(req, res).then(undefined, (error: unknown) => next(error || new Error('Rejected promise')));
        return;
      }
    }
    this.router(req, res, next);
  };

  /** The JSON body, or undefined when the request has none. Refuses other media types (415) before reading. */
  private async readBody(req: Request, res: Response): Promise<unknown> {
    const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
    if (!hasBody) return undefined;
    if (!req.is(['application/json', 'application/*+json'])) {
      throw problems.unsupportedMediaType('the body must be JSON, sent as Content-Type: application/json');
    }
    await new Promise<void>((resolve, reject) => this.parseJson(req, res, (error?: unknown) => (error ? reject(error as Error) : resolve())));
    return req.body as unknown;
  }
}

/**
 * The RouteContext a handler gets. A class, so that the logger can be a getter on its prototype (the request's child
 * logger is made only when a handler logs) without an accessor made per request.
 */
class Handling implements RouteContext<unknown, unknown, unknown> {
  readonly correlationId: string;
  readonly url: string;

  constructor(
    readonly params: unknown,
    readonly query: unknown,
    readonly body: unknown,
    readonly caller: Caller,
    private readonly context: RequestContext,
    readonly idempotencyKey: string | undefined,
    readonly ifMatch: bigint | undefined,
    readonly req: Request,
    readonly res: Response,
  ) {
    this.correlationId = context.correlationId;
    this.url = req.originalUrl;
  }

  get log(): Logger {
    return this.context.log;
  }

  commandOptions(): ExecuteOptions {
    return {
      actor: actorOf(this.caller),
      correlationId: this.correlationId,
      ...(this.ifMatch !== undefined ? { ifMatch: this.ifMatch } : {}),
      ...(this.idempotencyKey !== undefined ? { idempotencyKey: this.idempotencyKey } : {}),
    };
  }
}

function refuseBody(raw: unknown): undefined {
  const empty = raw === undefined || (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && Object.keys(raw).length === 0);
  if (!empty) throw problems.badRequest('this operation takes no body');
  return undefined;
}

/** What `dispatch` uses of a layer of express's router (router 2's Layer): the path match, params decoded. */
interface RouteLayer {
  match(path: string): false | { params: Record<string, string> };
}

/** Characters at which parseurl gives up its fast parse (and which no request line should carry). */
const UNUSUAL_URL = /[\t\n\f\r #\u00a0\ufeff]/;

/**
 * A request URL cut as parseurl cuts it (pathname before the first `?`, query after it; none is ''), when it is a
 * plain origin-form URL that parseurl cuts plainly. Else undefined: express's own parsing decides.
 */
function plainUrl(url: string): { path: string; query: string } | undefined {
  if (url.charCodeAt(0) !== 0x2f || UNUSUAL_URL.test(url)) return undefined;
  const q = url.indexOf('?');
  return q < 0 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

/** The path parameters as one text that tells them apart: the value of the only one, else all as JSON. */
function paramsText(params: Record<string, string | string[]>): string {
  let count = 0;
  let only: string | string[] = '';
  for (const name in params) {
    count += 1;
    only = params[name]!;
  }
  return count === 0 ? '' : count === 1 && typeof only === 'string' ? only : JSON.stringify(params);
}

/** `/v1/partners/{id}` → `/v1/partners/:id` */
export function expressPath(path: string): string {
  return path.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ':$1');
}
