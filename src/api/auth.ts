import { createHash, scryptSync, timingSafeEqual } from 'node:crypto';
import type { ExecuteOptions } from '../ledger/ledger';
import { BEARER_TOKEN, type ApiKeyConfig, type KeyRole } from '../config';
import { problems } from './problems';

/**
 * Who is calling. Keys are compared in constant time; a caller is known by a key id derived from its key
 * (never the key, never a person's name), which goes into event metadata as the actor id, scopes idempotency
 * keys and counts against the rate limit.
 */

export type AuthLevel = 'public' | 'read' | 'write' | 'admin';

export type Caller =
  | { role: KeyRole; id: string; anonymous: false }
  | { role: 'anonymous'; id: 'anonymous'; anonymous: true };

export const ANONYMOUS: Caller = { role: 'anonymous', id: 'anonymous', anonymous: true };

/** Which roles each level admits. `office` writes; `admin` erases personal data; all three read. */
const ADMITTED: Record<AuthLevel, readonly Caller['role'][]> = {
  public: ['anonymous', 'office', 'auditor', 'admin'],
  read: ['office', 'auditor', 'admin'],
  write: ['office'],
  admin: ['admin'],
};

export function rolesAdmitted(level: AuthLevel): readonly Caller['role'][] {
  return ADMITTED[level];
}

export function admits(level: AuthLevel, role: Caller['role']): boolean {
  return ADMITTED[level].includes(role);
}

/** Whether a caller may see personal data (contacts, member names): the three key roles, never anonymous. */
export function readsPersonalData(caller: Caller): boolean {
  return !caller.anonymous;
}

/** The actor a caller's commands are recorded under. */
export function actorOf(caller: Caller): ExecuteOptions['actor'] {
  if (caller.anonymous) throw problems.unauthorized('this operation needs an API key', false);
  return { id: caller.id, role: caller.role };
}

/** Equality of two secrets in constant time: both are hashed first, so neither their content nor length leaks. */
export function constantTimeEquals(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

// Fixed forever: changing it changes every caller's id (actor ids in the log, idempotency scopes).
const KEY_ID_SALT = 'allianz-ledger/key-id/v1';

/**
 * A key's public id: `<role>-<16 hex>` from scrypt of the key. It is written into the log, which read roles see,
 * so it must not make guessing a weak key cheap; scrypt makes each guess cost what one key costs here at start-up.
 */
export function keyIdOf(role: KeyRole, key: string): string {
  return `${role}-${scryptSync(key, KEY_ID_SALT, 8).toString('hex')}`;
}

interface KnownKey {
  digest: Buffer;
  caller: Caller;
}

/**
 * How many Authorization headers that named a known key are remembered. Only headers that passed the full check are
 * kept, so the set is small (a few keys, each as its clients write the header); past the bound it starts afresh.
 */
const VERIFIED_HEADERS = 64;

export class KeyRing {
  private readonly keys: KnownKey[];
  /**
   * Authorization headers already verified → their caller, so that a client's every request does not hash its key
   * again. Timing: a header not in here (every wrong key) takes the full constant-time path below; looking it up
   * compares it with a remembered header only when their string hashes collide, and a remembered header answers in
   * the same time whichever key it names. What a hit tells apart is "a key that was accepted before", which the
   * answer's status tells anyway.
   */
  private readonly verified = new Map<string, Caller>();

  constructor(keys: readonly ApiKeyConfig[]) {
    this.keys = keys.map(({ role, key }) => ({ digest: sha256(key), caller: { role, id: keyIdOf(role, key), anonymous: false } }));
  }

  get size(): number {
    return this.keys.length;
  }

  /** The caller a key belongs to, or undefined. Every known key is compared, matched or not. */
  identify(presented: string): Caller | undefined {
    const digest = sha256(presented);
    let found: Caller | undefined;
    for (const known of this.keys) {
      if (timingSafeEqual(known.digest, digest)) found = known.caller;
    }
    return found;
  }

  /**
   * The caller of a request from its Authorization header: anonymous without one; a 401 problem when a header is
   * there but is not a known bearer key (also on public routes: a client with a wrong key should learn it).
   */
  callerFor(authorization: string | undefined): Caller {
    if (authorization === undefined || authorization === '') return ANONYMOUS;
    const known = this.verified.get(authorization);
    if (known !== undefined) return known;
    const m = /^Bearer +(\S+) *$/i.exec(authorization);
    if (!m || !BEARER_TOKEN.test(m[1]!)) throw problems.unauthorized('the Authorization header must be "Bearer <key>"', true);
    const caller = this.identify(m[1]!);
    if (!caller) throw problems.unauthorized('the API key is not known', true);
    if (this.verified.size >= VERIFIED_HEADERS) this.verified.clear();
    this.verified.set(authorization, caller);
    return caller;
  }
}

/** Admits the caller to a route of `level`, or throws 401 (no key where one is needed) / 403 (wrong role). */
export function authorize(level: AuthLevel, caller: Caller): void {
  if (admits(level, caller.role)) return;
  if (caller.anonymous) throw problems.unauthorized('this operation needs an API key: Authorization: Bearer <key>', false);
  const needed = level === 'write' ? 'an office key' : level === 'admin' ? 'an admin key' : 'an office, auditor or admin key';
  throw problems.forbidden(`this operation needs ${needed}; the key presented is a(n) ${caller.role} key`);
}
