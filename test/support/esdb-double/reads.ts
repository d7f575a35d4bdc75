/**
 * Streams.Read as EventStoreDB answers it: a stream or $all, forwards or backwards, at most `count` events, and
 * catch-up subscriptions (confirmation, history, caught-up, live events, filter checkpoints).
 */
import * as grpc from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import * as streams from '@eventstore/db-client/generated/streams_pb';
import type { LoggedEvent, TransactionLog } from './log';
import { caughtUp, checkpoint, confirmation, readEvent, RequestRefused, streamName, streamNotFound, type UuidFormat } from './messages';
import { type Gate, Outbox } from './outbox';

export interface ReadSettings {
  /** send CaughtUp when a subscription reaches the end of the log (servers from 23.10 do) */
  caughtUp: boolean;
  /** a live subscription whose client lags more events than this is dropped, as the server drops slow consumers */
  slowConsumerLimit: number;
  /** the calls being answered, for tests to look at */
  active: Set<ActiveRead>;
  gate: Gate;
  /** subscriptions started and subscriptions dropped as slow consumers, since the double started */
  counts: { subscriptions: number; slowConsumersDropped: number };
}

/** A read or subscription in progress: how many events it sent, and whether it waits for the client to read. */
export interface ActiveRead {
  readonly kind: 'read' | 'subscription';
  readonly sent: number;
  readonly waiting: boolean;
}

const Options = streams.ReadReq.Options;
/** the server's read page size, also the default search window of a filtered subscription */
const READ_BATCH_SIZE = 32;

export async function handleRead(
  log: TransactionLog,
  settings: ReadSettings,
  call: grpc.ServerWritableStream<streams.ReadReq, streams.ReadResp>,
): Promise<void> {
  const out = new Outbox(call, settings.gate);
  const options = call.request.getOptions();
  const subscribing = options?.getCountOptionCase() === Options.CountOptionCase.SUBSCRIPTION;
  const active: ActiveRead = {
    kind: subscribing ? 'subscription' : 'read',
    get sent() {
      return out.sent;
    },
    get waiting() {
      return out.waiting;
    },
  };
  settings.active.add(active);
  if (subscribing) settings.counts.subscriptions += 1;
  try {
    if (!options) throw new RequestRefused(grpc.status.INVALID_ARGUMENT, 'read options are required');
    const format: UuidFormat = options.getUuidOption()?.hasStructured() ? 'structured' : 'string';
    switch (options.getStreamOptionCase()) {
      case Options.StreamOptionCase.STREAM: {
        const stream = options.getStream() as streams.ReadReq.Options.StreamOptions;
        if (subscribing) await subscribe(log, settings, out, streamSubscription(log, stream), format);
        else await readStream(log, out, stream, options, format);
        break;
      }
      case Options.StreamOptionCase.ALL: {
        const all = options.getAll() as streams.ReadReq.Options.AllOptions;
        if (subscribing) await subscribe(log, settings, out, allSubscription(log, all, options), format);
        else await readAll(log, out, all, options, format);
        break;
      }
      default:
        throw new RequestRefused(grpc.status.INVALID_ARGUMENT, 'read a stream or $all');
    }
    out.end();
  } catch (error) {
    if (error instanceof RequestRefused) out.fail(error.toServiceError());
    else out.fail({ code: grpc.status.INTERNAL, details: String(error) });
  } finally {
    settings.active.delete(active);
  }
}

function count(options: streams.ReadReq.Options): bigint {
  return options.getCountOptionCase() === Options.CountOptionCase.COUNT ? BigInt(options.getCount()) : BigInt(Number.MAX_SAFE_INTEGER);
}

async function send(out: Outbox<streams.ReadResp>, events: Iterable<LoggedEvent>, limit: bigint, format: UuidFormat, all: boolean): Promise<void> {
  let sent = 0n;
  for (const event of events) {
    if (sent >= limit || out.closed) return;
    await out.write(readEvent(event, format, all));
    sent += 1n;
  }
}

