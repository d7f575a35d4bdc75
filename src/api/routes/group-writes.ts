import type { Handlers } from '../../handlers';
import { dissolutionBody, formationBody, joinBody, leadBody, leaveBody, mandateBody } from '../../handlers/groups';
import { z } from '../openapi-zod';
import type { RouteModule } from '../route';
import { idParams } from '../schemas';
import { defineWrite, type WriteDeps } from './write-route';

const memberParams = z.object({ id: z.uuid(), partnerId: z.uuid() });

export function groupWrites(handlers: Handlers, deps: WriteDeps): RouteModule {
  const h = handlers.groups;
  return (r) => {
    defineWrite(r, deps, {
      path: '/v1/groups',
      summary: 'Form a working or project group on an adopted group-formation resolution',
      tag: 'groups',
      body: formationBody,
      status: 201,
      run: (ctx) => h.form(ctx.body, ctx.commandOptions()),
      location: (result) => `/v1/groups/${result.id}`,
    });
    defineWrite(r, deps, { path: '/v1/groups/{id}/members', summary: 'An admitted partner joins the group', tag: 'groups', params: idParams, body: joinBody, status: 200, run: (ctx) => h.join(ctx.params.id, ctx.body, ctx.commandOptions()) });
    defineWrite(r, deps, {
      path: '/v1/groups/{id}/members/{partnerId}/departure',
      summary: 'A member partner leaves the group',
      tag: 'groups',
      params: memberParams,
      body: leaveBody,
      status: 200,
      run: (ctx) => h.leave(ctx.params.id, ctx.params.partnerId, ctx.body, ctx.commandOptions()),
    });
    defineWrite(r, deps, { path: '/v1/groups/{id}/lead', summary: 'Change the lead partner (being lead does not make a member)', tag: 'groups', params: idParams, body: leadBody, status: 200, run: (ctx) => h.changeLead(ctx.params.id, ctx.body, ctx.commandOptions()) });
    defineWrite(r, deps, { path: '/v1/groups/{id}/mandate', summary: 'Amend the mandate on an adopted group-mandate resolution', tag: 'groups', params: idParams, body: mandateBody, status: 200, run: (ctx) => h.amendMandate(ctx.params.id, ctx.body, ctx.commandOptions()) });
    defineWrite(r, deps, { path: '/v1/groups/{id}/dissolution', summary: 'Dissolve the group on an adopted group-dissolution resolution', tag: 'groups', params: idParams, body: dissolutionBody, status: 200, run: (ctx) => h.dissolve(ctx.params.id, ctx.body, ctx.commandOptions()) });
  };
}
