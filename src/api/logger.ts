import pino, { type Logger } from 'pino';
import type { Config } from '../config';

/**
 * The service's logger: JSON lines on stdout. Requests log their own line (request-context.ts) without bodies,
 * headers or query strings; the redaction here is a second fence in case an error object carries a request.
 */
export function createLogger(config: Pick<Config, 'logLevel' | 'nodeEnv'>, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: 'allianz-ledger' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'body', 'req.body', 'err.body', 'err.config'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