async function readStream(
  log: TransactionLog,
  out: Outbox<streams.ReadResp>,
  options: streams.ReadReq.Options.StreamOptions,
  read: streams.ReadReq.Options,
  format: UuidFormat,
): Promise<void> {
  const name = streamName(options.getStreamIdentifier());
  const events = log.stream(name);
  if (!events || events.length === 0) {
    await out.write(streamNotFound(name));
    return;
  }
  const Case = Options.StreamOptions.RevisionOptionCase;
  const backwards = read.getReadDirection() === Options.ReadDirection.BACKWARDS;
  const last = BigInt(events.length - 1);
  let from: bigint;
  switch (options.getRevisionOptionCase()) {
    case Case.START:
      from = backwards ? -1n : 0n;
      break;
    case Case.END:
      from = backwards ? last : last + 1n;
      break;
    case Case.REVISION:
      from = BigInt(options.getRevision());
      break;
    default:
      throw new RequestRefused(grpc.status.INVALID_ARGUMENT, 'revision option is required');
  }
  await send(out, backwards ? walkBack(events, from) : walkForward(events, from), count(read), format, false);
}

function* walkForward(events: readonly LoggedEvent[], from: bigint): Generator<LoggedEvent> {
  for (let index = Number(from); index < events.length; index += 1) yield events[index] as LoggedEvent;
}

function* walkBack(events: readonly LoggedEvent[], from: bigint): Generator<LoggedEvent> {
  for (let index = Math.min(Number(from), events.length - 1); index >= 0; index -= 1) yield events[index] as LoggedEvent;
}

async function readAll(
  log: TransactionLog,
  out: Outbox<streams.ReadResp>,
  options: streams.ReadReq.Options.AllOptions,
  read: streams.ReadReq.Options,
  format: UuidFormat,
): Promise<void> {
  const Case = Options.AllOptions.AllOptionCase;
  const backwards = read.getReadDirection() === Options.ReadDirection.BACKWARDS;
  const filter = readFilter(read);
  let events: Iterable<LoggedEvent>;
  switch (options.getAllOptionCase()) {
    case Case.START:
      events = backwards ? [] : log.events;
      break;
    case Case.END:
      events = backwards ? walkBack(log.events, BigInt(log.events.length - 1)) : [];
      break;
    case Case.POSITION: {
      const position = BigInt(options.getPosition()?.getCommitPosition() ?? '0');
      // forwards from a position includes the event there; backwards positions point after a record
      events = backwards
        ? [...log.events].reverse().filter((event) => event.position < position)
        : log.events.filter((event) => event.position >= position);
      break;
    }
    default:
      throw new RequestRefused(grpc.status.INVALID_ARGUMENT, 'position option is required');
  }
  await send(out, filtered(events, filter.accepts), count(read), format, true);
}

function* filtered(events: Iterable<LoggedEvent>, accepts: (event: LoggedEvent) => boolean): Generator<LoggedEvent> {
  for (const event of events) if (accepts(event)) yield event;
}

interface ReadFilter {
  accepts(event: LoggedEvent): boolean;
  /** events considered between two checkpoints; undefined when unfiltered (no checkpoints) */
  checkpointInterval: number | undefined;
}

function readFilter(read: streams.ReadReq.Options): ReadFilter {
  const filter = read.getFilter();
  if (read.getFilterOptionCase() !== Options.FilterOptionCase.FILTER || !filter) {
    return { accepts: () => true, checkpointInterval: undefined };
  }
  const byStream = filter.getFilterCase() === Options.FilterOptions.FilterCase.STREAM_IDENTIFIER;
  const expression = byStream ? filter.getStreamIdentifier() : filter.getEventType();
  if (!expression) throw new RequestRefused(grpc.status.INVALID_ARGUMENT, 'filter expression is required');
  const prefixes = expression.getPrefixList();
  const regex = prefixes.length === 0 ? new RegExp(expression.getRegex()) : undefined;
  const window = filter.getWindowCase() === Options.FilterOptions.WindowCase.MAX ? filter.getMax() : READ_BATCH_SIZE;
  const multiplier = filter.getCheckpointintervalmultiplier();
  if (multiplier <= 0) throw new RequestRefused(grpc.status.INVALID_ARGUMENT, 'checkpoint interval multiplier must be positive');
  return {
    accepts(event) {
      const subject = byStream ? event.stream : event.type;
      return regex ? regex.test(subject) : prefixes.some((prefix) => subject.startsWith(prefix));
    },
    checkpointInterval: multiplier * window,
  };
}

