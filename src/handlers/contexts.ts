import { boardDecider } from '../domain/board/decider';
import { rulesInForce, type BoardState } from '../domain/board/state';
import { streams } from '../domain/events';
import { meetingDecider } from '../domain/meeting/decider';
import type { MeetingState } from '../domain/meeting/state';
import { partnerDecider } from '../domain/partner/decider';
import type { PartnerState } from '../domain/partner/state';
import { resolutionDecider } from '../domain/resolution/decider';
import { summarize, type ResolutionState } from '../domain/resolution/state';
import type { ResolutionSummary } from '../domain/resolution/summary';
import { defaultRules, type RulesOfProcedure } from '../domain/rules/rules-of-procedure';
import type { IsoDate } from '../domain/shared/dates';
import type { Ledger } from '../ledger/ledger';

/**
 * Loads the facts of other streams that a rule needs (the command's context). Read just before deciding: a rule
 * that spans streams holds for the state loaded here.
 */
export class Contexts {
  constructor(private readonly ledger: Ledger) {}

  async board(): Promise<BoardState> {
    return (await this.ledger.load(streams.board, boardDecider)).state;
  }

  /** The rules in force on a date: the board's, or the defaults before a board exists. */
  async rulesOn(date: IsoDate): Promise<RulesOfProcedure> {
    const board = await this.board();
    return board.status === 'established' ? rulesInForce(board, date).rules : defaultRules;
  }

  async resolution(id: string): Promise<ResolutionState> {
    return (await this.ledger.load(streams.resolution(id), resolutionDecider)).state;
  }

  async resolutionSummary(id: string | undefined): Promise<ResolutionSummary | undefined> {
    return id === undefined ? undefined : summarize(await this.resolution(id));
  }

  async meeting(id: string | undefined): Promise<MeetingState | undefined> {
    if (id === undefined) return undefined;
    const loaded = await this.ledger.load(streams.meeting(id), meetingDecider);
    return loaded.revision < 0n ? undefined : loaded.state;
  }

  async partner(id: string | undefined): Promise<PartnerState | undefined> {
    if (id === undefined) return undefined;
    const loaded = await this.ledger.load(streams.partner(id), partnerDecider);
    return loaded.revision < 0n ? undefined : loaded.state;
  }
}
