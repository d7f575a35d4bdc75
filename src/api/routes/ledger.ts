import type { KeyObject } from 'node:crypto';
import { verifyLedger, type LedgerDigestProjection } from '../../integrity';
import { signedDigest } from '../../integrity/signing-keys';
import type { EventStore } from '../../store/port';
import { z } from '../openapi-zod';
import { ok } from '../replies';
import type { RouteModule } from '../route';

const hex = z.string().regex(/^[0-9a-f]{64}$/);
const size = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export interface LedgerRouteDeps {
  store: EventStore;
  digest: LedgerDigestProjection;
  signingKey: KeyObject;
  publicKeyPem: string;
  /** the clock for signedAt */
  now?: () => Date;
}

/** The ledger digest, its public key and proofs (public), and the full verification (read roles). */
export function ledgerRoutes(deps: LedgerRouteDeps): RouteModule {
  const now = deps.now ?? (() => new Date());
  return (r) => {
    r.defineRoute({
      method: 'get',
      path: '/v1/ledger/digest',
      auth: 'public',
      summary: 'The signed ledger digest: the Merkle root over every event hash in log order',
      tags: ['ledger'],
      responses: {
        200: {
          description: 'the digest; signature is base64 Ed25519 over the RFC 8785 JSON of {size, rootHash, signedAt}',
          schema: z.object({ size: z.number().int(), rootHash: hex, signedAt: z.string(), signature: z.string() }).openapi('LedgerDigest'),
        },
      },
      handler: () => ok(signedDigest(deps.digest, deps.signingKey, now())),
    });
    r.defineRoute({
      method: 'get',
      path: '/v1/ledger/public-key',
      auth: 'public',
      summary: 'The public key that signs digests and exports',
      tags: ['ledger'],
      responses: { 200: { description: 'SPKI PEM', schema: z.object({ algorithm: z.literal('Ed25519'), publicKey: z.string() }) } },
      handler: () => ok({ algorithm: 'Ed25519', publicKey: deps.publicKeyPem }),
    });
    r.defineRoute({
      method: 'get',
      path: '/v1/ledger/proofs/inclusion',
      auth: 'public',
      summary: 'An RFC 9162 inclusion proof of an event in the tree of a size (default: the current size)',
      tags: ['ledger'],
      query: z.object({ eventId: z.uuid(), size: size.optional() }),
      responses: {
        200: {
          description: 'leafHash is the event hash as stored; verifiers hash it as a leaf (0x00 ‖ hash)',
          schema: z
            .object({ eventId: z.uuid(), leafIndex: z.number().int(), treeSize: z.number().int(), leafHash: hex, auditPath: z.array(hex), rootHash: hex })
            .openapi('InclusionProof'),
        },
      },
      handler: (ctx) => ok(deps.digest.inclusionProof(ctx.query.eventId, ctx.query.size)),
    });
    r.defineRoute({
      method: 'get',
      path: '/v1/ledger/proofs/consistency',
      auth: 'public',
      summary: 'An RFC 9162 consistency proof that the tree of size `to` extends the tree of size `from`',
      tags: ['ledger'],
      query: z.object({ from: size, to: size.optional() }),
      responses: {
        200: {
          description: 'the proof',
          schema: z
            .object({ fromSize: z.number().int(), toSize: z.number().int(), fromRoot: hex, toRoot: hex, proof: z.array(hex) })
            .openapi('ConsistencyProof'),
        },
      },
      handler: (ctx) => ok(deps.digest.consistencyProof(ctx.query.from, ctx.query.to)),
    });
    r.defineRoute({
      method: 'get',
      path: '/v1/ledger/verification',
      auth: 'read',
      summary: 'Every hash chain and the Merkle root recomputed from the stored events',
      tags: ['ledger'],
      responses: {
        200: {
          description: 'ok is false when any event fails; firstBad names the first in log order',
          schema: z
            .object({
              ok: z.boolean(),
              checkedEvents: z.number().int(),
              size: z.number().int(),
              rootHash: hex,
              digestRootHash: hex,
              firstBad: z.record(z.string(), z.unknown()).optional(),
            })
            .openapi('LedgerVerification'),
        },
      },
      handler: async () => {
        const result = await verifyLedger(deps.store);
        // the recomputed root must also equal the root the server publishes for that size
        const published = result.size <= deps.digest.size ? deps.digest.digest(result.size).rootHash : undefined;
        const rootsAgree = published === result.rootHash;
        return ok({
          ok: result.ok && rootsAgree,
          checkedEvents: result.checkedEvents,
          size: result.size,
          rootHash: result.rootHash,
          ...(published !== undefined && { digestRootHash: published }),
          ...(result.firstBad && { firstBad: result.firstBad }),
        });
      },
    });
  };
}
