import type { Handlers } from '../../handlers';
import { boardBody, deputyBody, deputyDepartureBody, memberBody, memberDepartureBody, rulesChangeBody } from '../../handlers/board';
import { z } from '../openapi-zod';
import type { RouteModule } from '../route';
import { idParams } from '../schemas';
import { defineWrite, type WriteDeps } from './write-route';

const deputyParams = z.object({ id: z.uuid(), deputyId: z.uuid() });

export function boardWrites(handlers: Handlers, deps: WriteDeps): RouteModule {
  const h = handlers.board;
  return (r) => {
    defineWrite(r, deps, { path: '/v1/board', summary: 'Establish the board', tag: 'board', body: boardBody, status: 201, run: (ctx) => h.establish(ctx.body, ctx.commandOptions()), location: () => '/v1/board' });
    defineWrite(r, deps, {
      path: '/v1/board/members',
      summary: 'Appoint a board member on behalf of an organisation (409 when the seat category is full)',
      tag: 'board',
      body: memberBody,
      status: 201,
      run: (ctx) => h.appointMember(ctx.body, ctx.commandOptions()),
    });
    defineWrite(r, deps, {
      path: '/v1/board/members/{id}/deputies',
      summary: 'Appoint a deputy for a member (a deputy holds no seat)',
      tag: 'board',
      params: idParams,
      body: deputyBody,
      status: 201,
      run: (ctx) => h.appointDeputy(ctx.params.id, ctx.body, ctx.commandOptions()),
    });
    defineWrite(r, deps, {
      path: '/v1/board/members/{id}/departure',
      summary: 'A member leaves the board (their deputies’ terms end with it)',
      tag: 'board',
      params: idParams,
      body: memberDepartureBody,
      status: 200,
      run: (ctx) => h.recordMemberDeparture(ctx.params.id, ctx.body, ctx.commandOptions()),
    });
    defineWrite(r, deps, {
      path: '/v1/board/members/{id}/deputies/{deputyId}/departure',
      summary: 'A deputy leaves before the member does',
      tag: 'board',
      params: deputyParams,
      body: deputyDepartureBody,
      status: 200,
      run: (ctx) => h.recordDeputyDeparture(ctx.params.id, ctx.params.deputyId, ctx.body, ctx.commandOptions()),
    });
    defineWrite(r, deps, {
      path: '/v1/board/rules',
      summary: 'Apply the rules of procedure of an adopted `rules` resolution from a date',
      tag: 'board',
      body: rulesChangeBody,
      status: 200,
      run: (ctx) => h.changeRules(ctx.body, ctx.commandOptions()),
    });
  };
}
