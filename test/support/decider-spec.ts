import type { Command, Decider, DomainEvent } from '../../src/domain/shared/decider';
import { DomainRuleViolated, NotFound } from '../../src/domain/shared/errors';

/**
 * Given/when/then for deciders:
 *   spec(decider).given([...events]).when(command).then([...events])
 *   spec(decider).given([...events]).when(command).thenRefuses('rule-slug')
 */
export function spec<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>) {
  return {
    given(events: readonly E[]) {
      const state = events.reduce<S>((s, e) => decider.evolve(s, e), decider.initialState);
      return {
        when(command: C) {
          const run = () => decider.decide(command, state);
          return {
            then(expected: readonly E[]) {
              expect(run()).toEqual(expected);
            },
            /** the decided events, for assertions on parts of them */
            events(): E[] {
              return run();
            },
            /** a domain rule refuses the command: DomainRuleViolated with this rule slug */
            thenRefuses(rule: string) {
              let error: unknown;
              try {
                run();
              } catch (e) {
                error = e;
              }
              expect(error).toBeInstanceOf(DomainRuleViolated);
              expect((error as DomainRuleViolated).rule).toBe(rule);
            },
            thenNotFound(what: string) {
              let error: unknown;
              try {
                run();
              } catch (e) {
                error = e;
              }
              expect(error).toBeInstanceOf(NotFound);
              expect((error as NotFound).what).toBe(what);
            },
          };
        },
      };
    },
  };
}
