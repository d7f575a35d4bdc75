import { membershipOn } from '../../domain/group/state';
import type { PartnerCategory, PartnerStatus } from '../../domain/partner/events';
import type { IsoDate } from '../../domain/shared/dates';
import type { ResolvedCut } from '../as-of';
import type { EntityIndex } from '../entity-index';
import { groupAt, partnerAt, type ExistingPartner } from './lookup';
import { CONTACT_FIELDS, defined, newestFirst, shownPerson, textOrNull, type ListResult, type PageRequest, type PersonJson, type ViewOptions } from './shared';

export type ContactJson = PersonJson & { email?: string | null; phone?: string | null };

export interface PartnerGroupJson {
  groupId: string;
  name: string;
  kind: 'working' | 'project';
  joinedOn: IsoDate;
}

export interface PartnerJson {
  id: string;
  organisation: { name: string; category: PartnerCategory; city?: string };
  category: PartnerCategory;
  status: PartnerStatus;
  expertise: string[];
  channel: 'email' | 'letter' | 'form';
  receivedOn: IsoDate;
  admittedOn?: IsoDate;
  admittedBy?: 'board' | 'office';
  admissionResolutionId?: string;
  rejectedOn?: IsoDate;
  rejectionReason?: string;
  rejectionResolutionId?: string;
  withdrawnOn?: IsoDate;
  withdrawnAt?: string;
  withdrawalReason?: string;
  leftOn?: IsoDate;
  leftAt?: string;
  departureReason?: string;
  excludedOn?: IsoDate;
  exclusionResolutionId?: string;
  /** the groups the partner is a member of on the view day */
  groups: PartnerGroupJson[];
  /** personal data: only for privileged readers */
  contact?: ContactJson;
  /** the reference of the application message (it may name the sender): only for privileged readers */
  messageRef?: string;
}

export interface PartnerFilter {
  status?: PartnerStatus;
  category?: PartnerCategory;
}

/** GET /v1/partners/{id} */
export function partnerView(index: EntityIndex, partnerId: string, cut: ResolvedCut, options: ViewOptions = {}): PartnerJson | undefined {
  const partner = partnerAt(index, partnerId, cut);
  return partner ? partnerJson(index, partner, cut, options) : undefined;
}

/** GET /v1/partners: newest application first. */
export function partnersView(
  index: EntityIndex,
  cut: ResolvedCut,
  filter: PartnerFilter = {},
  options: ViewOptions = {},
  request?: PageRequest,
): ListResult<PartnerJson> {
  const matching = index.listAt(
    'partner',
    cut,
    (facets) => (filter.status === undefined || facets.status === filter.status) && (filter.category === undefined || facets.kind === filter.category),
  );
  return newestFirst(matching, (item) => partnerJson(index, index.stateOfListed(item, cut) as ExistingPartner, cut, options), request);
}

/** The partner's contact person alone (personal data, kept apart from the rest: the caller checks the reader's rights). */
export function partnerContactView(index: EntityIndex, partnerId: string, cut: ResolvedCut, options: ViewOptions = {}): ContactJson | undefined {
  const partner = partnerAt(index, partnerId, cut);
  return partner ? contactJson(partner.contact, options) : undefined;
}

/** The contact person decrypted; after erasure every field null and `erased: true`. */
function contactJson(contact: unknown, options: ViewOptions): ContactJson {
  const c = shownPerson(contact, CONTACT_FIELDS, options);
  const subjectId = typeof c.subjectId === 'string' ? c.subjectId : undefined;
  if (c.erased === true) return { ...(subjectId && { subjectId }), name: null, erased: true, email: null, phone: null };
  return defined({ ...(subjectId && { subjectId }), name: textOrNull(c.name), email: textOrNull(c.email), phone: typeof c.phone === 'string' ? c.phone : undefined });
}

function partnerJson(index: EntityIndex, p: ExistingPartner, cut: ResolvedCut, options: ViewOptions): PartnerJson {
  const json: PartnerJson = {
    id: p.partnerId,
    organisation: defined({ name: p.organisation.name, category: p.organisation.category, city: p.organisation.city }),
    category: p.category,
    status: p.status,
    expertise: [...p.expertise],
    channel: p.channel,
    receivedOn: p.receivedOn,
    groups: groupsOf(index, p.partnerId, cut),
  };
  switch (p.status) {
    case 'admitted':
    case 'left':
    case 'excluded':
      Object.assign(json, defined({ admittedOn: p.admittedOn, admittedBy: p.admittedBy, admissionResolutionId: p.admissionResolutionId }));
      if (p.status === 'left') Object.assign(json, defined({ leftOn: p.leftOn, leftAt: p.leftAt, departureReason: p.departureReason }));
      if (p.status === 'excluded') Object.assign(json, { excludedOn: p.excludedOn, exclusionResolutionId: p.exclusionResolutionId });
      break;
    case 'rejected':
      Object.assign(json, defined({ rejectedOn: p.rejectedOn, rejectionReason: p.rejectionReason, rejectionResolutionId: p.rejectionResolutionId }));
      break;
    case 'withdrawn':
      Object.assign(json, defined({ withdrawnOn: p.withdrawnOn, withdrawnAt: p.withdrawnAt, withdrawalReason: p.withdrawalReason }));
      break;
    case 'applied':
      break;
  }
  if (options.withPersonalData) {
    json.contact = contactJson(p.contact, options);
    if (p.messageRef !== undefined) json.messageRef = p.messageRef;
  }
  return json;
}

/** The groups whose events name the partner, kept where the partner is a member on the view day. */
function groupsOf(index: EntityIndex, partnerId: string, cut: ResolvedCut): PartnerGroupJson[] {
  const groups: PartnerGroupJson[] = [];
  for (const groupId of index.linked('group', `partner:${partnerId}`)) {
    const group = groupAt(index, groupId, cut);
    const membership = group && membershipOn(group, partnerId, cut.viewDay);
    if (group && membership) groups.push({ groupId, name: group.name, kind: group.kind, joinedOn: membership.joinedOn });
  }
  return groups.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.groupId < b.groupId ? -1 : 1));
}
