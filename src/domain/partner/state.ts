import type { z } from 'zod';
import { berlinDate, type Instant, type IsoDate } from '../shared/dates';
import type { ContactPerson } from '../shared/personal';
import type { PartnerCategory, PartnerEvent, partnerApplied } from './events';

type Organisation = z.infer<typeof partnerApplied>['organisation'];

/** What the application said; every partner past `none` carries it. */
export interface Application {
  partnerId: string;
  organisation: Organisation;
  category: PartnerCategory;
  contact: ContactPerson;
  expertise: string[];
  channel: 'email' | 'letter' | 'form';
  receivedOn: IsoDate;
  messageRef?: string;
}

export interface Admission {
  admittedOn: IsoDate;
  admittedBy: 'board' | 'office';
  admissionResolutionId?: string;
}

/**
 * A partner's life: applied → admitted | rejected | withdrawn; admitted → left | excluded.
 * Dates are Berlin calendar days; where the fact came as an instant (withdrawal, departure) the instant is kept too.
 */
export type PartnerState =
  | { status: 'none' }
  | ({ status: 'applied' } & Application)
  | ({ status: 'admitted' } & Application & Admission)
  | ({ status: 'rejected'; rejectedOn: IsoDate; rejectionReason: string; rejectionResolutionId?: string } & Application)
  | ({ status: 'withdrawn'; withdrawnOn: IsoDate; withdrawnAt: Instant; withdrawalReason?: string } & Application)
  | ({ status: 'left'; leftOn: IsoDate; leftAt: Instant; departureReason?: string } & Application & Admission)
  | ({ status: 'excluded'; excludedOn: IsoDate; exclusionResolutionId: string } & Application & Admission);

export type PartnerStatusOf<S extends PartnerState['status']> = Extract<PartnerState, { status: S }>;

export const initialPartnerState: PartnerState = { status: 'none' };

/**
 * Whether the partner was an admitted partner on `date`, as the ledger knows it now.
 * The admission counts from its day (inclusive); leaving or exclusion ends it from its day (inclusive), so on the day
 * a partner leaves or is excluded they are no longer admitted: membership is the half-open period [admittedOn, end).
 */
export function isAdmittedOn(state: PartnerState | undefined, date: IsoDate): boolean {
  if (!state) return false;
  switch (state.status) {
    case 'admitted':
      return state.admittedOn <= date;
    case 'left':
      return state.admittedOn <= date && date < state.leftOn;
    case 'excluded':
      return state.admittedOn <= date && date < state.excludedOn;
    default:
      return false;
  }
}

export function evolvePartner(state: PartnerState, event: PartnerEvent): PartnerState {
  switch (event.type) {
    case 'PartnerApplied': {
      const d = event.data;
      return {
        status: 'applied',
        partnerId: d.partnerId,
        organisation: d.organisation,
        category: d.organisation.category,
        contact: d.contact,
        expertise: d.expertise,
        channel: d.channel,
        receivedOn: d.receivedOn,
        ...(d.messageRef !== undefined && { messageRef: d.messageRef }),
      };
    }
    case 'PartnerAdmitted': {
      if (state.status !== 'applied') return state;
      const d = event.data;
      return {
        ...state,
        status: 'admitted',
        admittedOn: d.decidedOn,
        admittedBy: d.by,
        ...(d.resolutionId !== undefined && { admissionResolutionId: d.resolutionId }),
      };
    }
    case 'PartnerRejected': {
      if (state.status !== 'applied') return state;
      const d = event.data;
      return {
        ...state,
        status: 'rejected',
        rejectedOn: d.decidedOn,
        rejectionReason: d.reason,
        ...(d.resolutionId !== undefined && { rejectionResolutionId: d.resolutionId }),
      };
    }
    case 'ApplicationWithdrawn': {
      if (state.status !== 'applied') return state;
      const d = event.data;
      return {
        ...state,
        status: 'withdrawn',
        withdrawnOn: berlinDate(d.occurredAt),
        withdrawnAt: d.occurredAt,
        ...(d.reason !== undefined && { withdrawalReason: d.reason }),
      };
    }
    case 'PartnerLeft': {
      if (state.status !== 'admitted') return state;
      const d = event.data;
      return {
        ...state,
        status: 'left',
        leftOn: berlinDate(d.occurredAt),
        leftAt: d.occurredAt,
        ...(d.reason !== undefined && { departureReason: d.reason }),
      };
    }
    case 'PartnerExcluded': {
      if (state.status !== 'admitted') return state;
      return { ...state, status: 'excluded', excludedOn: event.data.decidedOn, exclusionResolutionId: event.data.resolutionId };
    }
  }
}
