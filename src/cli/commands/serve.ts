import { loadConfig } from '../../config';
import type { CliIo, StartServer } from '../io';
import type { StoreOptions } from '../store-access';

export interface ServeOptions extends StoreOptions {
  port?: string;
}

/**
 * `ledger serve` (what `npm start` runs): the HTTP API until SIGINT or SIGTERM; the server prints where it listens.
 * The store file is created when missing.
 */
export async function serveCommand(options: ServeOptions, io: CliIo): Promise<void> {
  const env = { ...io.env };
  if (options.db !== undefined) env.LEDGER_DB = options.db;
  if (options.eventstoreUrl !== undefined) env.EVENTSTORE_URL = options.eventstoreUrl;
  if (options.subjectKeys !== undefined) env.LEDGER_SUBJECT_KEYS = options.subjectKeys;
  if (options.port !== undefined) env.PORT = options.port;
  const config = loadConfig(env);
  const startServer: StartServer = io.startServer ?? (await import('../../api/server')).startServer;
  const server = await startServer(config);
  await io.untilStopped();
  await server.close();
}
