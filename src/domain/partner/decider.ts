import { assertNever, type Decider } from '../shared/decider';
import { berlinDate, type IsoDate } from '../shared/dates';
import { DomainRuleViolated, NotFound } from '../shared/errors';
import { requireAdoptedResolution, type ResolutionSummary } from '../resolution/summary';
import type { ResolutionSubject } from '../resolution/kinds';
import type {
  AdmitPartner,
  ApplyAsPartner,
  ExcludePartner,
  PartnerCommand,
  RecordPartnerDeparture,
  RejectPartner,
  WithdrawApplication,
} from './commands';
import type { PartnerEvent } from './events';
import { evolvePartner, initialPartnerState, type PartnerState, type PartnerStatusOf } from './state';

export const initialState = initialPartnerState;
export const evolve = evolvePartner;

export function decide(command: PartnerCommand, state: PartnerState): PartnerEvent[] {
  switch (command.type) {
    case 'ApplyAsPartner':
      return applyAsPartner(command, state);
    case 'AdmitPartner':
      return admitPartner(command, state);
    case 'RejectPartner':
      return rejectPartner(command, state);
    case 'WithdrawApplication':
      return withdrawApplication(command, state);
    case 'RecordPartnerDeparture':
      return recordDeparture(command, state);
    case 'ExcludePartner':
      return excludePartner(command, state);
    default:
      return assertNever(command);
  }
}

export const partnerDecider: Decider<PartnerCommand, PartnerEvent, PartnerState> = { decide, evolve, initialState };

function applyAsPartner({ data }: ApplyAsPartner, state: PartnerState): PartnerEvent[] {
  if (state.status !== 'none') {
    throw new DomainRuleViolated('application-exists', `partner ${state.partnerId} has already applied (status ${state.status})`);
  }
  return [
    {
      type: 'PartnerApplied',
      data: {
        partnerId: data.partnerId,
        organisation: data.organisation,
        contact: data.contact,
        expertise: data.expertise ?? [],
        channel: data.channel,
        receivedOn: data.receivedOn,
        ...(data.messageRef !== undefined && { messageRef: data.messageRef }),
      },
      occurredAt: data.receivedOn,
    },
  ];
}

function admitPartner({ data, context }: AdmitPartner, state: PartnerState): PartnerEvent[] {
  const applied = requireStatus(state, 'applied');
  requireNotBefore(data.decidedOn, applied.receivedOn, 'the application was received');
  let by: 'board' | 'office';
  if (data.resolutionId !== undefined) {
    requireAdoptedResolution(cited(context.resolution, data.resolutionId), data.resolutionId, {
      kind: 'partner-admission',
      fits: names(applied.partnerId),
      onDate: data.decidedOn,
      rule: 'admission-resolution-required',
    });
    by = 'board';
  } else if (context.rules.admissionBy === 'office') {
    by = 'office';
  } else {
    throw new DomainRuleViolated(
      'admission-resolution-required',
      `admitting partner ${applied.partnerId} requires an adopted partner-admission resolution: the rules in force on ${data.decidedOn} do not delegate admission to the office`,
    );
  }
  return [
    {
      type: 'PartnerAdmitted',
      data: { decidedOn: data.decidedOn, by, ...(data.resolutionId !== undefined && { resolutionId: data.resolutionId }) },
      occurredAt: data.decidedOn,
    },
  ];
}

