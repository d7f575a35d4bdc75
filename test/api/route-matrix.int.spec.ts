import { apiInfo } from '../../src/api/app';
import { authHeader, concretePath, ROLES, startTestServer, type Role, type TestServer } from './server-harness';
import { buildWorld, writeExamples, type World } from './world';

/**
 * Route × role: every route the router serves (listed from the router itself), called by every kind of caller,
 * answers the class API.md's auth rules give it. A route added to the router but not to ACCESS fails here.
 *
 * API.md: office writes and reads everything; auditor reads everything and writes nothing; admin reads everything
 * and erases personal data; anonymous callers read public state, the digest, the public key and proofs, but not
 * raw events (/v1/events, /v1/streams), the full verification or the live feed. A missing or unknown key on a
 * protected route is 401, a known key of the wrong role 403; a key that is not known is 401 on every route.
 */

type Access = 'public' | 'read' | 'office' | 'admin';

const ACCESS: Record<string, Access> = {
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
  'GET /openapi.json': 'public',
  'GET /docs': 'public',
  'GET /v1/events': 'read',
  'GET /v1/streams/{stream}': 'read',
  'GET /v1/live': 'read',
  'POST /v1/alliance/constitution': 'office',
  'POST /v1/patron/appointments': 'office',
  'POST /v1/patron/statements': 'office',
  'POST /v1/patron/statements/{id}/corrections': 'office',
  'POST /v1/board': 'office',
  'POST /v1/board/members': 'office',
  'POST /v1/board/members/{id}/deputies': 'office',
  'POST /v1/board/members/{id}/departure': 'office',
  'POST /v1/board/members/{id}/deputies/{deputyId}/departure': 'office',
  'POST /v1/board/rules': 'office',
  'POST /v1/meetings': 'office',
  'POST /v1/meetings/{id}/invitations': 'office',
  'POST /v1/meetings/{id}/attendance': 'office',
  'POST /v1/meetings/{id}/closure': 'office',
  'POST /v1/meetings/{id}/cancellation': 'office',
  'POST /v1/resolutions': 'office',
  'POST /v1/resolutions/{id}/votes': 'office',
  'POST /v1/resolutions/{id}/objections': 'office',
  'POST /v1/resolutions/{id}/decision': 'office',
  'POST /v1/resolutions/{id}/corrections': 'office',
  'POST /v1/resolutions/{id}/revocation': 'office',
  'POST /v1/partners/applications': 'office',
  'POST /v1/partners/{id}/admission': 'office',
  'POST /v1/partners/{id}/rejection': 'office',
  'POST /v1/partners/{id}/withdrawal': 'office',
  'POST /v1/partners/{id}/departure': 'office',
  'POST /v1/partners/{id}/exclusion': 'office',
  'POST /v1/groups': 'office',
  'POST /v1/groups/{id}/members': 'office',
  'POST /v1/groups/{id}/members/{partnerId}/departure': 'office',
  'POST /v1/groups/{id}/lead': 'office',
  'POST /v1/groups/{id}/mandate': 'office',
  'POST /v1/groups/{id}/dissolution': 'office',
  'GET /v1/alliance': 'public',
  'GET /v1/patron': 'public',
  'GET /v1/patron/statements': 'public',
  'GET /v1/patron/statements/{id}': 'public',
  'GET /v1/board': 'public',
  'GET /v1/meetings': 'public',
  'GET /v1/meetings/{id}': 'public',
  'GET /v1/resolutions': 'public',
  'GET /v1/resolutions/{id}': 'public',
  'GET /v1/partners': 'public',
  'GET /v1/partners/{id}': 'public',
  'GET /v1/groups': 'public',
  'GET /v1/groups/{id}': 'public',
  'GET /v1/ledger/digest': 'public',
  'GET /v1/ledger/public-key': 'public',
  'GET /v1/ledger/proofs/inclusion': 'public',
  'GET /v1/ledger/proofs/consistency': 'public',
  'GET /v1/ledger/verification': 'read',
  'POST /v1/subjects/{subjectId}/erasure': 'admin',
};

/** Every route API.md's tables name. */
const API_MD_ROUTES = [
  ...Object.keys(ACCESS).filter((r) => !/\/deputies\/\{deputyId\}\/departure|^GET \/v1\/patron(\/statements\/\{id\})?$/.test(r)),
];

