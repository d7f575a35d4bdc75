import type { MemberRole, SeatCategory } from '../../domain/board/seats';
import type { PartnerCategory, PartnerStatus } from '../../domain/partner/events';
import type { GroupKind, ResolutionKind } from '../../domain/resolution/kinds';
import type { RulesOfProcedure } from '../../domain/rules/rules-of-procedure';

/** The words and formats of the reports: the office works in German (the code stays English). */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 2025-09-12 → 12.09.2025 */
export function germanDate(date: string): string {
  const m = DATE_RE.exec(date);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : date;
}

const berlinParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Berlin',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** An instant as Berlin wall-clock time: 12.09.2025, 14:00:00 Uhr */
export function germanInstant(instant: string): string {
  const ms = Date.parse(instant);
  if (!Number.isFinite(ms)) return instant;
  const parts = Object.fromEntries(berlinParts.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts.day}.${parts.month}.${parts.year}, ${parts.hour}:${parts.minute}:${parts.second} Uhr`;
}

const numberFormat = new Intl.NumberFormat('de-DE');

export function germanNumber(value: number): string {
  return numberFormat.format(value);
}

export const MONTHS = ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'];

/** 2025-09 → September 2025 */
export function germanMonth(month: string): string {
  const [year, m] = month.split('-');
  return `${MONTHS[Number(m) - 1] ?? m} ${year}`;
}

export const YES = 'Ja';
export const NO = 'Nein';

/** Seat categories of the board, as the release names them. */
export const seatCategoryLabel: Record<SeatCategory, string> = {
  ministry: 'Staatsministerien',
  municipal: 'Kommunale Vertreter',
  chamber: 'Kammern',
  association: 'Verbände',
  union: 'Gewerkschaften',
  welfare: 'LIGA der freien Wohlfahrtspflege',
};

export const partnerCategoryLabel: Record<PartnerCategory, string> = {
  ministry: 'Staatsministerium',
  municipal: 'Kommune',
  chamber: 'Kammer',
  association: 'Verband',
  union: 'Gewerkschaft',
  welfare: 'Freie Wohlfahrtspflege',
  employer: 'Arbeitgeber',
  education: 'Bildung',
  research: 'Forschung',
  'employment-agency': 'Arbeitsverwaltung',
  other: 'Sonstige',
};

export const roleLabel: Record<MemberRole, string> = {
  chair: 'Vorsitz',
  'deputy-chair': 'Stellv. Vorsitz',
  member: 'Mitglied',
};

export const partnerStatusLabel: Record<PartnerStatus, string> = {
  applied: 'Bewerbung eingegangen',
  admitted: 'Aufgenommen',
  rejected: 'Abgelehnt',
  withdrawn: 'Zurückgezogen',
  left: 'Ausgetreten',
  excluded: 'Ausgeschlossen',
};

export const channelLabel: Record<'email' | 'letter' | 'form', string> = { email: 'E-Mail', letter: 'Brief', form: 'Formular' };

export const admittedByLabel: Record<'board' | 'office', string> = { board: 'Gremium (Beschluss)', office: 'Geschäftsstelle' };

export const groupKindLabel: Record<GroupKind, string> = { working: 'Arbeitsgruppe', project: 'Projektgruppe' };

export const groupStatusLabel: Record<'active' | 'dissolved', string> = { active: 'Aktiv', dissolved: 'Aufgelöst' };

export const resolutionKindLabel: Record<ResolutionKind, string> = {
  general: 'Allgemein',
  'partner-admission': 'Aufnahme eines Partners',
  'partner-exclusion': 'Ausschluss eines Partners',
  'group-formation': 'Bildung einer Gruppe',
  'group-dissolution': 'Auflösung einer Gruppe',
  'group-mandate': 'Auftrag einer Gruppe',
  rules: 'Geschäftsordnung',
  revocation: 'Aufhebung',
};

export const procedureLabel: Record<'meeting' | 'written', string> = { meeting: 'Sitzung', written: 'Umlaufverfahren' };

export const meetingStatusLabel: Record<'scheduled' | 'closed' | 'cancelled', string> = {
  scheduled: 'Geplant',
  closed: 'Abgeschlossen',
  cancelled: 'Abgesagt',
};

export function outcomeLabel(status: 'proposed' | 'decided' | 'revoked', outcome: 'adopted' | 'rejected' | null): string {
  if (status === 'revoked') return 'Aufgehoben';
  if (outcome === 'adopted') return 'Angenommen';
  if (outcome === 'rejected') return 'Abgelehnt';
  return 'Offen (nicht beschlossen)';
}

const roleOfActor: Record<string, string> = { office: 'Geschäftsstelle', auditor: 'Prüfung', admin: 'Administration', system: 'System' };

/** Who recorded an event: the actor's id and role. */
export function actorLabel(actor: { id: string; role: string }): string {
  return `${actor.id} (${roleOfActor[actor.role] ?? actor.role})`;
}

const languageLabel: Record<string, string> = { de: 'Deutsch', en: 'Englisch', cs: 'Tschechisch', pl: 'Polnisch', hsb: 'Obersorbisch', dsb: 'Niedersorbisch' };

export function language(code: string): string {
  return languageLabel[code] ?? code;
}

function percent(share: number): string {
  return `${germanNumber(Math.round(share * 1000) / 10)} %`;
}

/** The rules of procedure in a sentence each, as the decision register and the board report state them. */
export function rulesSummary(rules: RulesOfProcedure): { invitation: string; quorum: string; tieBreak: string; admission: string } {
  return {
    invitation: `${rules.invitationPeriodDays} Tage, dringlich ${rules.urgentInvitationPeriodDays} Tage`,
    quorum: `mehr als ${percent(rules.quorumShare)} und mindestens ${rules.quorumMinimumPresent} der stimmberechtigten Mitglieder anwesend`,
    tieBreak: rules.tieBreak === 'presiding-member' ? 'Stimme der Sitzungsleitung' : 'Antrag abgelehnt',
    admission: admittedByLabel[rules.admissionBy],
  };
}

/** The rules a decision was taken under, as its basis records them, in one line for the decision register. */
export function rulesApplied(version: number, rules: RulesOfProcedure): string {
  const s = rulesSummary(rules);
  return `GO Version ${version}: beschlussfähig bei mehr als ${percent(rules.quorumShare)}, mind. ${rules.quorumMinimumPresent} anwesend; Stimmengleichheit: ${s.tieBreak}; einfache Mehrheit der abgegebenen Stimmen`;
}
