// first, as in src/cli/main.ts: the `.openapi()` extension must exist before any schema of ours is built
import '../../src/api/openapi-zod';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startServer } from '../../src/api/server';
import type { CliIo } from '../../src/cli/io';
import { runCli } from '../../src/cli/main';
import { loadConfig } from '../../src/config';
import { openInstallation } from '../../src/installation';
import { isEncrypted } from '../../src/privacy/cipher';
import { personalDataByEventType } from '../../src/privacy/personal-fields';
import { openEventStoreDbStore } from '../../src/store/eventstoredb';
import type { EventStore, StoredEvent } from '../../src/store/port';
import { EsdbDouble } from '../support/esdb-double';

/**
 * A scan of the seeded ledger: the personal values of the press-release seed (the contact person, the titles standing
 * as board members' names) appear in no file of the installation and in no stored event's data, metadata, stream
 * name or type, except inside `enc:v1:` values; on the embedded store and on EventStoreDB (the wire-level double).
 */

const SEED_PERSONAL = [
  'Erika Mustermann',
  'erika.mustermann@example.org',
  'Staatssekretär:in (Vorsitz)',
  'Abteilungsleitung Berufliche Bildung',
  'Geschäftsführung',
  'Hauptgeschäftsführung (stellv. Vorsitz)',
  'Hauptgeschäftsführung',
  'Vorsitz des Bezirks',
];

async function ledger(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: {},
    now: () => new Date('2025-09-12T16:00:00+02:00'),
    untilStopped: async () => undefined,
  };
  return { code: await runCli(argv, io), stdout, stderr };
}

async function allEvents(store: EventStore): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const event of store.readAll()) if (!event.stream.startsWith('$') && !event.type.startsWith('$')) events.push(event);
  return events;
}

/** Every string in a JSON value, with its path. */
function strings(value: unknown, path = ''): { path: string; text: string }[] {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  return [];
}

/** Personal values found in the clear in an event: in its stream name, type, or any string of data or metadata that is not ciphertext. */
function personalInTheClear(events: StoredEvent[]): string[] {
  const found: string[] = [];
  for (const e of events) {
    const clear = [
      { path: 'stream', text: e.stream },
      { path: 'type', text: e.type },
      ...strings(e.data, 'data').filter((s) => !isEncrypted(s.text)),
      ...strings(e.metadata, 'metadata'),
    ];
    for (const { path, text } of clear) for (const value of SEED_PERSONAL) if (text.includes(value)) found.push(`${e.type} ${path}: ${value}`);
  }
  return found;
}

/** Fields marked personal in the schemas that are not encrypted. */
function unencryptedPersonalFields(events: StoredEvent[]): string[] {
  const found: string[] = [];
  for (const e of events) {
    for (const holder of personalDataByEventType.get(e.type) ?? []) {
      let node: unknown = e.data;
      for (const step of holder.path) node = (node as Record<string, unknown>)[step];
      const object = node as Record<string, unknown>;
      for (const field of holder.fields) if (field in object && !isEncrypted(object[field])) found.push(`${e.type} ${[...holder.path, field].join('.')}`);
    }
  }
  return found;
}

function filesWithPersonalData(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const bytes = readFileSync(join(dir, name));
    return SEED_PERSONAL.filter((value) => bytes.includes(Buffer.from(value, 'utf8'))).map((value) => `${name}: ${value}`);
  });
}

