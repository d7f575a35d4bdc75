import type { Handlers } from '../../handlers';
import { decisionBody, objectionBody, resolutionBody, resolutionCorrectionBody, revocationBody, votesBody } from '../../handlers/resolutions';
import type { ResolutionState } from '../../domain/resolution/state';
import { z } from '../openapi-zod';
import type { RouteModule } from '../route';
import { idParams } from '../schemas';
import { defineWrite, writeResultWith, type WriteDeps } from './write-route';
import { basisSchema, basisJson } from './resolution-json';

export function resolutionWrites(handlers: Handlers, deps: WriteDeps): RouteModule {
  const h = handlers.resolutions;
  return (r) => {
    defineWrite(r, deps, {
      path: '/v1/resolutions',
      summary: 'Propose a resolution for an agenda item or in written procedure',
      tag: 'resolutions',
      body: resolutionBody,
      status: 201,
      run: (ctx) => h.propose(ctx.body, ctx.commandOptions()),
      location: (result) => `/v1/resolutions/${result.id}`,
    });
    defineWrite(r, deps, {
      path: '/v1/resolutions/{id}/votes',
      summary: 'Record votes by name (they accumulate) or a tally, with recusals',
      tag: 'resolutions',
      params: idParams,
      body: votesBody,
      status: 200,
      run: (ctx) => h.recordVotes(ctx.params.id, ctx.body, ctx.commandOptions()),
    });
    defineWrite(r, deps, {
      path: '/v1/resolutions/{id}/objections',
      summary: 'A member objects to the written procedure, which then cannot pass',
      tag: 'resolutions',
      params: idParams,
      body: objectionBody,
      status: 200,
      run: (ctx) => h.raiseObjection(ctx.params.id, ctx.body, ctx.commandOptions()),
    });
    defineWrite(r, deps, {
      path: '/v1/resolutions/{id}/decision',
      summary: 'Decide by the rules in force on the decision day (409 `quorum` when the meeting is not quorate)',
      tag: 'resolutions',
      params: idParams,
      body: decisionBody,
      status: 200,
      run: (ctx) => h.decide(ctx.params.id, ctx.body, ctx.commandOptions()),
      extra: (result) => {
        const state = result.state as ResolutionState;
        if (state.status !== 'decided') throw new Error(`resolution ${result.id} is not decided after its decision`);
        return { outcome: state.decision.outcome, basis: basisJson(state.decision.basis) };
      },
      responseSchema: writeResultWith('ResolutionDecision', { outcome: z.enum(['adopted', 'rejected']), basis: basisSchema }),
    });
    defineWrite(r, deps, {
      path: '/v1/resolutions/{id}/corrections',
      summary: 'Correct a resolution (errata); the original stays',
      tag: 'resolutions',
      params: idParams,
      body: resolutionCorrectionBody,
      status: 201,
      run: (ctx) => h.correct(ctx.params.id, ctx.body, ctx.commandOptions()),
    });
    defineWrite(r, deps, {
      path: '/v1/resolutions/{id}/revocation',
      summary: 'Revoke an adopted resolution, citing the adopted `revocation` resolution that revokes it',
      tag: 'resolutions',
      params: idParams,
      body: revocationBody,
      status: 200,
      run: (ctx) => h.revoke(ctx.params.id, ctx.body, ctx.commandOptions()),
    });
  };
}
