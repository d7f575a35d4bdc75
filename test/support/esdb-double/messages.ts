/**
 * Protobuf messages of EventStoreDB's gRPC API as the server fills them, built with the message classes generated
 * inside @eventstore/db-client (the same module instances the client's serializers check with `instanceof`).
 */
import * as grpc from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty as GoogleEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import * as shared from '@eventstore/db-client/generated/shared_pb';
import * as streams from '@eventstore/db-client/generated/streams_pb';
import type { Code } from '@eventstore/db-client/generated/code_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import type { Expectation, LoggedEvent, ProposedEvent } from './log';

export type UuidFormat = 'string' | 'structured';

/** A request the server refuses: the status and message it would send. */
export class RequestRefused extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
    readonly trailers: Record<string, string> = {},
  ) {
    super(message);
  }

  toServiceError(): Partial<grpc.ServiceError> {
    const metadata = new grpc.Metadata();
    for (const [key, value] of Object.entries(this.trailers)) metadata.set(key, value);
    return { code: this.code, details: this.message, metadata };
  }
}

export function streamName(identifier: shared.StreamIdentifier | undefined): string {
  if (!identifier) throw new RequestRefused(grpc.status.INVALID_ARGUMENT, 'stream identifier is required');
  return Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
}

export function streamIdentifier(name: string): shared.StreamIdentifier {
  return new shared.StreamIdentifier().setStreamName(Uint8Array.from(Buffer.from(name, 'utf8')));
}

