import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { RateLimitConfig } from '../config';
import { problems, sendProblem } from './problems';
import { requestContext } from './request-context';

/**
 * Per caller: a known key counts on its own, anonymous callers (and unknown keys) by address. The answer carries
 * the IETF RateLimit headers (draft 8); past the limit it is a 429 problem with Retry-After. Health probes are
 * not counted.
 */
export function rateLimiter(config: RateLimitConfig): RequestHandler {
  return rateLimit({
    windowMs: config.windowMs,
    limit: config.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req: Request, res: Response) => {
      const caller = requestContext(res).caller;
      return caller && !caller.anonymous ? `key:${caller.id}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    skip: (req: Request) => req.path === '/health/live' || req.path === '/health/ready',
    handler: (req: Request, res: Response) => {
      const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = reset ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000)) : Math.ceil(config.windowMs / 1000);
      sendProblem(res, problems.rateLimited(seconds), requestContext(res).correlationId);
    },
  });
}