interface SubscriptionSource {
  /** index in the log where history starts */
  startIndex: number;
  belongs(event: LoggedEvent): boolean;
  filter: ReadFilter;
  all: boolean;
}

function allSubscription(log: TransactionLog, options: streams.ReadReq.Options.AllOptions, read: streams.ReadReq.Options): SubscriptionSource {
  const Case = Options.AllOptions.AllOptionCase;
  const filter = readFilter(read);
  switch (options.getAllOptionCase()) {
    case Case.START:
      return { startIndex: 0, belongs: () => true, filter, all: true };
    case Case.END:
      return { startIndex: log.events.length, belongs: () => true, filter, all: true };
    case Case.POSITION: {
      // a subscription from a position starts after the event at that position
      const after = BigInt(options.getPosition()?.getCommitPosition() ?? '0');
      const index = log.events.findIndex((event) => event.position > after);
      return { startIndex: index < 0 ? log.events.length : index, belongs: () => true, filter, all: true };
    }
    default:
      throw new RequestRefused(grpc.status.INVALID_ARGUMENT, 'position option is required');
  }
}

function streamSubscription(log: TransactionLog, options: streams.ReadReq.Options.StreamOptions): SubscriptionSource {
  const name = streamName(options.getStreamIdentifier());
  const Case = Options.StreamOptions.RevisionOptionCase;
  const unfiltered: ReadFilter = { accepts: () => true, checkpointInterval: undefined };
  const inStream = (after: bigint) => (event: LoggedEvent) => event.stream === name && event.revision > after;
  switch (options.getRevisionOptionCase()) {
    case Case.START:
      return { startIndex: 0, belongs: inStream(-1n), filter: unfiltered, all: false };
    case Case.END:
      return { startIndex: log.events.length, belongs: inStream(-1n), filter: unfiltered, all: false };
    case Case.REVISION:
      return { startIndex: 0, belongs: inStream(BigInt(options.getRevision())), filter: unfiltered, all: false };
    default:
      throw new RequestRefused(grpc.status.INVALID_ARGUMENT, 'revision option is required');
  }
}

async function subscribe(
  log: TransactionLog,
  settings: ReadSettings,
  out: Outbox<streams.ReadResp>,
  source: SubscriptionSource,
  format: UuidFormat,
): Promise<void> {
  let index = source.startIndex;
  let live = false;
  let considered = 0;
  let wake: (() => void) | undefined;
  const stopListening = log.onAppend(() => {
    if (live && out.waiting && log.events.length - index > settings.slowConsumerLimit) {
      settings.counts.slowConsumersDropped += 1;
      out.fail({
        code: grpc.status.ABORTED,
        details: 'Operation timed out: Consumer too slow to handle event while live. Client resubscription required.',
      });
    }
    wake?.();
  });
  try {
    await out.write(confirmation(randomUUID()));
    while (!out.closed) {
      const event = log.events[index];
      if (event) {
        index += 1;
        if (!source.belongs(event)) continue;
        if (source.filter.accepts(event)) await out.write(readEvent(event, format, source.all));
        considered += 1;
        const interval = source.filter.checkpointInterval;
        if (interval !== undefined && considered >= interval) {
          considered = 0;
          await out.write(checkpoint(event.position));
        }
        continue;
      }
      if (!live) {
        live = true;
        if (settings.caughtUp) await out.write(caughtUp());
        continue;
      }
      await out.until((resolve) => {
        wake = resolve;
        return () => {
          wake = undefined;
        };
      });
    }
  } finally {
    stopListening();
  }
}
