import type { Config } from '../config';

/** Where the CLI writes: process.stdout / process.stderr, or a buffer in tests. */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** What `ledger serve` gets from the API module: the signature of src/api/server.ts's startServer. */
export type StartServer = (config: Config) => Promise<{ url: string; close(): Promise<void> }>;

/**
 * Everything the CLI takes from its surroundings, so that tests run it in-process with their own clock and
 * buffers, and the real process passes its own.
 */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  /** the wall clock: recordedAt of what `seed` records, "today" and the creation time of reports */
  now: () => Date;
  /** `serve`: resolves when the server should stop (SIGINT or SIGTERM in the real process) */
  untilStopped: () => Promise<void>;
  /** `serve`: default the API's startServer, loaded only when `serve` runs */
  startServer?: StartServer;
}
