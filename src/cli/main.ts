// First: zod 4 gives a schema the methods its classes had when it was created, so the API's `.openapi()` extension
// must be in place before any schema of ours is built, and `serve` loads the API into this process.
import '../api/openapi-zod';
import { describeError, exitCodeFor, ExitCode } from './exit-codes';
import type { CliIo } from './io';
import { buildProgram } from './program';

/**
 * Runs the `ledger` command with `argv` (the arguments after the program name) and answers its exit code. Never
 * throws: an error becomes one line on stderr (its stack too with --debug) and the code exit-codes.ts maps it to.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    io.stderr.write(describeError(error, debug));
    return exitCodeFor(error);
  }
}

/** The process around runCli: real streams, environment and clock; SIGINT/SIGTERM stop `serve`. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    now: () => new Date(),
    untilStopped: () =>
      new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      }),
  };
}

/** What bin/ledger.js calls. Exits once the output is flushed, so that no open handle (a store client) keeps it alive. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  // a reader that went away (`ledger report board | head`) is not an error of the ledger's
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
  });
  const code = await runCli(argv, processIo());
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  process.exit(code);
}

if (require.main === module) void main();
