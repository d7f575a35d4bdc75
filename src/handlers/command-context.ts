import type { Actor } from '../domain/shared/decider';
import { newEntityId } from '../ledger/event-ids';
import type { ExecuteOptions, ExecuteResult } from '../ledger/ledger';

/** Who asks, and how: what the API or the CLI passes with every command. */
export interface CommandContext {
  actor: Actor;
  /** If-Match: the revision the caller last saw */
  ifMatch?: bigint;
  /** makes a retried command append nothing; also makes the ids it creates deterministic */
  idempotencyKey?: string;
  correlationId?: string;
}

/** What a write answers: the entity's id, the stream's revision and the global position of its last event. */
export interface Written<S = unknown> {
  id: string;
  stream: string;
  revision: bigint;
  position?: bigint;
  appended: boolean;
  state: S;
}

/** `creates`: the command starts the stream of an entity whose id newId just made (see ExecuteOptions.newStream). */
export function options(ctx: CommandContext, creates = false): ExecuteOptions {
  return {
    actor: ctx.actor,
    ...(creates && { newStream: true as const }),
    ...(ctx.ifMatch !== undefined && { ifMatch: ctx.ifMatch }),
    ...(ctx.idempotencyKey !== undefined && { idempotencyKey: ctx.idempotencyKey }),
    ...(ctx.correlationId !== undefined && { correlationId: ctx.correlationId }),
  };
}

/** A new id for something the command creates; `purpose` keeps two ids of one command apart. */
export function newId(ctx: CommandContext, purpose = 'id'): string {
  return newEntityId(ctx.idempotencyKey, purpose);
}

export function written<S>(id: string, result: ExecuteResult<S>): Written<S> {
  return {
    id,
    stream: result.stream,
    revision: result.revision,
    ...(result.position !== undefined && { position: result.position }),
    appended: result.appended,
    state: result.state,
  };
}
