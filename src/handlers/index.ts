import type { Ledger } from '../ledger/ledger';
import { AllianceHandlers } from './alliance';
import { BoardHandlers } from './board';
import { Contexts } from './contexts';
import { GroupHandlers } from './groups';
import { MeetingHandlers } from './meetings';
import { PartnerHandlers } from './partners';
import { ResolutionHandlers } from './resolutions';

/** Every use case of the ledger, over one Ledger. What the API and the CLI call. */
export interface Handlers {
  alliance: AllianceHandlers;
  board: BoardHandlers;
  meetings: MeetingHandlers;
  resolutions: ResolutionHandlers;
  partners: PartnerHandlers;
  groups: GroupHandlers;
}

export function createHandlers(ledger: Ledger): Handlers {
  const contexts = new Contexts(ledger);
  return {
    alliance: new AllianceHandlers(ledger),
    board: new BoardHandlers(ledger, contexts),
    meetings: new MeetingHandlers(ledger, contexts),
    resolutions: new ResolutionHandlers(ledger, contexts),
    partners: new PartnerHandlers(ledger, contexts),
    groups: new GroupHandlers(ledger, contexts),
  };
}

export type { CommandContext, Written } from './command-context';
