import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { EventContracts, StreamName } from '../contracts/events';
import { rollBackFrom, writeObjects } from './commit';
import { processBatch, type BatchOutcome, type StreamRecordInput } from './core';
import type { AlertPublisher, BatchReport, LakeWriter, LogPort, MetricsSink } from './ports';
import { planObjects } from './route';
import type { ProcessorSettings } from './settings';
import { buildAnomalySummary } from './summary';

/**
 * The stream processor's handler: maps the Kinesis event onto the pure core, commits the routed objects through the
 * lake port, sends one anomaly summary, records metrics and answers with `batchItemFailures`.
 *
 * Failure semantics: a data error never fails a record (it is quarantined). A transient write or publish error makes
 * every record from the lowest affected one onward unpersisted (later objects are rolled back) and reports exactly
 * those records, so Lambda's redelivery from the lowest reported sequence number neither loses nor duplicates.
 */

export interface StreamHandlerDeps {
  readonly settings: ProcessorSettings;
  readonly contracts: EventContracts;
  readonly lake: LakeWriter;
  readonly alerts: AlertPublisher;
  readonly metrics: MetricsSink;
  readonly logger: LogPort;
  /** @default Date.now */
  readonly now?: () => number;
  /** Concurrent lake writes per invocation. @default 16 */
  readonly concurrency?: number;
}

export type StreamHandler = (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>;

export function createStreamHandler(deps: StreamHandlerDeps): StreamHandler {
  const now = deps.now ?? Date.now;
  const concurrency = deps.concurrency ?? 16;
  const core = { contracts: deps.contracts, anomaly: deps.settings.anomaly, highValueAmount: deps.settings.highValueAmount };

  return async (event) => {
    const started = now();
    const records = event.Records ?? [];
    if (records.length === 0) return { batchItemFailures: [] };
    const stream = resolveStream(records[0].eventSourceARN, deps.settings.streams);
    const outcome = processBatch(stream, toInputs(records), core);
    const objects = planObjects(outcome);

    const write = await writeObjects(objects, deps.lake, concurrency);
    let failedFrom = write.failedFrom;
    for (const e of write.errors) deps.logger.warn('lake write failed', { stream, error: e });

    const announced = failedFrom === undefined ? outcome.findings : outcome.findings.filter((f) => f.index < (failedFrom as number));
    const summary = buildAnomalySummary(deps.settings.environment, outcome, announced, objects);
    let alertFailures = 0;
    if (summary) {
      try {
        await deps.alerts.publish(summary.subject, summary.message);
      } catch (err) {
        alertFailures = 1;
        failedFrom = Math.min(failedFrom ?? Infinity, announced[0].index);
        deps.logger.warn('anomaly summary not published; anomalous records will be redelivered', { stream, error: String(err) });
      }
    }

    let compensationFailures = 0;
    if (failedFrom !== undefined) {
      const rollback = await rollBackFrom(objects, write.results.map((e) => e === undefined), failedFrom, deps.lake, concurrency);
      compensationFailures = rollback.failures;
      for (const e of rollback.errors) deps.logger.error('rollback failed: records after the failure may be duplicated on redelivery', { stream, error: e });
    }

    const report = reportOf(outcome, failedFrom, alertFailures, compensationFailures, now() - started, now());
    deps.metrics.record(report);
    deps.logger.info('batch processed', { ...report });
    const unpersisted = failedFrom === undefined ? [] : records.slice(failedFrom);
    return { batchItemFailures: unpersisted.map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber })) };
  };
}

/** `arn:aws:kinesis:<region>:<account>:stream/<name>` → the logical stream configured for `<name>`. */
export function resolveStream(arn: string, streams: Readonly<Record<string, StreamName>>): StreamName {
  const name = arn.slice(arn.indexOf(':stream/') + ':stream/'.length);
  const stream = Object.prototype.hasOwnProperty.call(streams, name) ? streams[name] : undefined;
  if (!arn.includes(':stream/') || !stream) throw new Error(`event source ${arn} is not a configured stream (${Object.keys(streams).join(', ')})`);
  return stream;
}

/** The core's view of the records; the shard id (the `eventID` up to its first colon) is reused while it repeats. */
function toInputs(records: readonly KinesisStreamRecord[]): StreamRecordInput[] {
  const inputs: StreamRecordInput[] = new Array(records.length);
  let shardPrefix = '';
  let shardId = '';
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (shardPrefix === '' || !r.eventID.startsWith(shardPrefix)) {
      const colon = r.eventID.indexOf(':');
      shardId = colon > 0 ? r.eventID.slice(0, colon) : 'shardId-unknown';
      shardPrefix = colon > 0 ? r.eventID.slice(0, colon + 1) : '';
    }
    inputs[i] = {
      shardId,
      sequenceNumber: r.kinesis.sequenceNumber,
      arrivalMs: Math.round(r.kinesis.approximateArrivalTimestamp * 1000),
      data: r.kinesis.data,
    };
  }
  return inputs;
}

/** Counts only what was committed: redelivered records are counted when they are processed again. */
function reportOf(outcome: BatchOutcome, failedFrom: number | undefined, alertFailures: number, compensationFailures: number, processingMs: number, nowMs: number): BatchReport {
  const limit = failedFrom ?? outcome.records.length;
  const quarantinedByReason: Record<string, number> = {};
  const anomaliesByType: Record<string, number> = {};
  let quarantined = 0;
  for (const q of outcome.quarantined) {
    if (q.index >= limit) break;
    quarantined++;
    quarantinedByReason[q.reason] = (quarantinedByReason[q.reason] ?? 0) + 1;
  }
  for (const f of outcome.findings) if (f.index < limit) anomaliesByType[f.type] = (anomaliesByType[f.type] ?? 0) + 1;
  let valid = 0;
  let highValue = 0;
  for (const v of outcome.valid) {
    if (v.index >= limit) break;
    valid++;
    if (v.highValue) highValue++;
  }
  let oldest = Infinity;
  for (const r of outcome.records) oldest = Math.min(oldest, r.arrivalMs);
  return {
    stream: outcome.stream,
    recordsIn: limit,
    valid,
    quarantined,
    quarantinedByReason,
    anomaliesByType,
    highValue,
    retried: outcome.records.length - limit,
    processingMs,
    maxRecordAgeMs: Math.max(0, nowMs - oldest),
    alertFailures,
    compensationFailures,
  };
}
