import type { ReadModels, ReadQuery, RevealPersonalData } from '../../projections';
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
const listQuery = timeTravelQuery.extend(pageQuery.shape);
const period = { from: isoDate.optional(), to: isoDate.optional() };

export interface ReadRouteOptions {
  /**
   * Decrypts a person's fields for callers allowed to see personal data (PersonalDataProtector.reveal). The read
   * models hold personal data encrypted only; without it a privileged caller gets every personal field as null.
   */
  reveal?: RevealPersonalData;
}

function found<T>(value: T | undefined, what: string, id: string): T {
  if (value === undefined) throw new NotFound(what, id);
  return value;
}

/** GET routes of every resource: anonymous callers read the public state, privileged ones also personal data. */
export function readRoutes(models: ReadModels, options: ReadRouteOptions = {}): RouteModule {
  const readQuery = (caller: Caller, query: { asOf?: string | undefined; knownAt?: string | undefined }): ReadQuery => {
    const withPersonalData = readsPersonalData(caller);
    return {
      ...(query.asOf !== undefined && { asOf: query.asOf }),
      ...(query.knownAt !== undefined && { knownAt: query.knownAt }),
      withPersonalData,
      ...(withPersonalData && options.reveal && { reveal: options.reveal }),
    };
  };
  return (r: RouteRegistrar) => {
    const get = r.defineRoute.bind(r);
    get({
      method: 'get',
      path: '/v1/alliance',
      auth: 'public',
      summary: 'The alliance, its patron, board summary, partner and group counts',
      tags: ['alliance'],
      query: timeTravelQuery,
      responses: { 200: { description: 'the alliance', schema: object('Alliance') } },
      handler: (ctx) => ok(found(models.alliance(readQuery(ctx.caller, ctx.query)), 'alliance', 'main')),
    });
    get({
      method: 'get',
      path: '/v1/patron',
      auth: 'public',
      summary: 'The patron in office and the terms of all patrons',
      tags: ['patron'],
      query: timeTravelQuery,
      responses: { 200: { description: 'the patron', schema: object('Patron') } },
      handler: (ctx) => ok(models.patron(readQuery(ctx.caller, ctx.query))),
    });
    get({
      method: 'get',
      path: '/v1/patron/statements',
      auth: 'public',
      summary: 'The patron’s statements, each with its corrections',
      tags: ['patron'],
      query: listQuery.extend(period),
      responses: { 200: { description: 'a page of statements', schema: pageSchema(object('Statement')) } },
      handler: (ctx) => {
        const { page, limit, ...filter } = ctx.query;
        const result = models.statements({ ...readQuery(ctx.caller, ctx.query), ...filter }, { page, limit });
        return ok(pageOf(result.items, result.total, ctx.query, ctx.url));
      },
    });
    get({
      method: 'get',
      path: '/v1/patron/statements/{id}',
      auth: 'public',
      summary: 'One statement with its corrections',
      tags: ['patron'],
      params: idParams,
      query: timeTravelQuery,
      responses: { 200: { description: 'the statement', schema: object('Statement') } },
      handler: (ctx) => ok(found(models.statement(ctx.params.id, readQuery(ctx.caller, ctx.query)), 'statement', ctx.params.id)),
    });
    get({
      method: 'get',
      path: '/v1/board',
      auth: 'public',
      summary: 'The board: seats, rules of procedure in force, members and deputies (404 before it was established)',
      tags: ['board'],
      query: timeTravelQuery,
      responses: { 200: { description: 'the board', schema: object('Board') } },
      handler: (ctx) => ok(found(models.board(readQuery(ctx.caller, ctx.query)), 'board', 'main')),
    });
    get({
      method: 'get',
      path: '/v1/meetings',
      auth: 'public',
      summary: 'Meetings of the board, newest first',
      tags: ['meetings'],
      query: listQuery.extend(period),
      responses: { 200: { description: 'a page of meetings', schema: pageSchema(object('Meeting')) } },
      handler: (ctx) => {
        const { page, limit, ...filter } = ctx.query;
        const result = models.meetings({ ...readQuery(ctx.caller, ctx.query), ...filter }, { page, limit });
        return ok(pageOf(result.items, result.total, ctx.query, ctx.url));
      },
    });
    get({
      method: 'get',
      path: '/v1/meetings/{id}',
      auth: 'public',
      summary: 'A meeting: agenda, invitation, attendance, recusals, resolutions, minutes',
      tags: ['meetings'],
      params: idParams,
      query: timeTravelQuery,
      responses: { 200: { description: 'the meeting', schema: object('Meeting') } },
      handler: (ctx) => ok(found(models.meeting(ctx.params.id, readQuery(ctx.caller, ctx.query)), 'meeting', ctx.params.id)),
    });
    get({
      method: 'get',
      path: '/v1/resolutions',
      auth: 'public',
      summary: 'Every resolution, newest first; undecided ones with outcome null',
      tags: ['resolutions'],
      query: listQuery.extend({ ...period, kind: resolutionKind.optional(), outcome: z.enum(['adopted', 'rejected', 'null']).optional() }),
      responses: { 200: { description: 'a page of resolutions', schema: pageSchema(object('Resolution')) } },
      handler: (ctx) => {
        const { page, limit, outcome, ...filter } = ctx.query;
        const query = { ...readQuery(ctx.caller, ctx.query), ...filter, ...(outcome !== undefined && { outcome: outcome === 'null' ? null : outcome }) };
        const result = models.resolutions(query, { page, limit });
        return ok(pageOf(result.items, result.total, ctx.query, ctx.url));
      },
    });
    get({
      method: 'get',
      path: '/v1/resolutions/{id}',
      auth: 'public',
      summary: 'A resolution with its votes, basis, corrections and audit trail',
      tags: ['resolutions'],
      params: idParams,
      query: timeTravelQuery,
      responses: { 200: { description: 'the resolution', schema: object('Resolution') } },
      handler: (ctx) => ok(found(models.resolution(ctx.params.id, readQuery(ctx.caller, ctx.query)), 'resolution', ctx.params.id)),
    });
    get({
      method: 'get',
      path: '/v1/partners',
      auth: 'public',
      summary: 'Network partners',
      tags: ['partners'],
      query: listQuery.extend({ status: partnerStatus.optional(), category: partnerCategory.optional() }),
      responses: { 200: { description: 'a page of partners', schema: pageSchema(object('Partner')) } },
      handler: (ctx) => {
        const { page, limit, ...filter } = ctx.query;
        const result = models.partners({ ...readQuery(ctx.caller, ctx.query), ...filter }, { page, limit });
        return ok(pageOf(result.items, result.total, ctx.query, ctx.url));
      },
    });
    get({
      method: 'get',
      path: '/v1/partners/{id}',
      auth: 'public',
      summary: 'A partner; its contact person only for office, auditor and admin',
      tags: ['partners'],
      params: idParams,
      query: timeTravelQuery,
      responses: { 200: { description: 'the partner', schema: object('Partner') } },
      handler: (ctx) => ok(found(models.partner(ctx.params.id, readQuery(ctx.caller, ctx.query)), 'partner', ctx.params.id)),
    });
    get({
      method: 'get',
      path: '/v1/groups',
      auth: 'public',
      summary: 'Working and project groups with their members',
      tags: ['groups'],
      query: listQuery.extend({ kind: groupKind.optional(), status: z.enum(['active', 'dissolved']).optional() }),
      responses: { 200: { description: 'a page of groups', schema: pageSchema(object('Group')) } },
      handler: (ctx) => {
        const { page, limit, ...filter } = ctx.query;
        const result = models.groups({ ...readQuery(ctx.caller, ctx.query), ...filter }, { page, limit });
        return ok(pageOf(result.items, result.total, ctx.query, ctx.url));
      },
    });
    get({
      method: 'get',
      path: '/v1/groups/{id}',
      auth: 'public',
      summary: 'A group with members, lead, mandate and the resolutions that formed, changed or dissolved it',
      tags: ['groups'],
      params: idParams,
      query: timeTravelQuery,
      responses: { 200: { description: 'the group', schema: object('Group') } },
      handler: (ctx) => ok(found(models.group(ctx.params.id, readQuery(ctx.caller, ctx.query)), 'group', ctx.params.id)),
    });
  };
}
