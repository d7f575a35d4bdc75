import { constituteAllianceData, type AllianceCommand } from '../domain/alliance/commands';
import { allianceDecider } from '../domain/alliance/decider';
import { streams } from '../domain/events';
import { appointPatronData, correctStatementData, issueStatementData } from '../domain/patron/commands';
import { patronDecider } from '../domain/patron/decider';
import type { Ledger } from '../ledger/ledger';
import { newId, options, written, type CommandContext } from './command-context';
import type { z } from 'zod';

/** POST /v1/alliance/constitution */
export const constitutionBody = constituteAllianceData;
/** POST /v1/patron/appointments */
export const patronAppointmentBody = appointPatronData.omit({ patronId: true }).strict();
/** POST /v1/patron/statements */
export const statementBody = issueStatementData.omit({ statementId: true }).strict();
/** POST /v1/patron/statements/{id}/corrections */
export const statementCorrectionBody = correctStatementData.omit({ correctionId: true, statementId: true }).strict();

/** The alliance and its patron: constitution, appointments, statements and their corrections. */
export class AllianceHandlers {
  constructor(private readonly ledger: Ledger) {}

  async constitute(body: z.output<typeof constitutionBody>, ctx: CommandContext) {
    const command: Omit<AllianceCommand, 'metadata'> = { type: 'ConstituteAlliance', data: body };
    return written('main', await this.ledger.execute(streams.alliance, allianceDecider, command, options(ctx)));
  }

  async appointPatron(body: z.output<typeof patronAppointmentBody>, ctx: CommandContext) {
    const patronId = newId(ctx);
    const result = await this.ledger.execute(streams.patron, patronDecider, { type: 'AppointPatron', data: { ...body, patronId } }, options(ctx));
    return written(patronId, result);
  }

  async issueStatement(body: z.output<typeof statementBody>, ctx: CommandContext) {
    const statementId = newId(ctx);
    const result = await this.ledger.execute(streams.patron, patronDecider, { type: 'IssueStatement', data: { ...body, statementId } }, options(ctx));
    return written(statementId, result);
  }

  async correctStatement(statementId: string, body: z.output<typeof statementCorrectionBody>, ctx: CommandContext) {
    const correctionId = newId(ctx);
    const data = { ...body, statementId, correctionId };
    return written(correctionId, await this.ledger.execute(streams.patron, patronDecider, { type: 'CorrectStatement', data }, options(ctx)));
  }
}
