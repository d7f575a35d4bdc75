import { renderDocs } from '../docs';
import type { OpenApiDocument } from '../openapi';
import { z } from '../openapi-zod';
import { problems } from '../problems';
import { html, ok } from '../replies';
import type { RouteModule } from '../route';

/** Health probes and the API's own description. */
export function systemRoutes(deps: { ready: () => boolean | Promise<boolean>; document: () => OpenApiDocument }): RouteModule {
  return (r) => {
    const status = z.object({ status: z.string() });

    r.defineRoute({
      method: 'get',
      path: '/health/live',
      auth: 'public',
      summary: 'Liveness: the process answers',
      tags: ['health'],
      responses: { 200: { description: 'alive', schema: status } },
      handler: () => ok({ status: 'live' }),
    });

    r.defineRoute({
      method: 'get',
      path: '/health/ready',
      auth: 'public',
      summary: 'Readiness: the read models have caught up with the ledger',
      tags: ['health'],
      responses: { 200: { description: 'ready to serve reads and writes', schema: status } },
      handler: async (ctx) => {
        let ready = false;
        try {
          ready = await deps.ready();
        } catch (error) {
          ctx.log.warn({ err: error }, 'readiness check failed');
        }
        if (!ready) throw problems.notReady();
        return ok({ status: 'ready' });
      },
    });

    r.defineRoute({
      method: 'get',
      path: '/openapi.json',
      auth: 'public',
      summary: 'The OpenAPI 3.1 document of this API',
      tags: ['meta'],
      responses: { 200: { description: 'the document', schema: z.object({ openapi: z.string() }).loose() } },
      handler: () => ok(deps.document()),
    });

    r.defineRoute({
      method: 'get',
      path: '/docs',
      auth: 'public',
      summary: 'The OpenAPI document rendered as a page',
      tags: ['meta'],
      responses: { 200: { description: 'an HTML page', schema: z.string(), contentType: 'text/html' } },
      handler: () => html(renderDocs(deps.document())),
    });
  };
}
