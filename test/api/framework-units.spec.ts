import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { admits, constantTimeEquals, keyIdOf, KeyRing } from '../../src/api/auth';
import { berlinDayStart, nextBerlinDayStart } from '../../src/api/berlin-days';
import { parseIdempotencyKey, parseIfMatch } from '../../src/api/headers';
import { idempotencyPathFor, openIdempotencyStore } from '../../src/api/idempotency-store';
import { HttpProblem } from '../../src/api/problems';
import { helmetDefaults } from '../../src/api/security-headers';
import { jsonDepthExceeds, ValidationMemo } from '../../src/api/validation';
import { z } from '../../src/api/openapi-zod';
import { ConfigError, loadConfig, parseKeysFile } from '../../src/config';

/** The framework's pure parts. */

describe('constantTimeEquals', () => {
  it('is string equality, whatever the lengths', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => constantTimeEquals(a, b) === (a === b)));
    fc.assert(fc.property(fc.string(), (a) => constantTimeEquals(a, a)));
    expect(constantTimeEquals('key', 'key ')).toBe(false);
    expect(constantTimeEquals('', '')).toBe(true);
  });
});

describe('KeyRing', () => {
  const ring = new KeyRing([
    { role: 'office', key: 'office-secret-1' },
    { role: 'auditor', key: 'auditor-secret-1' },
  ]);

  it('identifies a known key and nothing else', () => {
    expect(ring.identify('office-secret-1')).toMatchObject({ role: 'office', anonymous: false });
    expect(ring.identify('auditor-secret-1')?.role).toBe('auditor');
    fc.assert(
      fc.property(fc.string(), (k) => {
        fc.pre(k !== 'office-secret-1' && k !== 'auditor-secret-1');
        return ring.identify(k) === undefined;
      }),
    );
  });

  it('derives stable ids that do not contain the key', () => {
    expect(keyIdOf('office', 'office-secret-1')).toBe(keyIdOf('office', 'office-secret-1'));
    expect(keyIdOf('office', 'office-secret-1')).toMatch(/^office-[0-9a-f]{16}$/);
    expect(keyIdOf('office', 'a')).not.toBe(keyIdOf('office', 'b'));
    expect(ring.identify('office-secret-1')?.id).toBe(keyIdOf('office', 'office-secret-1'));
  });

  it('reads the Authorization header: anonymous without, 401 for anything but a known bearer key', () => {
    expect(ring.callerFor(undefined).anonymous).toBe(true);
    expect(ring.callerFor('Bearer office-secret-1').role).toBe('office');
    for (const header of ['Bearer nope', 'Basic b2ZmaWNl', 'Bearer', 'office-secret-1', 'Bearer office-secret-1 extra']) {
      expect(() => ring.callerFor(header)).toThrow(HttpProblem);
    }
  });

  it('remembers headers that named a known key, never others: a wrong key is checked in full every time', () => {
    const remembering = new KeyRing([
      { role: 'office', key: 'office-secret-1' },
      { role: 'auditor', key: 'auditor-secret-1' },
    ]);
    const identify = jest.spyOn(remembering, 'identify');
    expect(remembering.callerFor('Bearer office-secret-1').role).toBe('office');
    expect(remembering.callerFor('Bearer office-secret-1').role).toBe('office');
    expect(remembering.callerFor('Bearer auditor-secret-1').role).toBe('auditor');
    expect(remembering.callerFor('Bearer auditor-secret-1').role).toBe('auditor');
    expect(identify).toHaveBeenCalledTimes(2);
    identify.mockClear();
    for (let i = 0; i < 3; i++) expect(() => remembering.callerFor('Bearer office-secret-2')).toThrow(HttpProblem);
    expect(identify).toHaveBeenCalledTimes(3);
    // past the bound (headers differing in their spaces) it starts afresh and still answers right
    for (let i = 1; i <= 200; i++) expect(remembering.callerFor(`Bearer ${' '.repeat(i)}office-secret-1`).role).toBe('office');
    expect(remembering.callerFor('Bearer auditor-secret-1').role).toBe('auditor');
    expect(() => remembering.callerFor('Bearer office-secret-2')).toThrow(HttpProblem);
  });

  it('admits roles by level', () => {
    expect(admits('write', 'office')).toBe(true);
    expect(admits('write', 'admin')).toBe(false);
    expect(admits('read', 'auditor')).toBe(true);
    expect(admits('read', 'anonymous')).toBe(false);
    expect(admits('admin', 'admin')).toBe(true);
    expect(admits('public', 'anonymous')).toBe(true);
  });
});

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      ledgerDb: './data/ledger.db',
      eventStoreUrl: undefined,
      apiKeys: [],
      bodyLimitBytes: 1024 * 1024,
      rateLimit: { limit: 1200, windowMs: 60_000 },
      nodeEnv: 'development',
      logLevel: 'info',
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      LEDGER_DB: '/var/lib/ledger/ledger.db',
      EVENTSTORE_URL: 'esdb://localhost:2113?tls=false',
      LEDGER_API_KEYS: 'office:k1, auditor:k2,admin:k3',
      LEDGER_BODY_LIMIT: '512kb',
      LEDGER_RATE_LIMIT: '20/s',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      port: 8080,
      eventStoreUrl: 'esdb://localhost:2113?tls=false',
      apiKeys: [
        { role: 'office', key: 'k1' },
        { role: 'auditor', key: 'k2' },
        { role: 'admin', key: 'k3' },
      ],
      bodyLimitBytes: 512 * 1024,
      rateLimit: { limit: 20, windowMs: 1000 },
      nodeEnv: 'production',
      logLevel: 'warn',
    });
    expect(loadConfig({ LEDGER_RATE_LIMIT: '0' }).rateLimit).toBeNull();
    expect(loadConfig({ LEDGER_RATE_LIMIT: '100' }).rateLimit).toEqual({ limit: 100, windowMs: 60_000 });
  });

  it('reads a keys file, JSON or role:key lines, beside LEDGER_API_KEYS', () => {
    const files: Record<string, string> = {
      '/keys.json': '[{"role":"auditor","key":"j1"},{"role":"admin","key":"j2"}]',
      '/keys.map.json': '{"office":["m1","m2"],"admin":"m3"}',
      '/keys.txt': '# keys\noffice:t1\n\nauditor:t2\n',
    };
    const read = (p: string) => files[p] ?? (() => { throw new Error('ENOENT'); })();
    expect(loadConfig({ LEDGER_API_KEYS: 'office:o1', LEDGER_KEYS_FILE: '/keys.json' }, read).apiKeys.map((k) => k.key)).toEqual(['o1', 'j1', 'j2']);
    expect(loadConfig({ LEDGER_KEYS_FILE: '/keys.map.json' }, read).apiKeys).toEqual([
      { role: 'office', key: 'm1' },
      { role: 'office', key: 'm2' },
      { role: 'admin', key: 'm3' },
    ]);
    expect(loadConfig({ LEDGER_KEYS_FILE: '/keys.txt' }, read).apiKeys.map((k) => k.role)).toEqual(['office', 'auditor']);
    expect(() => loadConfig({ LEDGER_KEYS_FILE: '/missing' }, read)).toThrow(ConfigError);
  });

  it('refuses what it cannot understand, without echoing keys', () => {
    const refused = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error(`accepted ${JSON.stringify(env)}`);
    };
    refused({ PORT: '70000' });
    refused({ PORT: 'http' });
    refused({ LEDGER_BODY_LIMIT: 'lots' });
    refused({ LEDGER_RATE_LIMIT: '10/fortnight' });
    refused({ LOG_LEVEL: 'chatty' });
    refused({ LEDGER_API_KEYS: 'officekey' });
    refused({ LEDGER_API_KEYS: 'office:same,auditor:same' });
    expect(refused({ LEDGER_API_KEYS: 'owner:top-secret-value' })).not.toContain('top-secret-value');
    expect(refused({ LEDGER_API_KEYS: 'office:has space' })).not.toContain('has space');
    expect(() => parseKeysFile('[{"role":"office"}]', 'file')).toThrow(ConfigError);
  });
});

