import type { Handlers } from '../../handlers';
import { constitutionBody, patronAppointmentBody, statementBody, statementCorrectionBody } from '../../handlers/alliance';
import type { RouteModule } from '../route';
import { idParams } from '../schemas';
import { defineWrite, type WriteDeps } from './write-route';

export function allianceWrites(handlers: Handlers, deps: WriteDeps): RouteModule {
  const h = handlers.alliance;
  return (r) => {
    defineWrite(r, deps, {
      path: '/v1/alliance/constitution',
      summary: 'Constitute the alliance',
      tag: 'alliance',
      body: constitutionBody,
      status: 201,
      run: (ctx) => h.constitute(ctx.body, ctx.commandOptions()),
      location: () => '/v1/alliance',
    });
    defineWrite(r, deps, {
      path: '/v1/patron/appointments',
      summary: 'Appoint a patron; ends the previous patron’s term the day before',
      tag: 'patron',
      body: patronAppointmentBody,
      status: 201,
      run: (ctx) => h.appointPatron(ctx.body, ctx.commandOptions()),
    });
    defineWrite(r, deps, {
      path: '/v1/patron/statements',
      summary: 'Record a statement of the patron in office on its date',
      tag: 'patron',
      body: statementBody,
      status: 201,
      run: (ctx) => h.issueStatement(ctx.body, ctx.commandOptions()),
    });
    defineWrite(r, deps, {
      path: '/v1/patron/statements/{id}/corrections',
      summary: 'Correct a statement; the original stays',
      tag: 'patron',
      params: idParams,
      body: statementCorrectionBody,
      status: 201,
      run: (ctx) => h.correctStatement(ctx.params.id, ctx.body, ctx.commandOptions()),
    });
  };
}
