import type { Handlers } from '../../handlers';
import { admissionBody, applicationBody, exclusionBody, partnerDepartureBody, rejectionBody, withdrawalBody } from '../../handlers/partners';
import type { RouteModule } from '../route';
import { idParams } from '../schemas';
import { defineWrite, type WriteDeps } from './write-route';

export function partnerWrites(handlers: Handlers, deps: WriteDeps): RouteModule {
  const h = handlers.partners;
  return (r) => {
    defineWrite(r, deps, {
      path: '/v1/partners/applications',
      summary: 'Record an application to the network',
      tag: 'partners',
      body: applicationBody,
      status: 201,
      run: (ctx) => h.apply(ctx.body, ctx.commandOptions()),
      location: (result) => `/v1/partners/${result.id}`,
    });
    defineWrite(r, deps, {
      path: '/v1/partners/{id}/admission',
      summary: 'Admit an applicant on an adopted partner-admission resolution (or by the office under delegation)',
      tag: 'partners',
      params: idParams,
      body: admissionBody,
      status: 200,
      run: (ctx) => h.admit(ctx.params.id, ctx.body, ctx.commandOptions()),
    });
    defineWrite(r, deps, { path: '/v1/partners/{id}/rejection', summary: 'Reject an application', tag: 'partners', params: idParams, body: rejectionBody, status: 200, run: (ctx) => h.reject(ctx.params.id, ctx.body, ctx.commandOptions()) });
    defineWrite(r, deps, { path: '/v1/partners/{id}/withdrawal', summary: 'The applicant withdraws', tag: 'partners', params: idParams, body: withdrawalBody, status: 200, run: (ctx) => h.withdraw(ctx.params.id, ctx.body, ctx.commandOptions()) });
    defineWrite(r, deps, { path: '/v1/partners/{id}/departure', summary: 'An admitted partner leaves', tag: 'partners', params: idParams, body: partnerDepartureBody, status: 200, run: (ctx) => h.recordDeparture(ctx.params.id, ctx.body, ctx.commandOptions()) });
    defineWrite(r, deps, {
      path: '/v1/partners/{id}/exclusion',
      summary: 'Exclude a partner on an adopted partner-exclusion resolution',
      tag: 'partners',
      params: idParams,
      body: exclusionBody,
      status: 200,
      run: (ctx) => h.exclude(ctx.params.id, ctx.body, ctx.commandOptions()),
    });
  };
}
