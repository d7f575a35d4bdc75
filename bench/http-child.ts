/**
 * A server for the HTTP benchmarks, in its own process so that autocannon does not share its event loop:
 * `ledger <dir>` starts the real server (startServer) on 127.0.0.1 with the rate limit off; `bare` starts an express
 * app answering a constant JSON body. Sends {url} to the parent over IPC and stops on 'stop' or when the parent goes.
 */
import { join } from 'node:path';
import express from 'express';
import { startServer } from '../src/api/server';

export const BENCH_KEY = 'bench-office-key-0123456789';

async function main(): Promise<void> {
  const [kind, dir] = process.argv.slice(2);
  let close: () => Promise<void>;
  let url: string;
  if (kind === 'ledger') {
    const server = await startServer(
      {
        port: 0,
        ledgerDb: join(dir!, 'ledger.db'),
        eventStoreUrl: undefined,
        apiKeys: [{ role: 'office', key: BENCH_KEY }],
        bodyLimitBytes: 1024 * 1024,
        rateLimit: null,
        nodeEnv: 'development',
        logLevel: 'silent',
      },
      { host: '127.0.0.1', print: () => undefined },
    );
    url = server.url.replace('localhost', '127.0.0.1');
    close = () => server.close();
  } else {
    const app = express();
    const body = { name: 'Fachkräfteallianz Sachsen', status: 'admitted', since: '2026-01-15' };
    app.get('/v1/constant', (_req, res) => {
      res.json(body);
    });
    // the floor for the write figure: a POST whose JSON body is parsed, answered 201 with a constant
    app.post('/v1/constant', express.json(), (_req, res) => {
      res.status(201).json(body);
    });
    const server = await new Promise<import('node:http').Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    close = () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
  }
  const stop = async () => {
    await close();
    process.exit(0);
  };
  process.on('message', (message) => {
    if (message === 'stop') void stop();
  });
  process.on('disconnect', () => void stop());
  process.send?.({ url });
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
