import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ApiKeyConfig } from '../config';

/**
 * Outside production, a server started with no keys configured gets one office key, kept in `local-api-key` beside
 * the ledger file, so a new user can write at once. It is printed only when it is created.
 */
export function localOfficeKey(ledgerDb: string): { key: ApiKeyConfig; created: boolean; path: string } {
  const path = join(dirname(ledgerDb), 'local-api-key');
  if (existsSync(path)) {
    const key = readFileSync(path, 'utf8').trim();
    if (key) return { key: { role: 'office', key }, created: false, path };
  }
  mkdirSync(dirname(path), { recursive: true });
  const key = randomBytes(24).toString('base64url');
  writeFileSync(path, `${key}\n`, { mode: 0o600 });
  return { key: { role: 'office', key }, created: true, path };
}
