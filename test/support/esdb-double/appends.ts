/** Streams.Append (client-streaming) and Streams.BatchAppend (bidirectional), answered as EventStoreDB answers. */
import * as grpc from '@grpc/grpc-js';
import * as streams from '@eventstore/db-client/generated/streams_pb';
import type { Expectation, ProposedEvent, TransactionLog } from './log';
import {
  appendExpectation,
  appendSuccess,
  appendWrongExpectedVersion,
  batchBadRequest,
  batchExpectation,
  batchSuccess,
  batchTimeout,
  batchWrongExpectedVersion,
  parseUuid,
  proposedEvent,
  RequestRefused,
  streamIdentifier,
  streamName,
} from './messages';
import { type Gate, Outbox } from './outbox';

export function handleAppend(
  log: TransactionLog,
  call: grpc.ServerReadableStream<streams.AppendReq, streams.AppendResp>,
  callback: grpc.sendUnaryData<streams.AppendResp>,
): void {
  let target: { stream: string; expectation: Expectation } | undefined;
  const events: ProposedEvent[] = [];
  let failed = false;
  const refuse = (error: unknown) => {
    if (failed) return;
    failed = true;
    callback(error instanceof RequestRefused ? error.toServiceError() : { code: grpc.status.INTERNAL, details: String(error) });
  };
  call.on('data', (request: streams.AppendReq) => {
    if (failed) return;
    try {
      if (!target) {
        const options = request.getOptions();
        if (!options) throw new RequestRefused(grpc.status.INVALID_ARGUMENT, 'the first message must carry the options');
        target = { stream: streamName(options.getStreamIdentifier()), expectation: appendExpectation(options) };
        return;
      }
      const message = request.getProposedMessage();
      if (!message) throw new RequestRefused(grpc.status.INVALID_ARGUMENT, 'expected a proposed message');
      events.push(proposedEvent(message));
    } catch (error) {
      refuse(error);
    }
  });
  call.on('end', () => {
    if (failed) return;
    if (!target) return refuse(new RequestRefused(grpc.status.INVALID_ARGUMENT, 'no options sent'));
    const outcome = log.append(target.stream, target.expectation, events);
    callback(
      null,
      outcome.kind === 'success'
        ? appendSuccess(outcome.currentRevision, outcome.position)
        : appendWrongExpectedVersion(outcome.currentRevision, target.expectation),
    );
  });
  call.on('error', () => {
    failed = true;
  });
}

interface PendingBatch {
  stream: string;
  expectation: Expectation;
  deadline: Date | undefined;
  events: ProposedEvent[];
}

export function handleBatchAppend(
  log: TransactionLog,
  gate: Gate,
  call: grpc.ServerDuplexStream<streams.BatchAppendReq, streams.BatchAppendResp>,
): void {
  const out = new Outbox(call, gate);
  const pending = new Map<string, PendingBatch>();
  const answer = (request: streams.BatchAppendReq, stream: string | undefined, fill: (response: streams.BatchAppendResp) => void) => {
    const response = new streams.BatchAppendResp();
    const correlation = request.getCorrelationId();
    if (correlation) response.setCorrelationId(correlation);
    if (stream !== undefined) response.setStreamIdentifier(streamIdentifier(stream));
    fill(response);
    void out.write(response);
  };
  call.on('data', (request: streams.BatchAppendReq) => {
    // a server that stopped answering does not get to the request at all
    if (gate.shut) return;
    let batch: PendingBatch | undefined;
    try {
      const correlationId = parseUuid(request.getCorrelationId());
      const options = request.getOptions();
      if (options) {
        const timestamp = options.getDeadline();
        pending.set(correlationId, {
          stream: streamName(options.getStreamIdentifier()),
          expectation: batchExpectation(options),
          deadline: timestamp ? timestamp.toDate() : undefined,
          events: [],
        });
      }
      batch = pending.get(correlationId);
      if (!batch) return;
      for (const message of request.getProposedMessagesList()) batch.events.push(proposedEvent(message));
      if (!request.getIsFinal()) return;
      pending.delete(correlationId);
      const { stream, expectation, deadline, events } = batch;
      if (deadline && deadline.getTime() <= Date.now()) {
        answer(request, stream, (response) => response.setError(batchTimeout()));
        return;
      }
      const outcome = log.append(stream, expectation, events);
      answer(request, stream, (response) => {
        if (outcome.kind === 'success') response.setSuccess(batchSuccess(outcome.currentRevision, outcome.position));
        else response.setError(batchWrongExpectedVersion(outcome.currentRevision, expectation));
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      answer(request, batch?.stream, (response) => response.setError(batchBadRequest(message)));
    }
  });
  call.on('end', () => out.end());
}
