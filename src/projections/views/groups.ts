import { membershipCovering, type ExistingGroup } from '../../domain/group/state';
import type { GroupKind } from '../../domain/resolution/kinds';
import type { IsoDate } from '../../domain/shared/dates';
import type { ResolvedCut } from '../as-of';
import type { EntityIndex } from '../entity-index';
import { groupAt, partnerAt, resolutionAt } from './lookup';
import { defined, newestFirst, type ListResult, type PageRequest } from './shared';

export interface GroupMemberJson {
  partnerId: string;
  /** the organisation's name (public), when the partner exists at the cut */
  organisation: string | null;
  joinedOn: IsoDate;
}

export interface GroupResolutionJson {
  resolutionId: string;
  /** what the resolution did to the group */
  effect: 'formed' | 'mandate-amended' | 'dissolved';
  /** when it took effect in the group: a day or an instant */
  occurredAt: string;
  /** the resolution's title, when it exists at the cut */
  title: string | null;
}

export interface GroupJson {
  id: string;
  kind: GroupKind;
  name: string;
  mandate: string;
  status: 'active' | 'dissolved';
  leadPartnerId: string | null;
  startDate: IsoDate;
  plannedEndDate?: IsoDate;
  dissolvedOn?: IsoDate;
  finalReportRef?: string;
  /** the members on the view day; the lead is a member only by joining */
  members: GroupMemberJson[];
  /** the resolutions that formed, changed or dissolved the group, in order */
  resolutions: GroupResolutionJson[];
  mandateAmendments: { mandate: string; resolutionId: string; occurredAt: string }[];
  leadChanges: { partnerId: string; occurredAt: string }[];
}

export interface GroupFilter {
  kind?: GroupKind;
  status?: 'active' | 'dissolved';
}

/** GET /v1/groups/{id} */
export function groupView(index: EntityIndex, groupId: string, cut: ResolvedCut): GroupJson | undefined {
  const group = groupAt(index, groupId, cut);
  return group ? groupJson(index, group, cut) : undefined;
}

/** GET /v1/groups: newest first (by start date), with members. */
export function groupsView(index: EntityIndex, cut: ResolvedCut, filter: GroupFilter = {}, request?: PageRequest): ListResult<GroupJson> {
  const matching = index.listAt(
    'group',
    cut,
    (facets) => (filter.kind === undefined || facets.kind === filter.kind) && (filter.status === undefined || facets.status === filter.status),
  );
  return newestFirst(matching, (item) => groupJson(index, index.stateOfListed(item, cut) as ExistingGroup, cut), request);
}

function groupJson(index: EntityIndex, group: ExistingGroup, cut: ResolvedCut): GroupJson {
  const day = cut.viewDay;
  const title = (resolutionId: string): string | null => resolutionAt(index, resolutionId, cut)?.title ?? null;
  const resolutions: GroupResolutionJson[] = [
    { resolutionId: group.formedBy, effect: 'formed', occurredAt: group.startDate, title: title(group.formedBy) },
    ...group.mandateAmendments.map((a) => ({
      resolutionId: a.resolutionId,
      effect: 'mandate-amended' as const,
      occurredAt: a.occurredAt,
      title: title(a.resolutionId),
    })),
  ];
  if (group.status === 'dissolved') {
    resolutions.push({ resolutionId: group.dissolvedBy, effect: 'dissolved', occurredAt: group.dissolvedOn, title: title(group.dissolvedBy) });
  }
  const members: GroupMemberJson[] = [];
  for (const latest of [...group.members].sort((a, b) => (a.partnerId < b.partnerId ? -1 : 1))) {
    const membership = membershipCovering(group, latest, day);
    if (!membership) continue;
    const { partnerId } = latest;
    members.push({ partnerId, organisation: partnerAt(index, partnerId, cut)?.organisation.name ?? null, joinedOn: membership.joinedOn });
  }
  return defined({
    id: group.groupId,
    kind: group.kind,
    name: group.name,
    mandate: group.mandate,
    status: group.status,
    leadPartnerId: group.leadPartnerId ?? null,
    startDate: group.startDate,
    plannedEndDate: group.plannedEndDate,
    dissolvedOn: group.status === 'dissolved' ? group.dissolvedOn : undefined,
    finalReportRef: group.status === 'dissolved' ? group.finalReportRef : undefined,
    members,
    resolutions,
    mandateAmendments: group.mandateAmendments.map((a) => ({ mandate: a.mandate, resolutionId: a.resolutionId, occurredAt: a.occurredAt })),
    leadChanges: group.leadChanges.map((c) => ({ partnerId: c.partnerId, occurredAt: c.occurredAt })),
  });
}
