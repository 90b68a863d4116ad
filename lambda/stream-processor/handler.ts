import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { EventContracts, StreamName } from '../contracts/events';
import { AlertOutbox, type AlertEntry, type AlertOutboxOptions } from './alert-outbox';
import { rollBackFrom, writeObjects } from './commit';
import { processBatch, validRecordAt, type BatchOutcome, type StreamRecordInput } from './core';
import type { AlertPublisher, BatchReport, DocumentStore, LogPort, MetricsSink, StreamLake } from './ports';
import { planObjects } from './route';
import type { ProcessorSettings } from '../contracts/processor-settings';

/**
 * The stream processor's handler: maps the Kinesis event onto the pure core, commits the routed objects through the
 * lake port, records the committed anomalies in the alert outbox and publishes them, records metrics and answers with
 * `batchItemFailures`.
 *
 * Failure semantics: a data error never fails a record (it is quarantined). A transient write error makes every record
 * from the lowest affected one onward unpersisted: objects holding such records are rolled back (rewritten without
 * them or deleted, including objects whose write was reported failed, which S3 may still have stored) and exactly
 * those records are reported. An alert that cannot be published never holds data back: it stays pending in the
 * outbox (`alert-outbox.ts`). Only when the outbox itself cannot be written are the records from the first
 * unrecorded anomaly reported again (their data stays committed; a redelivery rewrites it under the same keys).
 */

export interface StreamHandlerDeps {
  readonly settings: ProcessorSettings;
  readonly contracts: EventContracts;
  readonly lake: StreamLake;
  readonly alerts: AlertPublisher;
  readonly metrics: MetricsSink;
  readonly logger: LogPort;
  /** @default Date.now */
  readonly now?: () => number;
  /** Concurrent lake writes per invocation. @default 16 */
  readonly concurrency?: number;
  /** Where the alert outbox keeps its ledgers. */
  readonly outboxStore: DocumentStore;
  /** Publish retries of the outbox. */
  readonly outbox?: AlertOutboxOptions;
  /** Minimum time between two sweeps of the outbox by one container (ms). @default 60_000 */
  readonly sweepEveryMs?: number;
  /** Pending ledgers sent per sweep. @default 5 */
  readonly sweepMax?: number;
}

