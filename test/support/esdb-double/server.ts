/**
 * A wire-level EventStoreDB test double: an in-process gRPC server on 127.0.0.1 that speaks the part of
 * EventStoreDB's API the ledger's adapter uses (Streams.Read, Streams.Append, Streams.BatchAppend, ServerFeatures),
 * so the real @eventstore/db-client runs against it without Docker.
 *
 * Faults for tests: `simulateOutage()` drops every connection and refuses new ones until `restore()`, which listens
 * on the same port again; `simulateHang()` keeps connections open but answers nothing until `restore()`.
 */
import * as grpc from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import { handleAppend, handleBatchAppend } from './appends';
import { Gate } from './outbox';
import { type LogOptions, type ProposedEvent, TransactionLog } from './log';
import { type ActiveRead, handleRead, type ReadSettings } from './reads';

export interface EsdbDoubleOptions extends LogOptions {
  /** version reported by ServerFeatures */
  serverVersion?: string;
  /** offer Streams.BatchAppend in ServerFeatures (servers from 21.10 do; the client then appends through it) */
  batchAppend?: boolean;
  /** send CaughtUp on subscriptions (servers from 23.10 do) */
  caughtUp?: boolean;
  /** lag in events after which a live subscription is dropped as a slow consumer */
  slowConsumerLimit?: number;
  /** write a few system events first, as a fresh server's log holds */
  systemEvents?: boolean;
}

type Handler = (...args: never[]) => void;

export class EsdbDouble {
  readonly log: TransactionLog;
  private server: grpc.Server | undefined;
  private boundPort: number | undefined;
  private readonly gate = new Gate();
  private readonly settings: ReadSettings;
  private readonly features: SupportedMethods;

  constructor(options: EsdbDoubleOptions = {}) {
    this.log = new TransactionLog(options);
    this.settings = {
      caughtUp: options.caughtUp ?? true,
      slowConsumerLimit: options.slowConsumerLimit ?? 1000,
      active: new Set(),
      gate: this.gate,
      counts: { subscriptions: 0, slowConsumersDropped: 0 },
    };
    this.features = supportedMethods(options.serverVersion ?? '24.10.0', options.batchAppend ?? true);
    if (options.systemEvents ?? true) writeSystemEvents(this.log);
  }

  /** Starts a double and waits until it listens. */
  static async start(options: EsdbDoubleOptions = {}): Promise<EsdbDouble> {
    const double = new EsdbDouble(options);
    await double.listen();
    return double;
  }

  get port(): number {
    if (this.boundPort === undefined) throw new Error('the EventStoreDB double has not been started');
    return this.boundPort;
  }

  /** a single-node, insecure connection string to this double */
  get connectionString(): string {
    return `esdb://127.0.0.1:${this.port}?tls=false`;
  }

  /** reads and subscriptions being answered right now */
  get activeReads(): readonly ActiveRead[] {
    return [...this.settings.active];
  }

  /** subscriptions started and slow consumers dropped since the double started */
  get counts(): Readonly<ReadSettings['counts']> {
    return this.settings.counts;
  }

  /** Drops every connection; new connections are refused until restore(). The log is kept. */
  async simulateOutage(): Promise<void> {
    await this.shutdown();
  }

  /** Answers nothing from now on (connections stay open) until restore(). */
  simulateHang(): void {
    this.gate.close();
  }

  /** Ends an outage or a hang: listens again on the same port. */
  async restore(): Promise<void> {
    this.gate.open();
    if (!this.server) await this.listen();
  }

  /** Writes an event as some other client (or the server itself) would, e.g. a system event. */
  appendRaw(stream: string, event: Omit<ProposedEvent, 'contentType'> & { contentType?: string }): void {
    this.log.append(stream, { kind: 'any' }, [{ contentType: 'application/json', ...event }]);
  }

  async stop(): Promise<void> {
    this.gate.open();
    await this.shutdown();
  }

  private async listen(): Promise<void> {
    const server = new grpc.Server();
    server.addService(StreamsService, this.guard({
      read: (call: grpc.ServerWritableStream<never, never>) => void handleRead(this.log, this.settings, call as never),
      append: (call: grpc.ServerReadableStream<never, never>, callback: grpc.sendUnaryData<never>) =>
        handleAppend(this.log, call as never, callback as never),
      batchAppend: (call: grpc.ServerDuplexStream<never, never>) => handleBatchAppend(this.log, this.gate, call as never),
      delete: unimplemented,
      tombstone: unimplemented,
    }));
    server.addService(ServerFeaturesService, this.guard({
      getSupportedMethods: (_call: grpc.ServerUnaryCall<never, never>, callback: grpc.sendUnaryData<SupportedMethods>) =>
        callback(null, this.features),
    }));
    const address = `127.0.0.1:${this.boundPort ?? 0}`;
    this.boundPort = await new Promise<number>((resolve, reject) => {
      server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port)));
    });
    this.server = server;
  }

  /** While hung, new calls are parked unanswered; they end when the server shuts down or the client gives up. */
  private guard(handlers: Record<string, Handler>): grpc.UntypedServiceImplementation {
    const guarded: grpc.UntypedServiceImplementation = {};
    for (const [name, handler] of Object.entries(handlers)) {
      guarded[name] = ((...args: unknown[]) => {
        if (this.gate.shut) return;
        (handler as (...args: unknown[]) => void)(...args);
      }) as grpc.UntypedHandleCall;
    }
    return guarded;
  }

  /** Closes the listener and every connection at once, as a crashed or unplugged server would. */
  private async shutdown(): Promise<void> {
    this.server?.forceShutdown();
    this.server = undefined;
  }
}

function unimplemented(_call: unknown, callback?: grpc.sendUnaryData<never>): void {
  callback?.({ code: grpc.status.UNIMPLEMENTED, details: 'not implemented by the EventStoreDB double' });
}

function supportedMethods(version: string, batchAppend: boolean): SupportedMethods {
  const method = (service: string, name: string, features: string[] = []) =>
    new SupportedMethod().setServiceName(service).setMethodName(name).setFeaturesList(features);
  const streams = 'event_store.client.streams.streams';
  const methods = [
    method(streams, 'read', ['position', 'events']),
    method(streams, 'append'),
    method('event_store.client.server_features.serverfeatures', 'getsupportedmethods'),
  ];
  if (batchAppend) methods.push(method(streams, 'batchappend', ['deadline_duration']));
  return new SupportedMethods().setEventStoreServerVersion(version).setMethodsList(methods);
}

/** What a freshly started node writes before any client does: settings, the admin user, the projections' state. */
function writeSystemEvents(log: TransactionLog): void {
  const json = (value: unknown) => Uint8Array.from(Buffer.from(JSON.stringify(value), 'utf8'));
  const system = (stream: string, type: string, data: unknown) =>
    log.append(stream, { kind: 'any' }, [
      { id: randomUUID(), type, contentType: 'application/json', data: json(data), metadata: new Uint8Array() },
    ]);
  system('$settings', 'update', { $userStreamAcl: { $r: '$all' } });
  system('$users', '$UserCreated', 'admin');
  system('$user-admin', '$user', { loginName: 'admin', fullName: 'Event Store Administrator' });
  system('$projections-$all', '$ProjectionsInitialized', {});
}
