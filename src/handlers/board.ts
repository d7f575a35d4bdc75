import type { z } from 'zod';
import { type BoardCommand, appointBoardMemberData, appointDeputyData, changeRulesData, establishBoardData, recordDeputyDepartureData, recordMemberDepartureData } from '../domain/board/commands';
import { boardDecider } from '../domain/board/decider';
import { streams } from '../domain/events';
import type { Ledger, UnstampedCommand } from '../ledger/ledger';
import { newId, options, written, type CommandContext } from './command-context';
import type { Contexts } from './contexts';

/** POST /v1/board */
export const boardBody = establishBoardData;
/** POST /v1/board/members */
export const memberBody = appointBoardMemberData.omit({ memberId: true, subjectId: true }).strict();
/** POST /v1/board/members/{id}/deputies */
export const deputyBody = appointDeputyData.omit({ deputyId: true, memberId: true, subjectId: true }).strict();
/** POST /v1/board/members/{id}/departure */
export const memberDepartureBody = recordMemberDepartureData.omit({ memberId: true }).strict();
/** POST /v1/board/members/{id}/deputies/{deputyId}/departure (an addition to API.md) */
export const deputyDepartureBody = recordDeputyDepartureData.omit({ memberId: true, deputyId: true }).strict();
/** POST /v1/board/rules */
export const rulesChangeBody = changeRulesData;

/** The board: establishment, members, deputies, departures and changes of the rules of procedure. */
export class BoardHandlers {
  constructor(
    private readonly ledger: Ledger,
    private readonly contexts: Contexts,
  ) {}

  private run(command: UnstampedCommand<BoardCommand>, ctx: CommandContext) {
    return this.ledger.execute(streams.board, boardDecider, command, options(ctx));
  }

  async establish(body: z.output<typeof boardBody>, ctx: CommandContext) {
    return written('main', await this.run({ type: 'EstablishBoard', data: body }, ctx));
  }

  async appointMember(body: z.output<typeof memberBody>, ctx: CommandContext) {
    const memberId = newId(ctx);
    const data = { ...body, memberId, subjectId: newId(ctx, 'subject') };
    return written(memberId, await this.run({ type: 'AppointBoardMember', data }, ctx));
  }

  async appointDeputy(memberId: string, body: z.output<typeof deputyBody>, ctx: CommandContext) {
    const deputyId = newId(ctx);
    const data = { ...body, memberId, deputyId, subjectId: newId(ctx, 'subject') };
    return written(deputyId, await this.run({ type: 'AppointDeputy', data }, ctx));
  }

  async recordMemberDeparture(memberId: string, body: z.output<typeof memberDepartureBody>, ctx: CommandContext) {
    return written(memberId, await this.run({ type: 'RecordMemberDeparture', data: { ...body, memberId } }, ctx));
  }

  async recordDeputyDeparture(memberId: string, deputyId: string, body: z.output<typeof deputyDepartureBody>, ctx: CommandContext) {
    return written(deputyId, await this.run({ type: 'RecordDeputyDeparture', data: { ...body, memberId, deputyId } }, ctx));
  }

  async changeRules(body: z.output<typeof rulesChangeBody>, ctx: CommandContext) {
    const resolution = await this.contexts.resolutionSummary(body.resolutionId);
    return written('main', await this.run({ type: 'ChangeRules', data: body, context: { resolution } }, ctx));
  }
}