describe('a scan of the seeded ledger finds no personal data outside encrypted fields', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-scan-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('embedded store: every file of the installation (after the server ran on it) and every stored event', async () => {
    const ledgerDb = join(dir, 'ledger.db');
    expect(await ledger(['seed', '--db', ledgerDb])).toMatchObject({ code: 0, stderr: '' });
    const config = loadConfig({ LEDGER_DB: ledgerDb, LEDGER_API_KEYS: 'office:office-key-scan-0123456789', NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'silent' });
    const server = await startServer(config, { logger: pino({ level: 'silent' }), host: '127.0.0.1', print: () => undefined });
    // a privileged read decrypts (so the scan below is of data that is there), then the server writes its snapshot on stopping
    const res = await fetch(`${server.url.replace('localhost', '127.0.0.1')}/v1/board`, { headers: { Authorization: 'Bearer office-key-scan-0123456789' } });
    expect(await res.text()).toContain('Staatssekretär:in (Vorsitz)');
    const events = await allEvents(server.store);
    await server.close();

    expect(events.length).toBeGreaterThan(20);
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(['ledger.db', 'subject-keys.db', 'read-models.snapshot', 'idempotency.db']));
    expect(filesWithPersonalData(dir)).toEqual([]);
    expect(personalInTheClear(events)).toEqual([]);
    expect(unencryptedPersonalFields(events)).toEqual([]);
    // the scan sees personal fields (one contact and nine members), and would see them in the clear
    expect(events.filter((e) => personalDataByEventType.has(e.type)).length).toBe(10);
    const clear = events.map((e) => (e.type === 'PartnerApplied' ? { ...e, data: { ...(e.data as object), contact: { subjectId: 'x', name: 'Erika Mustermann', email: 'e' } } } : e));
    expect(personalInTheClear(clear)).toEqual(['PartnerApplied data.contact.name: Erika Mustermann']);
    expect(unencryptedPersonalFields(clear)).toEqual(['PartnerApplied contact.name', 'PartnerApplied contact.email']);
  });

  describe('EventStoreDB (the wire-level double)', () => {
    let double: EsdbDouble;
    beforeEach(async () => {
      double = await EsdbDouble.start();
    });
    afterEach(async () => double.stop());

    it('keeps the key store beside LEDGER_DB, the log holds ciphertext only, and an erasure works the same', async () => {
      const ledgerDb = join(dir, 'ledger.db');
      const esdb = ['--db', ledgerDb, '--eventstore-url', double.connectionString];
      expect(await ledger(['seed', ...esdb])).toMatchObject({ code: 0, stderr: '' });
      expect(existsSync(ledgerDb)).toBe(false);
      expect(readdirSync(dir)).toContain('subject-keys.db');

      const store = await openEventStoreDbStore({ connectionString: double.connectionString });
      let events: StoredEvent[];
      try {
        events = await allEvents(store);
      } finally {
        await store.close();
      }
      expect(personalInTheClear(events)).toEqual([]);
      expect(unencryptedPersonalFields(events)).toEqual([]);
      expect(filesWithPersonalData(dir)).toEqual([]);

      const applied = events.find((e) => e.type === 'PartnerApplied')!;
      const subjectId = (applied.data as { contact: { subjectId: string } }).contact.subjectId;
      const before = await ledger(['report', 'partners', ...esdb, '--with-personal-data', '--format', 'csv']);
      expect(before.stdout).toContain('Erika Mustermann');
      expect(await ledger(['erase', subjectId, '--reason', 'Art. 17 DSGVO', ...esdb])).toMatchObject({ code: 0, stderr: '' });
      const after = await ledger(['report', 'partners', ...esdb, '--with-personal-data', '--format', 'csv']);
      expect(after).toMatchObject({ code: 0, stderr: '' });
      expect(after.stdout).not.toContain('Erika Mustermann');
      expect(after.stdout).toContain('(gelöscht)');
      expect(await ledger(['verify', ...esdb])).toMatchObject({ code: 0, stderr: '' });
      expect((await ledger(['erase', subjectId, '--reason', 'again', ...esdb])).code).toBe(2);
    });
  });

  it('LEDGER_SUBJECT_KEYS puts the key store elsewhere; the composition root writes nothing personal in the clear', async () => {
    const ledgerDb = join(dir, 'ledger.db');
    const keysFile = join(dir, 'keys', 'elsewhere.db');
    expect(await ledger(['seed', '--db', ledgerDb, '--subject-keys', keysFile])).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(keysFile)).toBe(true);
    expect(existsSync(join(dir, 'subject-keys.db'))).toBe(false);

    const installation = await openInstallation({ ledgerDb, subjectKeys: keysFile });
    try {
      expect(installation.keyStorePath).toBe(keysFile);
      expect(installation.keyStoreCreated).toBe(false);
      const events = await allEvents(installation.store);
      expect(unencryptedPersonalFields(events)).toEqual([]);
      const applied = events.find((e) => e.type === 'PartnerApplied')!;
      const contact = (applied.data as { contact: Record<string, unknown> }).contact;
      expect(installation.protector.reveal(contact, ['name', 'email', 'phone'])).toMatchObject({ name: 'Erika Mustermann' });
    } finally {
      await installation.close();
    }
    // the report finds the keys where the configuration says, and without them the data reads erased
    const env = ['--db', ledgerDb];
    expect((await ledger(['report', 'partners', ...env, '--subject-keys', keysFile, '--with-personal-data', '--format', 'csv'])).stdout).toContain('Erika Mustermann');
    const missing = await ledger(['report', 'partners', ...env, '--with-personal-data', '--format', 'csv']);
    expect(missing).toMatchObject({ code: 0, stderr: '' });
    expect(missing.stdout).not.toContain('Erika Mustermann');
    // a read-only command created no key store where none was configured
    expect(existsSync(join(dir, 'subject-keys.db'))).toBe(false);
  });
});
