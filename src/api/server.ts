import type { Server } from 'node:http';
import type { Express } from 'express';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { createHandlers } from '../handlers';
import { openInstallation } from '../installation';
import { LedgerDigestProjection, loadOrCreateSigningKey } from '../integrity';
import { createReadModels, ProjectionRunner } from '../projections';
import type { EventStore } from '../store/port';
import { apiInfo, createApp } from './app';
import { idempotencyPathFor, openIdempotencyStore } from './idempotency-store';
import { localOfficeKey } from './local-key';
import { createLogger } from './logger';
import { allianceWrites } from './routes/alliance-writes';
import { boardWrites } from './routes/board-writes';
import { groupWrites } from './routes/group-writes';
import { ledgerRoutes } from './routes/ledger';
import { meetingWrites } from './routes/meeting-writes';
import { partnerWrites } from './routes/partner-writes';
import { readRoutes } from './routes/reads';
import { resolutionWrites } from './routes/resolution-writes';
import { subjectRoutes } from './routes/subjects';

export interface RunningServer {
  url: string;
  store: EventStore;
  /** the express app served (for apiInfo(app): the route list and the document) */
  app: Express;
  close(): Promise<void>;
}

/** How long a write waits for its read models before the answer fails (the event is stored either way). */
const SETTLE_TIMEOUT_MS = 10_000;

/** The file in which the read models' snapshot and checkpoint live, beside the ledger file. */
export function snapshotPathFor(config: Pick<Config, 'ledgerDb' | 'eventStoreUrl'>): string {
  // positions belong to one store: a snapshot of EventStoreDB's log must never be read against the embedded one
  return join(dirname(config.ledgerDb), config.eventStoreUrl ? 'read-models.eventstoredb.snapshot' : 'read-models.snapshot');
}

/**
 * Opens the store, restores and catches up the read models, and serves the API. Prints where it listens, which
 * store it uses, and (outside production, with no keys configured) the local office key it created.
 */
export async function startServer(config: Config, options: { logger?: Logger; host?: string; print?: (line: string) => void } = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config);
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const keys = [...config.apiKeys];
  if (keys.length === 0 && config.nodeEnv !== 'production') {
    const local = localOfficeKey(config.ledgerDb);
    keys.push(local.key);
    if (local.created) print(`created a local office key (kept in ${local.path}): ${local.key.key}`);
  }

  const installation = await openInstallation(config);
  const { store, ledger, protector } = installation;
  let head: bigint | null;
  try {
    // an unreachable EventStoreDB is reported now, clearly, not at the first request
    head = await store.headPosition();
  } catch (error) {
    await installation.close().catch(() => undefined);
    throw error;
  }
  if (installation.keyStoreCreated && head !== null) {
    logger.warn(`the subject key store ${installation.keyStorePath} was created for a ledger that holds events: personal data recorded before reads as erased (restore the key store from its backup, or check LEDGER_SUBJECT_KEYS)`);
  }
  const signingKey = loadOrCreateSigningKey({ directory: dirname(config.ledgerDb) });
  const digest = new LedgerDigestProjection();
  const models = createReadModels([digest]);
  const runner = new ProjectionRunner(store, models, {
    snapshotPath: snapshotPathFor(config),
    log: { info: (m) => logger.info(m), warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
  });
  // an erasure recorded by another process (`ledger erase`, another instance) deletes the key this one may hold
  const erasures = runner.applied$.subscribe((event) => {
    try {
      installation.applyErasure(event);
    } catch (error) {
      logger.error(`cannot apply the erasure at position ${event.position} to the subject key store: ${(error as Error).message}`);
    }
  });
  await runner.start();
  const idempotency = openIdempotencyStore({ path: idempotencyPathFor(config.ledgerDb) });
  const handlers = createHandlers(ledger);
  const settle = { settle: (position: bigint) => runner.waitFor(position, { timeoutMs: SETTLE_TIMEOUT_MS }) };

  const app = createApp({
    config: { ...config, apiKeys: keys },
    store,
    ledger,
    ready: () => runner.ready,
    logger,
    idempotency,
    routes: [
      allianceWrites(handlers, settle),
      boardWrites(handlers, settle),
      meetingWrites(handlers, settle),
      resolutionWrites(handlers, settle),
      partnerWrites(handlers, settle),
      groupWrites(handlers, settle),
      subjectRoutes(installation.subjects, settle),
      readRoutes(models, { reveal: (holder, fields) => protector.reveal(holder, fields) }),
      ledgerRoutes({ store, digest, signingKey: signingKey.privateKey, publicKeyPem: signingKey.publicKeyPem }),
    ],
  });

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, options.host ?? '0.0.0.0', () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  print(`allianz-ledger listening on ${url} (store: ${store.description})`);

  let closing: Promise<void> | undefined;
  return {
    url,
    store,
    app,
    close: () =>
      (closing ??= (async () => {
        await apiInfo(app).close();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await runner.stop();
        erasures.unsubscribe();
        idempotency.close();
        await installation.close();
      })()),
  };
}
