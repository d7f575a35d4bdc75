import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import pino from 'pino';
import { createApp, type AppDeps } from '../../src/api/app';
import { idempotencyPathFor, openIdempotencyStore, type IdempotencyStore } from '../../src/api/idempotency-store';
import type { RouteModule } from '../../src/api/route';
import { loadConfig } from '../../src/config';
import type { Decider, DomainEvent, Command } from '../../src/domain/shared/decider';
import { DomainRuleViolated, NotFound } from '../../src/domain/shared/errors';
import { isoDate } from '../../src/domain/shared/dates';
import { InvalidCommandOptions, TooMuchContention } from '../../src/ledger/errors';
import { newEntityId } from '../../src/ledger/event-ids';
import { Ledger } from '../../src/ledger/ledger';
import { readsPersonalData } from '../../src/api/auth';
import { z } from '../../src/api/openapi-zod';
import { pageQuery, pageSchema, paginate } from '../../src/api/pagination';
import { ok, writeResultSchema, written } from '../../src/api/replies';
import { asOf, idParams } from '../../src/api/schemas';
import { ConcurrencyConflict, StoreUnavailable } from '../../src/store/errors';
import { openEmbeddedStore, type EmbeddedEventStore } from '../../src/store/embedded/embedded-store';

/** API keys of the test apps; the key ids derived from them are what handlers see as caller ids. */
export const KEYS = {
  office: 'office-key-0123456789',
  auditor: 'auditor-key-0123456789',
  admin: 'admin-key-0123456789',
  office2: 'second-office-key-0123456789',
} as const;

export const bearer = (key: string) => `Bearer ${key}`;

export interface TestApp {
  app: Express;
  store: EmbeddedEventStore;
  ledger: Ledger;
  idempotency: IdempotencyStore;
  dir: string;
  /** closes the app's store and idempotency records (the files stay until cleanup) */
  close(): Promise<void>;
  /** closes and removes the directory */
  cleanup(): Promise<void>;
}

export interface TestAppOptions {
  /** the route modules; default: the framework's test routes */
  routes?: (deps: { ledger: Ledger; store: EmbeddedEventStore }) => RouteModule[];
  env?: Record<string, string>;
  ready?: AppDeps['ready'];
  /** reuse the files of an earlier app (a restart) */
  dir?: string;
  logger?: AppDeps['logger'];
  liveHeartbeatMs?: number;
}

