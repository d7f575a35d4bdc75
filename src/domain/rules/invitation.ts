import { daysBetween, type IsoDate } from '../shared/dates';
import type { RulesOfProcedure } from './rules-of-procedure';

export interface InvitationTimeliness {
  timely: boolean;
  /** the period that applied, in calendar days */
  periodDays: number;
}

/**
 * An invitation is timely when sent at least the invitation period (the urgent one for an urgent meeting) of
 * calendar days before the meeting day. Both are Europe/Berlin calendar days, so counting whole days is exact.
 */
export function invitationTimeliness(sentOn: IsoDate, meetingDate: IsoDate, urgent: boolean, rules: RulesOfProcedure): InvitationTimeliness {
  const periodDays = urgent ? rules.urgentInvitationPeriodDays : rules.invitationPeriodDays;
  return { timely: daysBetween(sentOn, meetingDate) >= periodDays, periodDays };
}
