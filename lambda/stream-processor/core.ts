import type { ContractIssue, EventContracts, QuarantineReason, StreamName } from '../contracts/events';
import { detectAnomalies, type Finding, type Observation } from './anomalies';
import { decodeRecord } from './decode';
import type { AnomalyConfig } from '../contracts/processor-settings';
import { stagingOpen } from './raw-json';

/**
 * The pure core of the stream processor: decode → parse → validate → classify each record of one Kinesis batch,
 * then judge the batch's valid events for anomalies. No I/O; `route.ts` turns the outcome into lake objects.
 */

/** One Kinesis record as the core needs it (the handler maps the Lambda event onto this). */
export interface StreamRecordInput {
  readonly shardId: string;
  readonly sequenceNumber: string;
  /** Approximate arrival time in the stream (epoch ms). */
  readonly arrivalMs: number;
  /** Base64 record data. */
  readonly data: string;
}

/** A validated event, kept compact: its staging NDJSON line and the fields routing and the anomaly rules need. */
export interface ValidRecord extends Observation {
  readonly eventId: string;
  readonly occurredAt: string;
  /**
   * The event exactly as validated, as JSON on one line without its closing brace: the staging line is this plus
   * `,"_shard_id":…,"_sequence_number":…,"_arrival_time":…}` (`route.ts` appends them).
   */
  readonly open: string;
  /** An order above the configured high-value amount (counted in metrics; not an anomaly). */
  readonly highValue: boolean;
}

export interface QuarantinedRecord {
  readonly index: number;
  readonly reason: QuarantineReason;
  readonly issues: readonly ContractIssue[];
}

export interface BatchOutcome {
  readonly stream: StreamName;
  readonly records: readonly StreamRecordInput[];
  readonly valid: readonly ValidRecord[];
  readonly quarantined: readonly QuarantinedRecord[];
  readonly findings: readonly Finding[];
}

export interface CoreOptions {
  readonly contracts: EventContracts;
  readonly anomaly: AnomalyConfig;
  readonly highValueAmount: number;
}

export function processBatch(stream: StreamName, records: readonly StreamRecordInput[], options: CoreOptions): BatchOutcome {
  const valid: ValidRecord[] = [];
  const quarantined: QuarantinedRecord[] = [];
  for (let index = 0; index < records.length; index++) {
    const record = records[index];
    const decoded = decodeRecord(record.data);
    if (!decoded.ok) {
      quarantined.push({ index, reason: decoded.reason, issues: decoded.issues });
      continue;
    }
    const result = options.contracts.validate(decoded.value, stream, record.arrivalMs);
    if (!result.ok) {
      quarantined.push({ index, reason: result.reason, issues: result.issues });
      continue;
    }
    const event = result.event;
    const customerId = 'customer_id' in event ? event.customer_id : null;
    const amount = event.event_type === 'order_placed' ? event.amount : undefined;
    valid.push({
      index,
      eventType: event.event_type,
      eventId: event.event_id,
      customerId,
      amount,
      occurredAt: event.occurred_at,
      occurredMs: result.occurredMs,
      arrivalMs: record.arrivalMs,
      open: stagingOpen(decoded.value, decoded.text),
      highValue: amount !== undefined && amount > options.highValueAmount,
    });
  }
  const findings = detectAnomalies(valid, options.anomaly);
  return { stream, records, valid, quarantined, findings };
}

/** The valid record of batch position `index` (`valid` is in batch order: binary search), if that record was valid. */
export function validRecordAt(valid: readonly ValidRecord[], index: number): ValidRecord | undefined {
  let lo = 0;
  let hi = valid.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = valid[mid].index;
    if (at === index) return valid[mid];
    if (at < index) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}
