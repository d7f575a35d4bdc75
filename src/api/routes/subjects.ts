import { erasureBody, type SubjectHandlers } from '../../handlers/subjects';
import { z } from '../openapi-zod';
import { written, writeResultSchema } from '../replies';
import type { RouteModule } from '../route';
import type { WriteDeps } from './write-route';

const subjectParams = z.object({
  subjectId: z.uuid().openapi({ description: "the data subject's id, as readers with personal data see it beside a name or contact" }),
});

/** The right to erasure (Art. 17 GDPR) as crypto-shredding: admin only. */
export function subjectRoutes(subjects: SubjectHandlers, deps: WriteDeps): RouteModule {
  return (r) => {
    r.defineRoute({
      method: 'post',
      path: '/v1/subjects/{subjectId}/erasure',
      auth: 'admin',
      summary: "Erase a data subject's personal data for good",
      description:
        "Deletes the subject's key, so that every value encrypted with it (a contact person's name, e-mail and telephone, " +
        'a board member\'s or deputy\'s name) can no longer be read, and records SubjectErased (the subject\'s id and the ' +
        'reason, nothing personal). Every hash, chain, digest and proof stays valid; reads show the fields as null with ' +
        '`erased: true`. 404 for a subject the ledger does not know, 409 subject-already-erased the second time.',
      tags: ['subjects'],
      params: subjectParams,
      body: erasureBody,
      responses: { 200: { description: 'erased; the answer names the subject and the SubjectErased event', schema: writeResultSchema } },
      handler: async (ctx) => {
        const result = await subjects.erase(ctx.params.subjectId, ctx.body, ctx.commandOptions());
        if (result.position !== undefined) await deps.settle(result.position);
        return written(result, { id: result.id, status: 200 });
      },
    });
  };
}
