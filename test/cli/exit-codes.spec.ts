import { CommanderError } from 'commander';
import { z } from 'zod';
import { CheckFailed, describeError, exitCodeFor, LedgerMissing, UsageError } from '../../src/cli/exit-codes';
import { ConfigError } from '../../src/config';
import { DomainRuleViolated, NotFound } from '../../src/domain/shared/errors';
import { StoreCorrupted, StoreUnavailable } from '../../src/store/errors';

describe('exit codes', () => {
  const cases: [string, unknown, number, string][] = [
    ['the store unreachable', new StoreUnavailable('read $all: connect ECONNREFUSED'), 3, 'ledger: the event store cannot be reached: read $all: connect ECONNREFUSED\n'],
    ['a verification that failed', new CheckFailed('verification failed after 3 events'), 1, 'ledger: verification failed after 3 events\n'],
    ['a store whose data is damaged', new StoreCorrupted('event data is not valid JSON'), 1, 'ledger: event data is not valid JSON\n'],
    ['a domain rule broken', new DomainRuleViolated('seat-category-full', 'no free seat in category union'), 2, 'ledger: no free seat in category union (rule: seat-category-full)\n'],
    ['something not found', new NotFound('partner', 'abc'), 2, 'ledger: partner abc not found\n'],
    ['bad usage', new UsageError('--from is after --to'), 2, 'ledger: --from is after --to\n'],
    ['a missing ledger', new LedgerMissing('/x/ledger.db'), 2, 'ledger: no ledger at /x/ledger.db (set LEDGER_DB or --db; `ledger seed` or `ledger serve` creates one)\n'],
    ['a bad configuration', new ConfigError('PORT must be a number'), 2, 'ledger: PORT must be a number\n'],
    ['input that breaks a schema', z.object({ a: z.string() }).safeParse({ a: 1 }).error, 2, 'ledger: a: Invalid input: expected string, received number\n'],
    ['a commander usage error', new CommanderError(1, 'commander.unknownCommand', "error: unknown command 'x'"), 2, "ledger: unknown command 'x' (see ledger --help)\n"],
    ['help output', new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'), 0, ''],
    ['a programming error', new TypeError('x is not a function'), 1, 'ledger: unexpected error: x is not a function (run with --debug for details)\n'],
  ];
  for (const [what, error, code, line] of cases) {
    it(`${what}: exit ${code}, one line`, () => {
      expect(exitCodeFor(error)).toBe(code);
      expect(describeError(error, false)).toBe(line);
    });
  }

  it('adds the stack and the causes with --debug', () => {
    const error = new StoreUnavailable('append failed', new Error('SQLITE_BUSY'));
    const text = describeError(error, true);
    expect(text).toMatch(/^ledger: the event store cannot be reached: append failed\nStoreUnavailable: append failed\n\s+at /);
    expect(text).toMatch(/caused by: Error: SQLITE_BUSY/);
  });
});