describe('request headers', () => {
  it('parses If-Match as one revision ≥ -1', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('"3"')).toBe(3n);
    expect(parseIfMatch('3')).toBe(3n);
    expect(parseIfMatch('"-1"')).toBe(-1n);
    expect(parseIfMatch('"9223372036854775807"')).toBe(9223372036854775807n);
    for (const bad of ['*', '', '"03"', '"-2"', 'W/"3"', '"3", "4"', '"9223372036854775808"', '"1.5"']) {
      expect(() => parseIfMatch(bad)).toThrow(HttpProblem);
    }
  });

  it('takes 1–200 printable ASCII characters as Idempotency-Key', () => {
    expect(parseIdempotencyKey('a')).toBe('a');
    expect(parseIdempotencyKey('x'.repeat(200))).toHaveLength(200);
    expect(parseIdempotencyKey('with inner space')).toBe('with inner space');
    for (const bad of ['', 'x'.repeat(201), 'ü', 'line\nbreak', ' lead']) expect(() => parseIdempotencyKey(bad)).toThrow(HttpProblem);
  });
});

describe('jsonDepthExceeds', () => {
  const depthOf = (value: unknown): number =>
    typeof value === 'object' && value !== null ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0;

  it('measures nesting of objects and arrays exactly, ignoring brackets in strings', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 9 }), (value, limit) => {
        const bytes = Buffer.from(JSON.stringify(value), 'utf8');
        expect(jsonDepthExceeds(bytes, limit)).toBe(depthOf(value) > limit);
      }),
    );
    expect(jsonDepthExceeds(Buffer.from('{"a":"[[[[\\"[[["}'), 1)).toBe(false);
    expect(jsonDepthExceeds(Buffer.from('['.repeat(33) + ']'.repeat(33)))).toBe(true);
    expect(jsonDepthExceeds(Buffer.from('['.repeat(32) + ']'.repeat(32)))).toBe(false);
  });
});

