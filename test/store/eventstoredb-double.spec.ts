/**
 * The wire-level double answers as EventStoreDB does, checked with the real client (and raw gRPC where the
 * client hides the wire): what the adapter's tests over the double show holds only as far as this does.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { Empty as GoogleEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  eventTypeFilter,
  jsonEvent,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type ResolvedEvent,
} from '@eventstore/db-client';
import * as shared from '@eventstore/db-client/generated/shared_pb';
import * as streams from '@eventstore/db-client/generated/streams_pb';
import { StreamsClient } from '@eventstore/db-client/generated/streams_grpc_pb';
import { EsdbDouble } from '../support/esdb-double';
import { collect, delay, esdbFixture, failure, streamName, within } from '../support/esdb-double/testing';

let fixture: ReturnType<typeof esdbFixture>;
const clients: Array<{ close(): void } | EventStoreDBClient> = [];
beforeEach(() => {
  fixture = esdbFixture();
});
afterEach(async () => {
  for (const client of clients.splice(0)) {
    if (client instanceof EventStoreDBClient) await client.dispose();
    else client.close();
  }
  await fixture.cleanup();
});

function clientOf(double: EsdbDouble): EventStoreDBClient {
  const client = EventStoreDBClient.connectionString(double.connectionString);
  clients.push(client);
  return client;
}

function rawClientOf(double: EsdbDouble): StreamsClient {
  const client = new StreamsClient(`127.0.0.1:${double.port}`, grpc.credentials.createInsecure());
  clients.push(client);
  return client;
}

const data = (type: string) => jsonEvent({ id: randomUUID(), type, data: { type } });
const typesOf = (events: ResolvedEvent[]) => events.map((e) => e.event?.type);

function rawAppend(client: StreamsClient, stream: string, options: (o: streams.AppendReq.Options) => void, messages: streams.AppendReq.ProposedMessage[]) {
  return new Promise<streams.AppendResp>((resolve, reject) => {
    const call = client.append((error, response) => (error ? reject(error) : resolve(response)));
    const header = new streams.AppendReq.Options().setStreamIdentifier(new shared.StreamIdentifier().setStreamName(Buffer.from(stream)));
    options(header);
    call.write(new streams.AppendReq().setOptions(header));
    for (const message of messages) call.write(new streams.AppendReq().setProposedMessage(message));
    call.end();
  });
}

function proposed(type: string, metadata: Record<string, string> = { type, 'content-type': 'application/json' }) {
  const message = new streams.AppendReq.ProposedMessage().setId(new shared.UUID().setString(randomUUID())).setData(Buffer.from('{}'));
  for (const [key, value] of Object.entries(metadata)) message.getMetadataMap().set(key, value);
  return message;
}

describe('EventStoreDB double: appends', () => {
  it('answers a failed expectation over Append with the current and the 20.6.0 fields, as the server fills them', async () => {
    const double = await fixture.start();
    const raw = rawClientOf(double);
    const stream = streamName();
    const missing = await rawAppend(raw, stream, (o) => o.setRevision('3'), [proposed('A')]);
    const wrong = missing.getWrongExpectedVersion()!;
    expect([wrong.hasCurrentNoStream(), wrong.hasNoStream2060(), wrong.getExpectedRevision(), wrong.getExpectedRevision2060()]).toEqual([true, true, '3', 3]);

    await rawAppend(raw, stream, (o) => o.setNoStream(new shared.Empty()), [proposed('A'), proposed('B')]);
    const exists = (await rawAppend(raw, stream, (o) => o.setNoStream(new shared.Empty()), [proposed('C')])).getWrongExpectedVersion()!;
    expect([exists.getCurrentRevision(), exists.getCurrentRevision2060(), exists.hasExpectedNoStream()]).toEqual(['1', 1, true]);
  });

  it("answers BatchAppend's failed expectation with a packed WrongExpectedVersion, as the client reads it", async () => {
    const double = await fixture.start();
    const client = clientOf(double);
    const stream = streamName();
    const missing = (await failure(client.appendToStream(stream, [data('A')], { expectedRevision: 0n }))) as WrongExpectedVersionError;
    expect(missing).toBeInstanceOf(WrongExpectedVersionError);
    expect([missing.streamName, missing.expectedVersion, missing.actualVersion]).toEqual([stream, 0n, 'no_stream']);
    await client.appendToStream(stream, [data('A')], { expectedRevision: NO_STREAM });
    const exists = (await failure(client.appendToStream(stream, [data('B')], { expectedRevision: NO_STREAM }))) as WrongExpectedVersionError;
    expect([exists.expectedVersion, exists.actualVersion]).toEqual(['no_stream', 0n]);
  });

  it('treats a batch as a retry only where the server does', async () => {
    const double = await fixture.start({ idempotencyCacheSize: 2 });
    const client = clientOf(double);
    const stream = streamName();
    const batch = [data('A'), data('B')];
    const first = await client.appendToStream(stream, batch, { expectedRevision: NO_STREAM });
    // the same ids after the same expectation: the original result
    expect(await client.appendToStream(stream, batch, { expectedRevision: NO_STREAM })).toEqual(first);
    // part of the batch stored, part not: a wrong expected version
    expect(await failure(client.appendToStream(stream, [batch[0]!, data('X')], { expectedRevision: NO_STREAM }))).toBeInstanceOf(
      WrongExpectedVersionError,
    );
    // 'any' remembers only recent ids: once they left the cache, the batch is written again
    const recent = [data('C')];
    const third = await client.appendToStream(stream, recent);
    expect(await client.appendToStream(stream, recent)).toEqual(third);
    await client.appendToStream(stream, [data('D'), data('E')]);
    expect((await client.appendToStream(stream, recent)).nextExpectedRevision).toBe(5n);
    expect(typesOf(await collect(client.readStream(stream)))).toEqual(['A', 'B', 'C', 'D', 'E', 'C']);
  });

  it('refuses a proposed message without type or content-type, with the exception the client maps', async () => {
    const double = await fixture.start();
    const raw = rawClientOf(double);
    const error = (await failure(rawAppend(raw, streamName(), (o) => o.setAny(new shared.Empty()), [proposed('A', { type: 'A' })]))) as grpc.ServiceError;
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.metadata.get('exception')).toEqual(['missing-required-metadata-property']);
  });

  it("answers a batch whose deadline has passed with the server's Timeout", async () => {
    const double = await fixture.start();
    const client = clientOf(double);
    const stream = streamName();
    await client.appendToStream(stream, [data('A')]); // the client's batch stream is open
    const raw = rawClientOf(double);
    const call = raw.batchAppend();
    const answer = new Promise<streams.BatchAppendResp>((resolve) => call.once('data', resolve));
    const past = new Date(Date.now() - 1000);
    const options = new streams.BatchAppendReq.Options()
      .setStreamIdentifier(new shared.StreamIdentifier().setStreamName(Buffer.from(stream)))
      .setAny(new GoogleEmpty())
      .setDeadline(Timestamp.fromDate(past));
    call.write(new streams.BatchAppendReq().setCorrelationId(new shared.UUID().setString(randomUUID())).setOptions(options).setIsFinal(true));
    const response = await within(answer, 2000, 'the answer');
    call.end();
    expect(response.getError()?.getDetails()?.getTypeName()).toBe('event_store.client.Timeout');
    expect(typesOf(await collect(client.readStream(stream)))).toEqual(['A']);
  });
});

describe('EventStoreDB double: reads', () => {
  it('reads a stream both ways, from a revision, up to a count, and says when it does not exist', async () => {
    const double = await fixture.start();
    const client = clientOf(double);
    const stream = streamName();
    await client.appendToStream(stream, ['E0', 'E1', 'E2', 'E3'].map(data));
    expect(typesOf(await collect(client.readStream(stream, { fromRevision: 1n, maxCount: 2 })))).toEqual(['E1', 'E2']);
    expect(typesOf(await collect(client.readStream(stream, { direction: BACKWARDS, fromRevision: END })))).toEqual(['E3', 'E2', 'E1', 'E0']);
    expect(typesOf(await collect(client.readStream(stream, { direction: BACKWARDS, fromRevision: 2n })))).toEqual(['E2', 'E1', 'E0']);
    expect(await failure(collect(client.readStream(streamName())))).toBeInstanceOf(StreamNotFoundError);
  });

  it('reads $all forwards from a position including it, backwards from a position excluding it', async () => {
    const double = await fixture.start();
    const client = clientOf(double);
    const stream = streamName();
    await client.appendToStream(stream, ['E0', 'E1', 'E2'].map(data));
    const mine = (events: AllStreamResolvedEvent[]) => events.filter((e) => e.event?.streamId === stream);
    const all = mine(await collect(client.readAll()));
    const middle = all[1]!.event!.position;
    expect(all.map((e) => e.commitPosition)).toEqual(all.map((e) => e.event!.position.commit));
    expect(typesOf(mine(await collect(client.readAll({ fromPosition: middle }))))).toEqual(['E1', 'E2']);
    expect(typesOf(mine(await collect(client.readAll({ fromPosition: middle, direction: BACKWARDS }))))).toEqual(['E0']);
    expect(typesOf(mine(await collect(client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 2 }))))).toEqual(['E2', 'E1']);
  });

  it('sends ids in the structured form when asked for it', async () => {
    const double = await fixture.start();
    const client = clientOf(double);
    const stream = streamName();
    const written = data('A');
    await client.appendToStream(stream, [written]);
    const raw = rawClientOf(double);
    const options = new streams.ReadReq.Options()
      .setStream(new streams.ReadReq.Options.StreamOptions().setStreamIdentifier(new shared.StreamIdentifier().setStreamName(Buffer.from(stream))).setStart(new shared.Empty()))
      .setCount('10')
      .setNoFilter(new shared.Empty())
      .setUuidOption(new streams.ReadReq.Options.UUIDOption().setStructured(new shared.Empty()));
    const responses = await collect(raw.read(new streams.ReadReq().setOptions(options)) as AsyncIterable<streams.ReadResp>);
    const id = responses[0]!.getEvent()!.getEvent()!.getId()!;
    expect(id.hasStructured()).toBe(true);
    const hex = (value: string) => BigInt.asUintN(64, BigInt(value)).toString(16).padStart(16, '0');
    const text = hex(id.getStructured()!.getMostSignificantBits()) + hex(id.getStructured()!.getLeastSignificantBits());
    expect(text).toBe(written.id.replace(/-/g, ''));
  });
});

describe('EventStoreDB double: subscriptions', () => {
  it('confirms, delivers the history, says caught-up, then delivers live events; from a position it starts after it', async () => {
    const double = await fixture.start();
    const client = clientOf(double);
    const stream = streamName();
    await client.appendToStream(stream, ['E0', 'E1'].map(data));
    const seen: string[] = [];
    const subscription = client.subscribeToAll({ fromPosition: START });
    subscription.on('confirmation', () => seen.push('confirmation'));
    subscription.on('caughtUp', () => seen.push('caught-up'));
    subscription.on('data', (e: AllStreamResolvedEvent) => {
      if (e.event?.streamId === stream) seen.push(e.event.type);
    });
    await waitFor(() => seen.includes('caught-up'));
    await client.appendToStream(stream, [data('E2')]);
    await waitFor(() => seen.includes('E2'));
    expect(seen).toEqual(['confirmation', 'E0', 'E1', 'caught-up', 'E2']);
    await subscription.unsubscribe();

    const [first] = (await collect(client.readStream(stream))).map((e) => e.event!.position!);
    const after: string[] = [];
    const fromFirst = client.subscribeToAll({ fromPosition: first! });
    fromFirst.on('data', (e: AllStreamResolvedEvent) => {
      if (e.event?.streamId === stream) after.push(e.event.type);
    });
    await waitFor(() => after.length === 2);
    expect(after).toEqual(['E1', 'E2']);
    await fromFirst.unsubscribe();
  });

  it('filters on the server and sends a checkpoint every 32 events it considered (times the multiplier)', async () => {
    const double = await fixture.start({ systemEvents: false });
    const client = clientOf(double);
    const stream = streamName();
    await client.appendToStream(stream, Array.from({ length: 70 }, (_, i) => data(i % 10 === 0 ? `Keep${i}` : `Skip${i}`)));
    const kept: string[] = [];
    const checkpoints: bigint[] = [];
    const subscription = client.subscribeToAll({
      fromPosition: START,
      filter: eventTypeFilter({ prefixes: ['Keep'], checkpointInterval: 1, checkpointReached: (_s, position) => void checkpoints.push(position.commit) }),
    });
    subscription.on('data', (e: AllStreamResolvedEvent) => kept.push(e.event!.type));
    await waitFor(() => kept.length === 7 && checkpoints.length === 2);
    const positions = double.log.events.map((e) => e.position);
    expect(kept).toEqual(['Keep0', 'Keep10', 'Keep20', 'Keep30', 'Keep40', 'Keep50', 'Keep60']);
    expect(checkpoints).toEqual([positions[31], positions[63]]);
    await subscription.unsubscribe();
  });

  it('subscribes to a stream after a revision', async () => {
    const double = await fixture.start();
    const client = clientOf(double);
    const stream = streamName();
    await client.appendToStream(stream, ['E0', 'E1', 'E2'].map(data));
    const seen: string[] = [];
    const subscription = client.subscribeToStream(stream, { fromRevision: 0n });
    subscription.on('data', (e: ResolvedEvent) => seen.push(e.event!.type));
    await client.appendToStream(stream, [data('E3')]);
    await waitFor(() => seen.length === 3);
    expect(seen).toEqual(['E1', 'E2', 'E3']);
    await subscription.unsubscribe();
  });
});

describe('EventStoreDB double: faults', () => {
  it('refuses connections during an outage and listens on the same port after restore()', async () => {
    const double = await fixture.start();
    const port = double.port;
    const client = clientOf(double);
    const stream = streamName();
    await client.appendToStream(stream, [data('A')]);
    await double.simulateOutage();
    expect(await failure(client.appendToStream(stream, [data('B')]))).toBeInstanceOf(Error);
    await double.restore();
    expect(double.port).toBe(port);
    await within(retry(() => client.appendToStream(stream, [data('B')])), 5000, 'an append after restore()');
    expect(typesOf(await collect(client.readStream(stream)))).toEqual(['A', 'B']);
  });

  it('frees its port when stopped', async () => {
    const double = await fixture.start();
    const port = double.port;
    await double.stop();
    await new Promise<void>((resolve, reject) => {
      const server = createServer().once('error', reject);
      server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
    });
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  const until = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out');
    await delay(10);
  }
}

async function retry<T>(attempt: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await attempt();
    } catch {
      await delay(50);
    }
  }
}