export function parseUuid(uuid: shared.UUID | undefined): string {
  if (!uuid) throw new RequestRefused(grpc.status.INVALID_ARGUMENT, 'event id is required');
  if (uuid.hasString()) return uuid.getString().toLowerCase();
  const structured = uuid.getStructured();
  if (!structured) throw new RequestRefused(grpc.status.INVALID_ARGUMENT, 'event id is empty');
  const hex =
    BigInt.asUintN(64, BigInt(structured.getMostSignificantBits())).toString(16).padStart(16, '0') +
    BigInt.asUintN(64, BigInt(structured.getLeastSignificantBits())).toString(16).padStart(16, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function uuidMessage(id: string, format: UuidFormat): shared.UUID {
  const uuid = new shared.UUID();
  if (format === 'string') return uuid.setString(id);
  const hex = id.replace(/-/g, '');
  // the server sends the halves as signed 64-bit integers (C# long)
  const most = BigInt.asIntN(64, BigInt(`0x${hex.slice(0, 16)}`));
  const least = BigInt.asIntN(64, BigInt(`0x${hex.slice(16)}`));
  return uuid.setStructured(
    new shared.UUID.Structured().setMostSignificantBits(most.toString()).setLeastSignificantBits(least.toString()),
  );
}

/** A proposed message of Append or BatchAppend; the server requires `type` and `content-type` in its metadata. */
export function proposedEvent(message: streams.AppendReq.ProposedMessage | streams.BatchAppendReq.ProposedMessage): ProposedEvent {
  const metadata = message.getMetadataMap();
  const missing = ['type', 'content-type'].filter((key) => !metadata.has(key));
  if (missing.length > 0) {
    throw new RequestRefused(grpc.status.INVALID_ARGUMENT, `Required metadata properties are missing: ${missing.join(', ')}`, {
      exception: 'missing-required-metadata-property',
      'required-metadata-properties': missing.join(','),
    });
  }
  return {
    id: parseUuid(message.getId()),
    type: metadata.get('type') ?? '',
    contentType: metadata.get('content-type') ?? '',
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}

export function appendExpectation(options: streams.AppendReq.Options): Expectation {
  const Case = streams.AppendReq.Options.ExpectedStreamRevisionCase;
  switch (options.getExpectedStreamRevisionCase()) {
    case Case.ANY:
      return { kind: 'any' };
    case Case.NO_STREAM:
      return { kind: 'no-stream' };
    case Case.STREAM_EXISTS:
      return { kind: 'stream-exists' };
    case Case.REVISION:
      return { kind: 'revision', revision: BigInt(options.getRevision()) };
    default:
      throw new RequestRefused(grpc.status.INVALID_ARGUMENT, 'expected stream revision is required');
  }
}

export function batchExpectation(options: streams.BatchAppendReq.Options): Expectation {
  const Case = streams.BatchAppendReq.Options.ExpectedStreamPositionCase;
  switch (options.getExpectedStreamPositionCase()) {
    case Case.ANY:
      return { kind: 'any' };
    case Case.NO_STREAM:
      return { kind: 'no-stream' };
    case Case.STREAM_EXISTS:
      return { kind: 'stream-exists' };
    case Case.STREAM_POSITION:
      return { kind: 'revision', revision: BigInt(options.getStreamPosition()) };
    default:
      throw new RequestRefused(grpc.status.INVALID_ARGUMENT, 'expected stream position is required');
  }
}

/** Append's answer to a failed expectation: the current and the 20.6.0 fields, both filled as the server does. */
export function appendWrongExpectedVersion(current: bigint, expectation: Expectation): streams.AppendResp {
  const wrong = new streams.AppendResp.WrongExpectedVersion();
  switch (expectation.kind) {
    case 'any':
      wrong.setExpectedAny(new shared.Empty()).setAny2060(new shared.Empty());
      break;
    case 'stream-exists':
      wrong.setExpectedStreamExists(new shared.Empty()).setStreamExists2060(new shared.Empty());
      break;
    case 'no-stream':
      // 20.6.0 clients read an expected revision of ulong.MaxValue as "no stream"; the number does not fit a double
      wrong.setExpectedNoStream(new shared.Empty());
      break;
    case 'revision':
      wrong.setExpectedRevision(expectation.revision.toString()).setExpectedRevision2060(Number(expectation.revision));
      break;
  }
  if (current < 0n) wrong.setCurrentNoStream(new shared.Empty()).setNoStream2060(new shared.Empty());
  else wrong.setCurrentRevision(current.toString()).setCurrentRevision2060(Number(current));
  return new streams.AppendResp().setWrongExpectedVersion(wrong);
}

export function appendSuccess(currentRevision: bigint, position: bigint | undefined): streams.AppendResp {
  const success = new streams.AppendResp.Success();
  if (currentRevision < 0n) success.setNoStream(new shared.Empty());
  else success.setCurrentRevision(currentRevision.toString());
  if (position === undefined) success.setNoPosition(new shared.Empty());
  else success.setPosition(new streams.AppendResp.Position().setCommitPosition(position.toString()).setPreparePosition(position.toString()));
  return new streams.AppendResp().setSuccess(success);
}

export function batchSuccess(currentRevision: bigint, position: bigint | undefined): streams.BatchAppendResp.Success {
  const success = new streams.BatchAppendResp.Success();
  if (currentRevision < 0n) success.setNoStream(new GoogleEmpty());
  else success.setCurrentRevision(currentRevision.toString());
  if (position === undefined) success.setNoPosition(new GoogleEmpty());
  else success.setPosition(new shared.AllStreamPosition().setCommitPosition(position.toString()).setPreparePosition(position.toString()));
  return success;
}

/** BatchAppend's error statuses carry a packed detail message, as Google.Rpc.Status on the server. */
export function batchStatus(code: grpc.status, message: string, detail: { bytes: Uint8Array; typeName: string }): Status {
  const any = new Any();
  any.pack(detail.bytes, detail.typeName);
  // google.rpc.Code and gRPC's status codes are the same numbers
  return new Status().setCode(code as number as Code).setMessage(message).setDetails(any);
}

export function batchWrongExpectedVersion(current: bigint, expectation: Expectation): Status {
  const wrong = new shared.WrongExpectedVersion();
  if (current < 0n) wrong.setCurrentNoStream(new GoogleEmpty());
  else wrong.setCurrentStreamRevision(current.toString());
  switch (expectation.kind) {
    case 'any':
      wrong.setExpectedAny(new GoogleEmpty());
      break;
    case 'stream-exists':
      wrong.setExpectedStreamExists(new GoogleEmpty());
      break;
    case 'no-stream':
      wrong.setExpectedNoStream(new GoogleEmpty());
      break;
    case 'revision':
      wrong.setExpectedStreamPosition(expectation.revision.toString());
      break;
  }
  return batchStatus(grpc.status.ALREADY_EXISTS, 'WrongExpectedVersion', {
    bytes: wrong.serializeBinary(),
    typeName: 'event_store.client.WrongExpectedVersion',
  });
}

export function batchTimeout(): Status {
  return batchStatus(grpc.status.DEADLINE_EXCEEDED, 'Timeout', {
    bytes: new shared.Timeout().serializeBinary(),
    typeName: 'event_store.client.Timeout',
  });
}

export function batchBadRequest(message: string): Status {
  return batchStatus(grpc.status.INVALID_ARGUMENT, 'BadRequest', {
    bytes: new shared.BadRequest().setMessage(message).serializeBinary(),
    typeName: 'event_store.client.BadRequest',
  });
}

/** An event as Read sends it; reads of $all carry the commit position on the envelope too. */
export function readEvent(event: LoggedEvent, format: UuidFormat, withCommitPosition: boolean): streams.ReadResp {
  const recorded = new streams.ReadResp.ReadEvent.RecordedEvent()
    .setId(uuidMessage(event.id, format))
    .setStreamIdentifier(streamIdentifier(event.stream))
    .setStreamRevision(event.revision.toString())
    .setCommitPosition(event.position.toString())
    .setPreparePosition(event.position.toString())
    .setData(event.data)
    .setCustomMetadata(event.metadata);
  const metadata = recorded.getMetadataMap();
  metadata.set('type', event.type);
  metadata.set('content-type', event.contentType);
  metadata.set('created', event.created.toString());
  const read = new streams.ReadResp.ReadEvent().setEvent(recorded);
  if (withCommitPosition) read.setCommitPosition(event.position.toString());
  else read.setNoPosition(new shared.Empty());
  return new streams.ReadResp().setEvent(read);
}

export function confirmation(subscriptionId: string): streams.ReadResp {
  return new streams.ReadResp().setConfirmation(new streams.ReadResp.SubscriptionConfirmation().setSubscriptionId(subscriptionId));
}

export function caughtUp(): streams.ReadResp {
  return new streams.ReadResp().setCaughtUp(new streams.ReadResp.CaughtUp());
}

export function checkpoint(position: bigint): streams.ReadResp {
  return new streams.ReadResp().setCheckpoint(
    new streams.ReadResp.Checkpoint().setCommitPosition(position.toString()).setPreparePosition(position.toString()),
  );
}

export function streamNotFound(name: string): streams.ReadResp {
  return new streams.ReadResp().setStreamNotFound(new streams.ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(name)));
}