/** An app on an embedded store in a temp directory, with the test routes below unless others are given. */
export async function testApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'ledger-api-'));
  const config = loadConfig({
    LEDGER_DB: join(dir, 'ledger.db'),
    LEDGER_API_KEYS: `office:${KEYS.office},auditor:${KEYS.auditor},admin:${KEYS.admin},office:${KEYS.office2}`,
    LEDGER_RATE_LIMIT: '0',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const store = await openEmbeddedStore({ path: config.ledgerDb, pollIntervalMs: 20 });
  const ledger = new Ledger(store, { validateEvents: false });
  const idempotency = openIdempotencyStore({ path: idempotencyPathFor(config.ledgerDb) });
  const app = createApp({
    config,
    store,
    ledger,
    ready: options.ready ?? (() => true),
    logger: options.logger ?? pino({ level: 'silent' }),
    idempotency,
    routes: (options.routes ?? (({ ledger: l }) => [frameworkTestRoutes(l)]))({ ledger, store }),
    liveHeartbeatMs: options.liveHeartbeatMs,
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    idempotency.close();
    await store.close();
  };
  return {
    app,
    store,
    ledger,
    idempotency,
    dir,
    close,
    cleanup: async () => {
      await close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A tiny stream kind for exercising writes: things that are recorded and renamed. */
type RecordThing = Command<'RecordThing', { thingId: string; name: string }>;
type RenameThing = Command<'RenameThing', { name: string }>;
type ThingEvent = DomainEvent<'ThingRecorded', { thingId: string; name: string }> | DomainEvent<'ThingRenamed', { name: string }>;
interface ThingState {
  exists: boolean;
  name: string | null;
}

export const thingDecider: Decider<RecordThing | RenameThing, ThingEvent, ThingState> = {
  initialState: { exists: false, name: null },
  evolve: (state, event) => ({ exists: true, name: event.data.name }),
  decide: (command, state) => {
    if (command.data.name === 'forbidden') throw new DomainRuleViolated('name-forbidden', 'that name is not allowed');
    if (command.type === 'RecordThing') {
      if (state.exists) throw new DomainRuleViolated('thing-exists', 'already recorded');
      return [{ type: 'ThingRecorded', data: command.data, occurredAt: command.metadata.now }];
    }
    if (!state.exists) throw new NotFound('thing', 'unknown');
    return [{ type: 'ThingRenamed', data: command.data, occurredAt: command.metadata.now }];
  },
};

/** Test-only routes through defineRoute: one per framework feature the specs exercise. */
export function frameworkTestRoutes(ledger: Ledger): RouteModule {
  return (r) => {
    const thingBody = z
      .object({
        name: z.string().min(1).max(20),
        date: isoDate.optional(),
        count: z.number().int().min(0).max(10).optional(),
        // declared without .strict(): the framework must still refuse unknown fields in it
        nested: z.object({ label: z.string().max(5) }).optional(),
        tags: z.array(z.object({ tag: z.string() })).optional(),
      })
      .strict();

    r.defineRoute({
      method: 'post',
      path: '/test/things',
      auth: 'write',
      summary: 'Record a thing',
      body: thingBody,
      responses: { 201: { description: 'recorded', schema: writeResultSchema } },
      handler: async (ctx) => {
        const thingId = newEntityId(ctx.idempotencyKey, 'thing');
        const result = await ledger.execute(
          `thing-${thingId}`,
          thingDecider,
          { type: 'RecordThing', data: { thingId, name: ctx.body.name } },
          ctx.commandOptions(),
        );
        return written(result, { id: thingId, status: 201, location: `/test/things/${thingId}` });
      },
    });

    r.defineRoute({
      method: 'post',
      path: '/test/things/{id}/renames',
      auth: 'write',
      summary: 'Rename a thing',
      params: idParams,
      body: z.object({ name: z.string().min(1).max(20) }).strict(),
      responses: { 200: { description: 'renamed', schema: writeResultSchema } },
      handler: async (ctx) => {
        const result = await ledger.execute(
          `thing-${ctx.params.id}`,
          thingDecider,
          { type: 'RenameThing', data: { name: ctx.body.name } },
          ctx.commandOptions(),
        );
        return written(result, { id: ctx.params.id, status: 200 });
      },
    });

    r.defineRoute({
      method: 'get',
      path: '/test/numbers',
      auth: 'public',
      summary: 'A paged list',
      query: pageQuery.extend({ asOf: asOf.optional() }),
      responses: { 200: { description: 'numbers', schema: pageSchema(z.number()) } },
      handler: (ctx) => ok(paginate(Array.from({ length: 120 }, (_, i) => i + 1), ctx.query, ctx.url)),
    });

    r.defineRoute({
      method: 'get',
      path: '/test/whoami',
      auth: 'public',
      summary: 'Who calls',
      responses: { 200: { description: 'the caller' } },
      handler: (ctx) =>
        ok({ role: ctx.caller.role, id: ctx.caller.id, personal: readsPersonalData(ctx.caller), correlationId: ctx.correlationId }),
    });

    r.defineRoute({
      method: 'get',
      path: '/test/read',
      auth: 'read',
      summary: 'For read roles',
      responses: { 200: { description: 'ok' } },
      handler: (ctx) => ok({ role: ctx.caller.role }),
    });

    r.defineRoute({
      method: 'post',
      path: '/test/admin',
      auth: 'admin',
      summary: 'For admins',
      responses: { 200: { description: 'ok' } },
      handler: () => ok({ done: true }),
    });

    r.defineRoute({
      method: 'get',
      path: '/test/failures/{kind}',
      auth: 'public',
      summary: 'Throws the error named',
      params: z.object({ kind: z.enum(['boom', 'unavailable', 'contention', 'conflict', 'not-found', 'options']) }),
      responses: { 200: { description: 'never' } },
      handler: (ctx) => {
        switch (ctx.params.kind) {
          case 'boom':
            throw new Error('secret internals at /srv/ledger');
          case 'unavailable':
            throw new StoreUnavailable('database at /srv/ledger.db is locked');
          case 'contention':
            throw new TooMuchContention('still conflicting');
          case 'conflict':
            throw new ConcurrencyConflict('thing-1', 3n, 4n);
          case 'not-found':
            throw new NotFound('thing', '42');
          case 'options':
            throw new InvalidCommandOptions('recordedAt: not accepted');
        }
      },
    });
  };
}
