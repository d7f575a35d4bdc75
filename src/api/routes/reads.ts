import type { z as zod } from 'zod';
import type { ListResult, PageRequest, ReadModels, ReadQuery, RevealPersonalData } from '../../projections';
import { NotFound } from '../../domain/shared/errors';
import { partnerCategory, partnerStatus } from '../../domain/partner/events';
import { groupKind, resolutionKind } from '../../domain/resolution/kinds';
import { isoDate } from '../../domain/shared/dates';
import { readsPersonalData, type Caller } from '../auth';
import { z } from '../openapi-zod';
import { pageOf, pageQuery, pageSchema } from '../pagination';
import { ok } from '../replies';
import type { RouteModule, RouteRegistrar } from '../route';
import { idParams, timeTravelQuery } from '../schemas';

/** The read models' answers are documented as objects; their fields are those of API.md. */
const object = (name: string) => z.record(z.string(), z.unknown()).openapi(name);
const period = { from: isoDate.optional(), to: isoDate.optional() };

export interface ReadRouteOptions {
  /**
   * Decrypts a person's fields for callers allowed to see personal data (PersonalDataProtector.reveal). The read
   * models hold personal data encrypted only; without it a privileged caller gets every personal field as null.
   */
  reveal?: RevealPersonalData;
}

type TimeTravel = { asOf?: string | undefined; knownAt?: string | undefined };

/** GET routes of every resource: anonymous callers read the public state, privileged ones also personal data. */
export function readRoutes(models: ReadModels, options: ReadRouteOptions = {}): RouteModule {
  const readQuery = (caller: Caller, query: TimeTravel): ReadQuery => {
    const withPersonalData = readsPersonalData(caller);
    return {
      ...(query.asOf !== undefined && { asOf: query.asOf }),
      ...(query.knownAt !== undefined && { knownAt: query.knownAt }),
      withPersonalData,
      ...(withPersonalData && options.reveal && { reveal: options.reveal }),
    };
  };

  return (r: RouteRegistrar) => {
    /** A state read of one thing (404 when there is none at that cut), optionally by id. */
    const item = (spec: { path: string; summary: string; tag: string; schema: string; what: string; read: (query: ReadQuery, id: string) => unknown }) =>
      r.defineRoute({
        method: 'get',
        path: spec.path,
        auth: 'public',
        summary: spec.summary,
        tags: [spec.tag],
        ...(spec.path.includes('{id}') && { params: idParams }),
        query: timeTravelQuery,
        responses: { 200: { description: spec.summary, schema: object(spec.schema) } },
        handler: (ctx) => {
          const id = (ctx.params as { id?: string }).id ?? 'main';
          const value = spec.read(readQuery(ctx.caller, ctx.query), id);
          if (value === undefined) throw new NotFound(spec.what, id);
          return ok(value);
        },
      });

    /** A paginated list with its filters; the read model cuts the page. */
    const list = <F extends zod.ZodRawShape>(spec: {
      path: string;
      summary: string;
      tag: string;
      schema: string;
      filters: F;
      read: (query: ReadQuery & Record<string, unknown>, page: PageRequest) => ListResult<unknown>;
    }) =>
      r.defineRoute({
        method: 'get',
        path: spec.path,
        auth: 'public',
        summary: spec.summary,
        tags: [spec.tag],
        query: timeTravelQuery.extend(pageQuery.shape).extend(spec.filters),
        responses: { 200: { description: `a page of ${spec.tag}`, schema: pageSchema(object(spec.schema)) } },
        handler: (ctx) => {
          const { page, limit, asOf: _asOf, knownAt: _knownAt, ...filter } = ctx.query as Record<string, unknown> & TimeTravel & PageRequest;
          const result = spec.read({ ...readQuery(ctx.caller, ctx.query as TimeTravel), ...filter }, { page, limit });
          return ok(pageOf(result.items, result.total, { page, limit }, ctx.url));
        },
      });

    item({ path: '/v1/alliance', summary: 'The alliance, its patron, board summary, partner and group counts', tag: 'alliance', schema: 'Alliance', what: 'alliance', read: (q) => models.alliance(q) });
    item({ path: '/v1/patron', summary: 'The patron in office and the terms of all patrons', tag: 'patron', schema: 'Patron', what: 'patron', read: (q) => models.patron(q) });
    list({ path: '/v1/patron/statements', summary: 'The patron’s statements, each with its corrections', tag: 'patron', schema: 'Statement', filters: period, read: (q, p) => models.statements(q, p) });
    item({ path: '/v1/patron/statements/{id}', summary: 'One statement with its corrections', tag: 'patron', schema: 'Statement', what: 'statement', read: (q, id) => models.statement(id, q) });
    item({
      path: '/v1/board',
      summary: 'The board: seats, rules of procedure in force, members and deputies (404 before it was established)',
      tag: 'board',
      schema: 'Board',
      what: 'board',
      read: (q) => models.board(q),
    });
    list({ path: '/v1/meetings', summary: 'Meetings of the board, newest first', tag: 'meetings', schema: 'Meeting', filters: period, read: (q, p) => models.meetings(q, p) });
    item({
      path: '/v1/meetings/{id}',
      summary: 'A meeting: agenda, invitation, attendance, recusals, resolutions, minutes',
      tag: 'meetings',
      schema: 'Meeting',
      what: 'meeting',
      read: (q, id) => models.meeting(id, q),
    });
    list({
      path: '/v1/resolutions',
      summary: 'Every resolution, newest first; undecided ones with outcome null',
      tag: 'resolutions',
      schema: 'Resolution',
      filters: { ...period, kind: resolutionKind.optional(), outcome: z.enum(['adopted', 'rejected', 'null']).optional() },
      read: ({ outcome, ...q }, p) => models.resolutions({ ...q, ...(outcome !== undefined && { outcome: outcome === 'null' ? null : (outcome as 'adopted' | 'rejected') }) }, p),
    });
    item({
      path: '/v1/resolutions/{id}',
      summary: 'A resolution with its votes, basis, corrections and audit trail',
      tag: 'resolutions',
      schema: 'Resolution',
      what: 'resolution',
      read: (q, id) => models.resolution(id, q),
    });
    list({
      path: '/v1/partners',
      summary: 'Network partners',
      tag: 'partners',
      schema: 'Partner',
      filters: { status: partnerStatus.optional(), category: partnerCategory.optional() },
      read: (q, p) => models.partners(q, p),
    });
    item({ path: '/v1/partners/{id}', summary: 'A partner; its contact person only for office, auditor and admin', tag: 'partners', schema: 'Partner', what: 'partner', read: (q, id) => models.partner(id, q) });
    list({
      path: '/v1/groups',
      summary: 'Working and project groups with their members',
      tag: 'groups',
      schema: 'Group',
      filters: { kind: groupKind.optional(), status: z.enum(['active', 'dissolved']).optional() },
      read: (q, p) => models.groups(q, p),
    });
    item({
      path: '/v1/groups/{id}',
      summary: 'A group with members, lead, mandate and the resolutions that formed, changed or dissolved it',
      tag: 'groups',
      schema: 'Group',
      what: 'group',
      read: (q, id) => models.group(id, q),
    });
  };
}