export type StreamHandler = (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>;

export function createStreamHandler(deps: StreamHandlerDeps): StreamHandler {
  const now = deps.now ?? Date.now;
  const concurrency = deps.concurrency ?? 16;
  const core = { contracts: deps.contracts, anomaly: deps.settings.anomaly, highValueAmount: deps.settings.highValueAmount };
  const outbox = new AlertOutbox(deps.outboxStore, deps.alerts, deps.settings.environment, deps.outbox);
  const sweepEveryMs = deps.sweepEveryMs ?? 60_000;
  let lastSweep = -Infinity;

  return async (event) => {
    const started = now();
    const records = event.Records ?? [];
    if (records.length === 0) {
      // An empty event (never sent by the mapping; `aws lambda invoke` by on-call) sends what waits in the alert outbox.
      lastSweep = -Infinity;
      const sweep = await sweepIfDue(new Set());
      deps.logger.info('alert outbox swept', { ...sweep });
      return { batchItemFailures: [] };
    }
    const stream = resolveStream(records[0].eventSourceARN, deps.settings.streams);
    const outcome = processBatch(stream, toInputs(records), core);
    const objects = planObjects(outcome);

    const write = await writeObjects(objects, deps.lake, concurrency);
    const failedFrom = write.failedFrom;
    for (const e of write.errors) deps.logger.warn('lake write failed', { stream, error: e });

    let compensationFailures = 0;
    if (failedFrom !== undefined) {
      const rollback = await rollBackFrom(objects, failedFrom, deps.lake, concurrency);
      compensationFailures = rollback.failures;
      for (const e of rollback.errors)
        deps.logger.error('rollback failed: records after the failure may be duplicated on redelivery', { stream, error: e });
    }

    const committed = failedFrom === undefined ? outcome.findings : outcome.findings.filter((f) => f.index < failedFrom);
    const alerts = await announce(
      committed.map((f) => alertEntryOf(outcome, f)),
      stream,
    );
    const redeliverFrom = Math.min(
      failedFrom ?? Infinity,
      alerts.unrecordedFrom === undefined ? Infinity : committed[alerts.unrecordedFrom].index,
    );
    const sweep = await sweepIfDue(alerts.ledgers);

    const report: BatchReport = {
      ...reportOf(outcome, failedFrom, compensationFailures, now() - started, now()),
      retried: Number.isFinite(redeliverFrom) ? records.length - redeliverFrom : 0,
      alertFailures: alerts.failures,
      alertsDeferred: alerts.deferred + sweep.deferred,
      alertOutboxDepth: sweep.depth,
    };
    deps.metrics.record(report);
    deps.logger.info('batch processed', { ...report });
    const unpersisted = Number.isFinite(redeliverFrom) ? records.slice(redeliverFrom) : [];
    return { batchItemFailures: unpersisted.map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber })) };
  };

  /** Records the entries in the outbox and publishes them; `unrecordedFrom` is the first entry the outbox could not record. */
  async function announce(entries: (AlertEntry & { arrivalMs: number })[], stream: string) {
    const result = { deferred: 0, failures: 0, unrecordedFrom: undefined as number | undefined, ledgers: new Set<string>() };
    if (entries.length === 0) return result;
    let ledgers: string[];
    try {
      ledgers = await outbox.enqueue(stream, entries);
    } catch (err) {
      deps.logger.error('alert outbox not writable: records from the first anomaly are redelivered (their data is committed)', {
        stream,
        error: String(err),
      });
      result.unrecordedFrom = 0;
      return result;
    }
    for (const name of ledgers) {
      result.ledgers.add(name);
      try {
        const r = await outbox.send(name);
        result.deferred += r.deferred;
        result.failures += r.failures;
      } catch (err) {
        result.failures++;
        deps.logger.warn('anomaly alert left pending in the outbox', { stream, ledger: name, error: String(err) });
      }
    }
    if (result.failures)
      deps.logger.warn('anomaly summary not published; entries stay pending in the alert outbox', { stream, deferred: result.deferred });
    return result;
  }

  /** Sends other ledgers' pending entries, at most once per `sweepEveryMs` per container. */
  async function sweepIfDue(justSent: ReadonlySet<string>): Promise<{ deferred: number; depth?: number }> {
    if (now() - lastSweep < sweepEveryMs) return { deferred: 0 };
    lastSweep = now();
    try {
      const r = await outbox.sweep(deps.sweepMax ?? 5, justSent);
      return { deferred: r.deferred, depth: r.depth };
    } catch (err) {
      deps.logger.warn('alert outbox sweep failed', { error: String(err) });
      return { deferred: 0 };
    }
  }
}

/** An anomaly finding as an outbox entry (with its record's arrival, which places it in a ledger). */
function alertEntryOf(outcome: BatchOutcome, f: BatchOutcome['findings'][number]): AlertEntry & { arrivalMs: number } {
  const r = outcome.records[f.index];
  const eventId = validRecordAt(outcome.valid, f.index)?.eventId ?? '';
  return {
    anomaly_type: f.type,
    event_id: eventId,
    shard_id: r.shardId,
    sequence_number: r.sequenceNumber,
    score: f.score,
    threshold: f.threshold,
    arrivalMs: r.arrivalMs,
  };
}
/** `arn:aws:kinesis:<region>:<account>:stream/<name>` → the logical stream configured for `<name>`. */
export function resolveStream(arn: string, streams: Readonly<Record<string, StreamName>>): StreamName {
  const name = arn.slice(arn.indexOf(':stream/') + ':stream/'.length);
  const stream = Object.prototype.hasOwnProperty.call(streams, name) ? streams[name] : undefined;
  if (!arn.includes(':stream/') || !stream)
    throw new Error(`event source ${arn} is not a configured stream (${Object.keys(streams).join(', ')})`);
  return stream;
}

/** The core's view of the records; the shard id (the `eventID` up to its first colon) is reused while it repeats. */
function toInputs(records: readonly KinesisStreamRecord[]): StreamRecordInput[] {
  const inputs = new Array<StreamRecordInput>(records.length);
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
function reportOf(
  outcome: BatchOutcome,
  failedFrom: number | undefined,
  compensationFailures: number,
  processingMs: number,
  nowMs: number,
) {
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
    processingMs,
    maxRecordAgeMs: Math.max(0, nowMs - oldest),
    compensationFailures,
  };
}
