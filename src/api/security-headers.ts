import type { Request, Response } from 'express';
import helmet from 'helmet';
import type { RequestStep } from './request-context';

/**
 * helmet's default security headers, set in one loop per request. helmet() runs a chain of twelve middlewares, each
 * setting one constant header; the headers are taken from helmet itself once, at start-up, so they stay exactly
 * helmet's (names, values, order) when helmet changes them.
 */
export function securityHeaders(): RequestStep {
  const headers = helmetDefaults();
  return (_req: Request, res: Response) => {
    for (let i = 0; i < headers.length; i++) res.setHeader(headers[i]![0], headers[i]![1]);
  };
}

/** The headers helmet() sets, by running it once on a response that records them. */
export function helmetDefaults(): ReadonlyArray<readonly [string, string]> {
  const set: Array<[string, string]> = [];
  const recorder = {
    setHeader(name: string, value: unknown) {
      if (typeof value !== 'string') throw new Error(`helmet set ${name} to a ${typeof value}: expected a constant string`);
      set.push([name, value]);
    },
    // X-Powered-By: express's own is switched off in createApp, so there is nothing to remove
    removeHeader() {},
  };
  let outcome: { error: unknown } | undefined;
  helmet()({} as Request, recorder as unknown as Response, (error?: unknown) => {
    outcome = { error };
  });
  // helmet's defaults are constants set synchronously; were one computed per request, it could not be taken once
  if (!outcome || outcome.error !== undefined) throw new Error('helmet did not set its headers synchronously: they cannot be taken once at start-up');
  return set;
}
