/**
 * The shape every stream kind follows (a decider): decide(command, state) → events, evolve(state, event) → state.
 * Pure: time, ids and the actor come in with the command; facts from other streams come in as the command's context,
 * loaded by the command handler.
 */

export type ActorRole = 'office' | 'auditor' | 'admin' | 'system';

export interface Actor {
  id: string;
  role: ActorRole;
}

export interface CommandMetadata {
  /** the server's clock when the command arrived (RFC 3339); used for "not in the future" rules only */
  now: string;
  actor: Actor;
}

export interface Command<T extends string = string, D = unknown> {
  type: T;
  data: D;
  metadata: CommandMetadata;
}

/** An event as the domain decides it; the ledger wraps it into the stored envelope. */
export interface DomainEvent<T extends string = string, D = unknown> {
  type: T;
  data: D;
  /** when it happened in the world: a date (YYYY-MM-DD, Europe/Berlin) or an RFC 3339 instant */
  occurredAt: string;
}

export interface Decider<C extends Command, E extends DomainEvent, S> {
  decide(command: C, state: S): E[];
  evolve(state: S, event: E): S;
  initialState: S;
}

/** Folds events into state; what the command handler and the tests use. */
export function fold<E extends DomainEvent, S>(decider: Pick<Decider<never, E, S>, 'evolve' | 'initialState'>, events: readonly E[]): S {
  return events.reduce<S>((state, event) => decider.evolve(state, event), decider.initialState);
}

/** For exhaustive switches: a missing case is a compile error. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}