/** A rejection may cite the admission resolution the board rejected; an adopted one would have admitted the partner. */
function rejectPartner({ data, context }: RejectPartner, state: PartnerState): PartnerEvent[] {
  const applied = requireStatus(state, 'applied');
  requireNotBefore(data.decidedOn, applied.receivedOn, 'the application was received');
  if (data.resolutionId !== undefined) {
    const resolution = cited(context.resolution, data.resolutionId);
    if (!resolution) throw new NotFound('resolution', data.resolutionId);
    const fail = (why: string): never => {
      throw new DomainRuleViolated('rejection-resolution-required', `resolution ${data.resolutionId} ${why}`);
    };
    if (resolution.kind !== 'partner-admission') fail(`is of kind ${resolution.kind}, not partner-admission`);
    if (!names(applied.partnerId)(resolution.subject)) fail(`does not name partner ${applied.partnerId}`);
    if (resolution.outcome === null) fail('has not been decided');
    if (resolution.outcome === 'adopted') {
      throw new DomainRuleViolated('resolution-adopted', `resolution ${data.resolutionId} adopted the admission; it cannot ground a rejection`);
    }
    if (resolution.revokedBy) fail(`was revoked by resolution ${resolution.revokedBy}`);
    if (resolution.decidedOn && resolution.decidedOn > data.decidedOn) fail(`was decided only on ${resolution.decidedOn}`);
  }
  return [
    {
      type: 'PartnerRejected',
      data: {
        decidedOn: data.decidedOn,
        reason: data.reason,
        ...(data.resolutionId !== undefined && { resolutionId: data.resolutionId }),
      },
      occurredAt: data.decidedOn,
    },
  ];
}

function withdrawApplication({ data }: WithdrawApplication, state: PartnerState): PartnerEvent[] {
  const applied = requireStatus(state, 'applied');
  requireNotBefore(berlinDate(data.occurredAt), applied.receivedOn, 'the application was received');
  return [{ type: 'ApplicationWithdrawn', data: withReason(data), occurredAt: data.occurredAt }];
}

function recordDeparture({ data }: RecordPartnerDeparture, state: PartnerState): PartnerEvent[] {
  const admitted = requireStatus(state, 'admitted');
  requireNotBefore(berlinDate(data.occurredAt), admitted.admittedOn, 'the partner was admitted');
  return [{ type: 'PartnerLeft', data: withReason(data), occurredAt: data.occurredAt }];
}

function excludePartner({ data, context }: ExcludePartner, state: PartnerState): PartnerEvent[] {
  const admitted = requireStatus(state, 'admitted');
  requireNotBefore(data.decidedOn, admitted.admittedOn, 'the partner was admitted');
  requireAdoptedResolution(cited(context.resolution, data.resolutionId), data.resolutionId, {
    kind: 'partner-exclusion',
    fits: names(admitted.partnerId),
    onDate: data.decidedOn,
    rule: 'exclusion-resolution-required',
  });
  return [{ type: 'PartnerExcluded', data: { decidedOn: data.decidedOn, resolutionId: data.resolutionId }, occurredAt: data.decidedOn }];
}

function requireStatus<S extends PartnerStatusOf<'applied' | 'admitted'>['status']>(state: PartnerState, status: S): PartnerStatusOf<S> {
  if (state.status === 'none') throw new NotFound('partner', '(no application in this stream)');
  if (state.status !== status) {
    throw new DomainRuleViolated('invalid-status', `partner ${state.partnerId} is ${state.status}, not ${status}`);
  }
  return state as PartnerStatusOf<S>;
}

function requireNotBefore(date: IsoDate, earliest: IsoDate, what: string): void {
  if (date < earliest) throw new DomainRuleViolated('date-order', `${date} lies before ${earliest}, when ${what}`);
}

/** The summary the handler loaded, if it is the one cited; anything else counts as not found. */
function cited(summary: ResolutionSummary | undefined, resolutionId: string): ResolutionSummary | undefined {
  return summary?.resolutionId === resolutionId ? summary : undefined;
}

function names(partnerId: string) {
  return (subject: ResolutionSubject | undefined) => subject !== undefined && 'partnerId' in subject && subject.partnerId === partnerId;
}

function withReason(data: { occurredAt: string; reason?: string | undefined }) {
  return { occurredAt: data.occurredAt, ...(data.reason !== undefined && { reason: data.reason }) };
}
