import type { LakeZone } from '../contracts/lake';
import { objectKey, streamStagingHour } from '../contracts/lake-keys';
import type { ContractIssue } from '../contracts/events';
import type { AnomalyRecord } from '../contracts/events-anomalies';
import { validRecordAt, type BatchOutcome, type StreamRecordInput } from './core';

/**
 * Route: turns a batch outcome into lake objects with deterministic keys (EVENTS layout):
 *   staging    stream/<event_type>/dt=…/hr=…/<shardId>-<firstSeq>-<lastSeq>.ndjson      (hour of arrival)
 *   quarantine stream/<stream>/reason=<code>/dt=…/hr=…/<shardId>-<firstSeq>-<lastSeq>.ndjson (hour of arrival)
 *   staging    anomalies/<anomaly_type>/dt=…/hr=…/<shardId>-<firstSeq>-<lastSeq>.ndjson  (hour of occurred_at)
 * First/last sequence are those of the records in the object, so re-processing the same records rewrites the same key.
 */

/** The zones the processor writes (it has no raw bucket). */
export type StreamZone = Extract<LakeZone, 'staging' | 'quarantine'>;
export type ObjectKind = 'events' | 'quarantine' | 'anomalies';

export interface PlannedObject {
  readonly zone: StreamZone;
  readonly kind: ObjectKind;
  readonly key: string;
  /** Batch index of the record behind each line (ascending). */
  readonly indexes: readonly number[];
  /** The object body (NDJSON, newline-terminated) of its first `count` lines (default: all). */
  body(count?: number): string;
}

const HOUR_MS = 3_600_000;

interface Group {
  readonly entity: string;
  readonly reason?: string;
  readonly hourMs: number;
  readonly shardId: string;
  /** The NDJSON line of each record. */
  readonly lines: string[];
  readonly indexes: number[];
}

/**
 * The objects of one kind: a group per entity (event type, reason or anomaly type), hour and shard, in first-seen
 * order. A Kinesis batch comes from one shard and its arrivals span an hour or two, so an entity has few groups to
 * search (anomalies, grouped by the hour of occurred_at, may have more, but they are few records).
 */
class Groups {
  public readonly list: Group[] = [];
  private readonly byEntity = new Map<string, Group[]>();

  public add(entity: string, reason: string | undefined, hourMs: number, shardId: string, line: string, at: number): void {
    let groups = this.byEntity.get(entity);
    if (!groups) this.byEntity.set(entity, (groups = []));
    let group = groups.find((g) => g.hourMs === hourMs && g.shardId === shardId);
    if (!group) {
      group = { entity, reason, hourMs, shardId, lines: [], indexes: [] };
      groups.push(group);
      this.list.push(group);
    }
    group.lines.push(line);
    group.indexes.push(at);
  }
}

export function planObjects(outcome: BatchOutcome): PlannedObject[] {
  const { records, stream } = outcome;
  const events = new Groups();
  for (const v of outcome.valid) {
    const r = records[v.index];
    events.add(v.eventType, undefined, streamStagingHour(r.arrivalMs), r.shardId, stagingLine(v.open, r), v.index);
  }

  const quarantine = new Groups();
  for (const q of outcome.quarantined) {
    const r = records[q.index];
    const line = quarantineLine(q.reason, q.issues, r, stream);
    quarantine.add(q.reason, q.reason, floorHour(r.arrivalMs), r.shardId, line, q.index);
  }

  const anomalies = new Groups();
  for (const f of outcome.findings) {
    const v = validRecordAt(outcome.valid, f.index);
    if (!v) throw new Error(`anomaly finding for record ${f.index}, which is not a valid event`);
    const r = records[f.index];
    const record: AnomalyRecord = {
      anomaly_type: f.type,
      event_id: v.eventId,
      event_type: v.eventType,
      customer_id: v.customerId,
      score: f.score,
      threshold: f.threshold,
      occurred_at: v.occurredAt,
      shard_id: r.shardId,
      sequence_number: r.sequenceNumber,
      arrival_time: isoTime(r.arrivalMs),
    };
    anomalies.add(f.type, undefined, floorHour(v.occurredMs), r.shardId, JSON.stringify(record), f.index);
  }

  const objects: PlannedObject[] = [];
  const emit = (groups: Groups, zone: StreamZone, kind: ObjectKind, source: string, entityOf: (g: Group) => string) => {
    for (const g of groups.list) {
      const first = records[g.indexes[0]].sequenceNumber;
      const last = records[g.indexes[g.indexes.length - 1]].sequenceNumber;
      const key = objectKey(
        { source, entity: entityOf(g), reason: g.reason, time: new Date(g.hourMs) },
        `${g.shardId}-${first}-${last}.ndjson`,
      );
      const { lines, indexes } = g;
      objects.push({ zone, kind, key, indexes, body: (count = lines.length) => bodyOf(lines.slice(0, count)) });
    }
  };
  emit(events, 'staging', 'events', 'stream', (g) => g.entity);
  emit(quarantine, 'quarantine', 'quarantine', 'stream', () => stream);
  emit(anomalies, 'staging', 'anomalies', 'anomalies', (g) => g.entity);
  return objects;
}

/** One quarantine NDJSON line: the reason, its issues and the record as received, with its stream position. */
export function quarantineLine(reason: string, issues: readonly ContractIssue[], r: StreamRecordInput, stream: string): string {
  return JSON.stringify({
    reason,
    issues,
    raw_base64: r.data,
    shard_id: r.shardId,
    sequence_number: r.sequenceNumber,
    arrival_time: isoTime(r.arrivalMs),
    stream,
  });
}

/**
 * One staging line: the validated event (`ValidRecord.open`: its JSON without the closing brace) followed by its stream
 * position, `,"_shard_id":…,"_sequence_number":…,"_arrival_time":…}`.
 */
function stagingLine(open: string, r: StreamRecordInput): string {
  return `${open},"_shard_id":${JSON.stringify(r.shardId)},"_sequence_number":${JSON.stringify(r.sequenceNumber)},"_arrival_time":"${isoTime(r.arrivalMs)}"}`;
}

let cachedSecond = NaN;
let cachedSecondIso = '';
/**
 * `new Date(ms).toISOString()`, with the date and time up to the second cached for the last second seen: a batch's
 * arrivals share seconds, and a `toISOString` per line would cost about 7% of the handler's time (bench/RESULTS.md).
 */
export function isoTime(ms: number): string {
  if (!Number.isInteger(ms)) return new Date(ms).toISOString();
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedSecondIso = new Date(second * 1000).toISOString().slice(0, -4);
  }
  return `${cachedSecondIso}${String(ms - second * 1000).padStart(3, '0')}Z`;
}

function floorHour(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/** The object body: NDJSON, newline-terminated. */
function bodyOf(lines: readonly string[]): string {
  return lines.length ? `${lines.join('\n')}\n` : '';
}
