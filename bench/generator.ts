/**
 * A realistic history of any size, as an embedded-store file: a decade of the alliance scaled up (partners applying,
 * admitted, rejected, leaving; resolutions proposed, voted, decided, corrected; meetings with invitations; groups
 * formed and joined; board appointments; the patron's statements; one entry in ten back-dated).
 *
 * The events come from the read-model benchmark's generator (bench/projections.bench.ts) and are enveloped here
 * exactly as the ledger envelopes them: canonical copies of data and metadata, recordedAt, actor, correlation and
 * causation ids, schema version, and each stream's hash chain (eventHash of src/ledger/hash-chain.ts). They are
 * written straight to the store's table in big transactions: a million commands through the ledger with
 * synchronous=FULL would take hours on this machine (see the command-path figure). verifyLedger accepts the result.
 *
 * Generated files are cached under os.tmpdir() by size, so a second run does not regenerate them.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CURRENT_SCHEMA_VERSION, eventSchemas } from '../src/domain/events';
import { canonicalCopy } from '../src/ledger/canonical-json';
import { GENESIS_HASH, eventHash } from '../src/ledger/hash-chain';
import { configureConnection, migrate } from '../src/store/embedded/schema';
import { generate } from './projections.bench';

const VERSION = 1;

export interface GeneratedHistory {
  path: string;
  events: number;
  /** seconds spent generating (0 when the cached file was used) */
  seconds: number;
  cached: boolean;
  /** events checked against their zod schemas while generating (every 10th), and how many failed */
  checked: number;
  invalid: number;
}

export function historyPath(size: number): string {
  return join(tmpdir(), `allianz-ledger-bench-history-v${VERSION}-${size}.db`);
}

export function generateHistory(size: number, log: (line: string) => void = () => undefined): GeneratedHistory {
  const path = historyPath(size);
  if (existsSync(path)) {
    const db = new Database(path, { readonly: true });
    const events = Number(db.prepare('SELECT count(*) FROM events').pluck().get());
    db.close();
    return { path, events, seconds: 0, cached: true, checked: 0, invalid: 0 };
  }
  const partial = `${path}.partial`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(partial + suffix, { force: true });
  const started = process.hrtime.bigint();
  const db = new Database(partial);
  configureConnection(db, 5000);
  migrate(db);
  db.pragma('synchronous = OFF'); // a cache file, rebuilt if lost
  const insert = db.prepare('INSERT INTO events (stream, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)');
  type Row = [string, number, string, string, string, string];
  const write = db.transaction((rows: Row[]) => {
    for (const row of rows) insert.run(...row);
  });
  const chains = new Map<string, { revision: bigint; hash: string }>();
  const actor = { id: 'office-bench', role: 'office' as const };
  let rows: Row[] = [];
  let count = 0;
  let checked = 0;
  let invalid = 0;
  let correlationId = randomUUID();
  for (const event of generate(size)) {
    const chain = chains.get(event.stream) ?? { revision: -1n, hash: GENESIS_HASH };
    const revision = chain.revision + 1n;
    const source = event.metadata as { recordedAt: string; occurredAt: string };
    if (count % 10 === 0) {
      checked += 1;
      const schema = (eventSchemas as Record<string, { safeParse(v: unknown): { success: boolean } }>)[event.type];
      if (!schema || !schema.safeParse(event.data).success) invalid += 1;
    }
    // a command's events share a correlation id; most commands write one event
    if (revision === 0n || count % 3 === 0) correlationId = randomUUID();
    const eventId = randomUUID();
    const data = canonicalCopy(event.data);
    const metadata = {
      recordedAt: source.recordedAt,
      occurredAt: source.occurredAt,
      actor,
      correlationId,
      causationId: correlationId,
      schemaVersion: CURRENT_SCHEMA_VERSION,
      prevHash: chain.hash,
    };
    const hash = eventHash({ eventId, stream: event.stream, revision, type: event.type, data, metadata });
    chains.set(event.stream, { revision, hash });
    rows.push([event.stream, Number(revision), eventId, event.type, JSON.stringify(data), JSON.stringify(canonicalCopy({ ...metadata, hash }))]);
    count += 1;
    if (rows.length === 20_000) {
      write(rows);
      rows = [];
      if (count % 200_000 === 0) log(`  generated ${count} events`);
    }
  }
  if (rows.length > 0) write(rows);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  renameSync(partial, path);
  for (const suffix of ['-wal', '-shm']) rmSync(partial + suffix, { force: true });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { path, events: count, seconds, cached: false, checked, invalid };
}

if (require.main === module) {
  const size = Number(process.argv[2] ?? 50_000);
  const result = generateHistory(size, console.log);
  console.log(result);
}