type Outcome = 'allowed' | 401 | 403;

function expected(access: Access, role: Role): Outcome {
  if (role === 'unknown') return 401;
  switch (access) {
    case 'public':
      return 'allowed';
    case 'read':
      return role === 'anonymous' ? 401 : 'allowed';
    case 'office':
      return role === 'anonymous' ? 401 : role === 'office' ? 'allowed' : 403;
    case 'admin':
      return role === 'anonymous' ? 401 : role === 'admin' ? 'allowed' : 403;
  }
}

describe('route × role matrix', () => {
  let t: TestServer;
  let w: World;
  let eventId: string;
  beforeAll(async () => {
    t = await startTestServer();
    w = await buildWorld(t);
    for await (const event of t.store.readAll({ maxCount: 1 })) eventId = event.eventId;
  });
  afterAll(async () => t.cleanup());

  const routes = () => apiInfo(t.app).routes.map((r) => ({ ...r, key: `${r.method.toUpperCase()} ${r.path}` }));

  /** A URL on which an allowed caller gets a real answer (ids of the world, required query parameters). */
  function urlOf(method: string, path: string): string {
    const reads: Record<string, string> = {
      '/v1/patron/statements/{id}': concretePath(path, { id: w.statementId }),
      '/v1/meetings/{id}': concretePath(path, { id: w.meetingId }),
      '/v1/resolutions/{id}': concretePath(path, { id: w.admissionResolutionId }),
      '/v1/partners/{id}': concretePath(path, { id: w.partnerId }),
      '/v1/groups/{id}': concretePath(path, { id: w.groupId }),
      '/v1/streams/{stream}': '/v1/streams/board-main',
      '/v1/ledger/proofs/inclusion': `/v1/ledger/proofs/inclusion?eventId=${eventId}`,
      '/v1/ledger/proofs/consistency': '/v1/ledger/proofs/consistency?from=1',
    };
    if (method === 'post') return concretePath(path, writeExamples(w)[path]?.params);
    return reads[path] ?? concretePath(path);
  }

  it('lists every route of the router in the matrix, and the router declares the access API.md gives it', () => {
    const served = routes();
    expect(served.map((r) => r.key).sort()).toEqual(Object.keys(ACCESS).sort());
    const declared = { public: 'public', read: 'read', write: 'office', admin: 'admin' } as const;
    for (const route of served) expect(`${route.key}: ${declared[route.auth]}`).toBe(`${route.key}: ${ACCESS[route.key]}`);
  });

  it('serves every route of API.md', () => {
    const served = new Set(routes().map((r) => r.key));
    for (const route of API_MD_ROUTES) expect(`${route}: ${served.has(route)}`).toBe(`${route}: true`);
  });

  it('answers each route for each caller as API.md says: 401, 403, or an answer (never a 5xx)', async () => {
    const before = await t.store.headPosition();
    const mismatches: string[] = [];
    for (const route of routes()) {
      for (const role of ROLES) {
        const want = expected(ACCESS[route.key]!, role);
        const controller = new AbortController();
        const res = await fetch(new URL(urlOf(route.method, route.path), t.url), {
          method: route.method.toUpperCase(),
          headers: { ...authHeader(role), ...(route.takesBody ? { 'Content-Type': 'application/json' } : {}) },
          // an empty command: a write that gets past auth is refused as input, so the matrix appends nothing
          ...(route.takesBody ? { body: '{}' } : {}),
          signal: controller.signal,
        });
        const status = res.status;
        if (route.path === '/v1/live') controller.abort();
        else await res.arrayBuffer();
        const got: Outcome | number = status === 401 || status === 403 ? status : status >= 500 ? status : 'allowed';
        if (got !== want) mismatches.push(`${route.key} as ${role}: expected ${want}, got ${status}`);
        if (status === 401 && !res.headers.get('www-authenticate')?.startsWith('Bearer')) mismatches.push(`${route.key} as ${role}: 401 without WWW-Authenticate`);
        // an allowed read with the world's ids is a 200
        if (want === 'allowed' && route.method === 'get' && status !== 200) mismatches.push(`${route.key} as ${role}: ${status}, not 200`);
        if (want === 'allowed' && route.takesBody && status !== 400) mismatches.push(`${route.key} as ${role}: ${status} for an empty command, not 400`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(await t.store.headPosition()).toBe(before);
  });
});