describe('ValidationMemo', () => {
  it('answers as validate does, from what it kept for the same text, each time a copy; refusals every time', () => {
    let parsed = 0;
    const counted = z.object({ id: z.string().regex(/^[a-z]+$/).transform((id) => ((parsed += 1), id)) }).strict();
    const memo = new ValidationMemo(counted, 'params');
    const first = memo.validate('abc', () => ({ id: 'abc' })) as { id: string };
    expect(first).toEqual({ id: 'abc' });
    first.id = 'changed by a handler';
    expect(memo.validate('abc', () => ({ id: 'abc' }))).toEqual({ id: 'abc' });
    expect(parsed).toBe(1);
    for (let i = 0; i < 2; i++) expect(() => memo.validate('ABC', () => ({ id: 'ABC' }))).toThrow(HttpProblem);
    // without a text nothing is kept
    memo.validate(undefined, () => ({ id: 'xyz' }));
    memo.validate(undefined, () => ({ id: 'xyz' }));
    expect(parsed).toBe(3);
  });

  it('keeps only flat answers, and no more texts than its capacity', () => {
    let parsed = 0;
    const nested = z.object({ tags: z.string().transform((t) => ((parsed += 1), t.split(','))) });
    const memo = new ValidationMemo(nested, 'query');
    for (let i = 0; i < 2; i++) expect(memo.validate('tags=a,b', () => ({ tags: 'a,b' }))).toEqual({ tags: ['a', 'b'] });
    expect(parsed).toBe(2);

    let flat = 0;
    const small = new ValidationMemo(z.object({ n: z.coerce.number().transform((n) => ((flat += 1), n)) }), 'query', 2);
    for (const text of ['1', '2', '3', '1']) expect(small.validate(text, () => ({ n: text }))).toEqual({ n: Number(text) });
    expect(flat).toBe(4);
    expect(small.validate('1', () => ({ n: '1' }))).toEqual({ n: 1 });
    expect(flat).toBe(4);
  });
});

describe('security headers', () => {
  it("are helmet's defaults, taken once", () => {
    const headers = new Map(helmetDefaults());
    expect(headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(headers.get('Strict-Transport-Security')).toMatch(/^max-age=/);
    expect(headers.get('Content-Security-Policy')).toContain("default-src 'self'");
    expect(headers.size).toBeGreaterThanOrEqual(12);
  });
});

describe('Berlin days', () => {
  it('start at local midnight, summer or winter, and across the switches', () => {
    expect(new Date(berlinDayStart('2025-01-15')).toISOString()).toBe('2025-01-14T23:00:00.000Z');
    expect(new Date(berlinDayStart('2025-07-15')).toISOString()).toBe('2025-07-14T22:00:00.000Z');
    expect(new Date(berlinDayStart('2025-03-30')).toISOString()).toBe('2025-03-29T23:00:00.000Z');
    expect(new Date(nextBerlinDayStart('2025-03-30')).toISOString()).toBe('2025-03-30T22:00:00.000Z');
    expect(new Date(berlinDayStart('2025-10-26')).toISOString()).toBe('2025-10-25T22:00:00.000Z');
    expect(new Date(nextBerlinDayStart('2025-10-26')).toISOString()).toBe('2025-10-26T23:00:00.000Z');
  });
});

describe('the idempotency store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-idem-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lives beside LEDGER_DB, keeps the first answer, survives reopening and prunes old records', () => {
    const path = idempotencyPathFor(join(dir, 'ledger.db'));
    expect(path).toBe(join(dir, 'idempotency.db'));
    let now = 1_000_000;
    const store = openIdempotencyStore({ path, clock: () => now });
    const answer = { requestHash: 'h1', status: 201, headers: { ETag: '"0"' }, body: '{"id":"a"}' };
    expect(store.remember('office-1', 'k', answer)).toMatchObject(answer);
    expect(store.remember('office-1', 'k', { ...answer, body: '{"id":"b"}' }).body).toBe('{"id":"a"}');
    expect(store.find('office-2', 'k')).toBeUndefined();
    store.close();

    now += 1000;
    const reopened = openIdempotencyStore({ path, clock: () => now, retentionMs: 10_000 });
    expect(reopened.find('office-1', 'k')).toMatchObject({ ...answer, createdAt: 1_000_000 });
    now += 20_000;
    expect(reopened.prune(10_000)).toBe(1);
    expect(reopened.find('office-1', 'k')).toBeUndefined();
    reopened.close();
  });
});
