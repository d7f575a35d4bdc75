import type { z as zod } from 'zod';
import type { Written } from '../../handlers';
import { z } from '../openapi-zod';
import { written, writeResultSchema } from '../replies';
import type { RouteContext, RouteRegistrar } from '../route';

/** What every write route needs besides its handler: read-your-writes. */
export interface WriteDeps {
  /** resolves once the read models (and the digest) hold the given position */
  settle(position: bigint): Promise<void>;
}

type Out<S> = S extends zod.ZodType ? zod.output<S> : Record<string, never>;

export interface WriteRouteSpec<P extends zod.ZodType | undefined, B extends zod.ZodType> {
  path: string;
  summary: string;
  description?: string;
  tag: string;
  params?: P;
  body: B;
  /** 201 when the write creates something (an entity, a correction), 200 otherwise */
  status: 200 | 201;
  run: (ctx: RouteContext<Out<P>, Record<string, never>, zod.output<B>>) => Promise<Written>;
  /** further fields of the answer, derived from what the write decided */
  extra?: (result: Written) => Record<string, unknown>;
  /** the answer's schema when it has fields beyond {id, revision, position} */
  responseSchema?: zod.ZodType;
  location?: (result: Written) => string;
}

/**
 * A POST that runs a handler and answers `{id, revision, position, ...extra}` with its ETag — only once the read
 * models hold the write, so that every later read from this server includes it.
 */
export function defineWrite<P extends zod.ZodType | undefined, B extends zod.ZodType>(r: RouteRegistrar, deps: WriteDeps, spec: WriteRouteSpec<P, B>): void {
  r.defineRoute<P, undefined, B>({
    method: 'post',
    path: spec.path,
    auth: 'write',
    summary: spec.summary,
    ...(spec.description !== undefined && { description: spec.description }),
    tags: [spec.tag],
    ...(spec.params !== undefined && { params: spec.params }),
    body: spec.body,
    responses: { [spec.status]: { description: spec.summary, schema: spec.responseSchema ?? writeResultSchema } },
    handler: async (ctx) => {
      const result = await spec.run(ctx as never);
      if (result.position !== undefined) await deps.settle(result.position);
      return written(result, {
        id: result.id,
        status: spec.status,
        ...(spec.extra && { extra: spec.extra(result) }),
        ...(spec.location && { location: spec.location(result) }),
      });
    },
  });
}

/** writeResultSchema with more fields. */
export function writeResultWith(name: string, shape: Record<string, zod.ZodType>): zod.ZodType {
  return writeResultSchema.extend(shape).openapi(name);
}

export { z };
