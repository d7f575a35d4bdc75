import { CommanderError } from 'commander';
import { ZodError } from 'zod';
import { ConfigError } from '../config';
import { DomainRuleViolated, NotFound } from '../domain/shared/errors';
import { InvalidCommandOptions, PreconditionFailed } from '../ledger/errors';
import { ProjectionFailed } from '../projections/runner';
import { StoreCorrupted, StoreUnavailable } from '../store/errors';

/**
 * The `ledger` command's exit codes, and the one place errors are mapped to them (STYLE.md: errors that cross a
 * boundary are mapped once to HTTP problems and once to exit codes).
 */
export const ExitCode = {
  ok: 0,
  /** a check failed: the ledger does not verify, or it cannot be read as written */
  checkFailed: 1,
  /** bad usage or input: unknown command or report, malformed date, missing ledger file, a domain rule broken */
  usage: 2,
  /** the event store cannot be reached */
  storeUnreachable: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The caller asked for something that cannot be done as asked; nothing was written. */
export class UsageError extends Error {
  override readonly name: string = 'UsageError';
}

/** A read command was pointed at a ledger file that does not exist: only `seed` and `serve` create one. */
export class LedgerMissing extends UsageError {
  override readonly name = 'LedgerMissing';
  constructor(readonly path: string) {
    super(`no ledger at ${path} (set LEDGER_DB or --db; \`ledger seed\` or \`ledger serve\` creates one)`);
  }
}

/** A verification ran and found the ledger (or an export) not as it was written or signed. */
export class CheckFailed extends Error {
  override readonly name = 'CheckFailed';
}

/** Commander's codes for help and version output: not errors unless the help stood in for a missing subcommand. */
const INFORMATIONAL = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

const NODE_USAGE_CODES = new Set(['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR', 'EROFS', 'EEXIST', 'EADDRINUSE', 'EADDRNOTAVAIL', 'EPERM']);

/** The exit code for an error; anything unexpected counts as a failure (1). */
export function exitCodeFor(error: unknown): ExitCode {
  return knownCode(error) ?? ExitCode.checkFailed;
}

/** The code of an error the CLI expects, or undefined for a programming error. */
function knownCode(error: unknown): ExitCode | undefined {
  if (error instanceof CommanderError) return INFORMATIONAL.has(error.code) && error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  if (error instanceof StoreUnavailable) return ExitCode.storeUnreachable;
  if (error instanceof CheckFailed || error instanceof StoreCorrupted || error instanceof ProjectionFailed) return ExitCode.checkFailed;
  if (
    error instanceof UsageError ||
    error instanceof ConfigError ||
    error instanceof ZodError ||
    error instanceof RangeError ||
    error instanceof DomainRuleViolated ||
    error instanceof NotFound ||
    error instanceof PreconditionFailed ||
    error instanceof InvalidCommandOptions
  ) {
    return ExitCode.usage;
  }
  if (isNodeError(error) && NODE_USAGE_CODES.has(error.code)) return ExitCode.usage;
  return undefined;
}

/** One line for stderr: what went wrong, in the caller's terms. */
export function errorLine(error: unknown): string {
  if (error instanceof CommanderError) return `${error.message.replace(/^error: /, '')} (see ledger --help)`;
  if (error instanceof DomainRuleViolated) return `${error.message} (rule: ${error.rule})`;
  if (error instanceof StoreUnavailable) return `the event store cannot be reached: ${error.message}`;
  if (error instanceof ZodError) return error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
  if (isNodeError(error) && error.code === 'EADDRINUSE') return `the port is in use: ${error.message}`;
  const message = messageOf(error);
  return knownCode(error) === undefined ? `unexpected error: ${message} (run with --debug for details)` : message;
}

/** Node's system errors, by shape (they may come from another realm than this module's Error). */
function isNodeError(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  return typeof error === 'object' && error !== null && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

/** Commander's help or version output (also the help shown for a missing subcommand): written already. */
export function isInformational(error: unknown): boolean {
  return error instanceof CommanderError && INFORMATIONAL.has(error.code);
}

/** The text for stderr, one line unless `debug` asks for the stack; nothing for help output. */
export function describeError(error: unknown, debug: boolean): string {
  if (isInformational(error)) return '';
  const line = `ledger: ${oneLine(errorLine(error))}`;
  const stack = (error as { stack?: unknown } | null)?.stack;
  if (!debug || typeof stack !== 'string' || error instanceof CommanderError) return `${line}\n`;
  return `${line}\n${stack}\n${causeChain(error)}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

function causeChain(error: unknown): string {
  let text = '';
  let cause = (error as { cause?: unknown }).cause;
  for (let depth = 0; cause !== undefined && cause !== null && depth < 5; depth++) {
    const stack = (cause as { stack?: unknown }).stack;
    text += `caused by: ${typeof stack === 'string' ? stack : messageOf(cause)}\n`;
    cause = typeof cause === 'object' ? (cause as { cause?: unknown }).cause : undefined;
  }
  return text;
}
