import { assertNever, type Decider } from '../shared/decider';
import { DomainRuleViolated } from '../shared/errors';
import type { AllianceCommand, ConstituteAlliance } from './commands';
import type { AllianceEvent } from './events';

type Constitution = Extract<AllianceEvent, { type: 'AllianceConstituted' }>['data'];

export type AllianceState = { status: 'none' } | ({ status: 'constituted' } & Constitution);

export const initialState: AllianceState = { status: 'none' };

export function evolve(state: AllianceState, event: AllianceEvent): AllianceState {
  switch (event.type) {
    case 'AllianceConstituted':
      return { status: 'constituted', ...event.data };
    default:
      return assertNever(event.type);
  }
}

/** The alliance is constituted once; a later re-orientation is a resolution, not a second constitution. */
function constitute(command: ConstituteAlliance, state: AllianceState): AllianceEvent[] {
  if (state.status === 'constituted') {
    throw new DomainRuleViolated('alliance-already-constituted', `the alliance was constituted on ${state.constitutedOn}`);
  }
  const data = command.data;
  return [
    {
      type: 'AllianceConstituted',
      data: {
        name: data.name,
        constitutedOn: data.constitutedOn,
        place: data.place,
        ...(data.strategyRef !== undefined && { strategyRef: data.strategyRef }),
        officeEmail: data.officeEmail,
      },
      occurredAt: data.constitutedOn,
    },
  ];
}

export function decide(command: AllianceCommand, state: AllianceState): AllianceEvent[] {
  switch (command.type) {
    case 'ConstituteAlliance':
      return constitute(command, state);
    default:
      return assertNever(command.type);
  }
}

export const allianceDecider: Decider<AllianceCommand, AllianceEvent, AllianceState> = { decide, evolve, initialState };
