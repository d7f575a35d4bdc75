import { readFileSync } from 'node:fs';

/**
 * The service's configuration, read once from the environment at start-up. Anything malformed stops the start
 * with a ConfigError naming the variable: a ledger must not run on a half-understood configuration.
 */

export type KeyRole = 'office' | 'auditor' | 'admin';
export const KEY_ROLES: readonly KeyRole[] = ['office', 'auditor', 'admin'];

export interface ApiKeyConfig {
  role: KeyRole;
  key: string;
}

export interface RateLimitConfig {
  /** requests allowed per window and caller */
  limit: number;
  windowMs: number;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  /** the embedded store's SQLite file; every other file of an installation lives in its directory */
  ledgerDb: string;
  /** EventStoreDB connection string; when set, the log lives there instead of in `ledgerDb` */
  eventStoreUrl: string | undefined;
  /**
   * LEDGER_SUBJECT_KEYS: the SQLite file of the data subjects' keys (crypto-shredding), kept outside the log;
   * undefined: `subject-keys.db` in the directory of `ledgerDb` (also when the log lives in EventStoreDB)
   */
  subjectKeys?: string | undefined;
  apiKeys: ApiKeyConfig[];
  bodyLimitBytes: number;
  /** null: no rate limit (LEDGER_RATE_LIMIT=0) */
  rateLimit: RateLimitConfig | null;
  nodeEnv: string;
  logLevel: LogLevel;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): Config {
  return {
    port: parsePort(env.PORT),
    ledgerDb: nonEmpty(env.LEDGER_DB) ?? './data/ledger.db',
    eventStoreUrl: nonEmpty(env.EVENTSTORE_URL),
    subjectKeys: nonEmpty(env.LEDGER_SUBJECT_KEYS),
    apiKeys: loadKeys(env, readFile),
    bodyLimitBytes: parseBytes(nonEmpty(env.LEDGER_BODY_LIMIT) ?? '1mb', 'LEDGER_BODY_LIMIT'),
    rateLimit: parseRateLimit(nonEmpty(env.LEDGER_RATE_LIMIT) ?? '1200/min'),
    nodeEnv: nonEmpty(env.NODE_ENV) ?? 'development',
    logLevel: parseLogLevel(nonEmpty(env.LOG_LEVEL) ?? 'info'),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function parsePort(value: string | undefined): number {
  const text = nonEmpty(value) ?? '3000';
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new ConfigError(`PORT must be a number from 0 to 65535, got "${text}"`);
  return port;
}

const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** "1mb", "512kb", "100000" (bytes); units are binary, as body-parser reads them. */
export function parseBytes(text: string, variable: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(text.trim());
  const bytes = m ? Math.floor(Number(m[1]) * BYTE_UNITS[(m[2] ?? '').toLowerCase()]!) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) throw new ConfigError(`${variable} must be a size such as 1mb or 512kb, got "${text}"`);
  return bytes;
}

const WINDOWS: Record<string, number> = { s: 1000, sec: 1000, min: 60_000, m: 60_000, h: 3_600_000, hour: 3_600_000 };

/** "1200/min", "20/s", "1200" (per minute); "0" turns the limit off. */
export function parseRateLimit(text: string): RateLimitConfig | null {
  const m = /^(\d+)\s*(?:\/\s*([a-z]+))?$/i.exec(text.trim());
  const windowMs = m ? WINDOWS[(m[2] ?? 'min').toLowerCase()] : undefined;
  if (!m || windowMs === undefined || !Number.isSafeInteger(Number(m[1]))) {
    throw new ConfigError(`LEDGER_RATE_LIMIT must be a count per window such as 1200/min or 20/s (0 = off), got "${text}"`);
  }
  const limit = Number(m[1]);
  return limit === 0 ? null : { limit, windowMs };
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function parseLogLevel(text: string): LogLevel {
  const level = text.toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(level)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${text}"`);
  return level;
}

/** RFC 6750's b64token: what can travel in `Authorization: Bearer <key>` unchanged. */
export const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

function loadKeys(env: Env, readFile: (path: string) => string): ApiKeyConfig[] {
  const keys: ApiKeyConfig[] = [];
  const inline = nonEmpty(env.LEDGER_API_KEYS);
  if (inline) keys.push(...parseKeyLines(inline.split(','), 'LEDGER_API_KEYS'));
  const file = nonEmpty(env.LEDGER_KEYS_FILE);
  if (file) {
    let text: string;
    try {
      text = readFile(file);
    } catch (error) {
      throw new ConfigError(`LEDGER_KEYS_FILE ${file} cannot be read: ${(error as Error).message}`);
    }
    keys.push(...parseKeysFile(text, `LEDGER_KEYS_FILE ${file}`));
  }
  const seen = new Set<string>();
  for (const { key } of keys) {
    if (seen.has(key)) throw new ConfigError('the same API key is configured twice; every key must be unique');
    seen.add(key);
  }
  return keys;
}

/**
 * A keys file holds either JSON (`[{"role": "office", "key": "..."}]` or `{"office": ["..."], "auditor": "..."}`)
 * or the same `role:key` entries as LEDGER_API_KEYS, one a line (blank lines and `#` comments ignored).
 */
export function parseKeysFile(text: string, source: string): ApiKeyConfig[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      throw new ConfigError(`${source} is not valid JSON`);
    }
    return keysFromJson(json, source);
  }
  const lines = trimmed.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  return parseKeyLines(lines, source);
}

function keysFromJson(json: unknown, source: string): ApiKeyConfig[] {
  const entries: Array<[unknown, unknown]> = Array.isArray(json)
    ? json.map((e: unknown) => [(e as { role?: unknown })?.role, (e as { key?: unknown })?.key])
    : Object.entries(json as Record<string, unknown>).flatMap(([role, keys]) =>
        (Array.isArray(keys) ? keys : [keys]).map((key): [unknown, unknown] => [role, key]),
      );
  return entries.map(([role, key], i) => checkedKey(role, key, `${source}, entry ${i + 1}`));
}

function parseKeyLines(entries: string[], source: string): ApiKeyConfig[] {
  return entries
    .map((e) => e.trim())
    .filter((e) => e.length > 0)
    .map((entry, i) => {
      const colon = entry.indexOf(':');
      if (colon < 0) throw new ConfigError(`${source}, entry ${i + 1}: expected role:key`);
      return checkedKey(entry.slice(0, colon).trim(), entry.slice(colon + 1).trim(), `${source}, entry ${i + 1}`);
    });
}

function checkedKey(role: unknown, key: unknown, where: string): ApiKeyConfig {
  if (typeof role !== 'string' || !KEY_ROLES.includes(role as KeyRole)) {
    throw new ConfigError(`${where}: role must be one of ${KEY_ROLES.join(', ')}, got ${JSON.stringify(role)}`);
  }
  // the key itself is never echoed: a config error ends up in logs
  if (typeof key !== 'string' || !BEARER_TOKEN.test(key) || key.length > 500) {
    throw new ConfigError(`${where}: the key must be 1–500 characters of A–Z a–z 0–9 - . _ ~ + / (then = padding)`);
  }
  return { role: role as KeyRole, key };
}
