import { objectKey } from '../shared/lake-keys';
import type { AnomalyRecord } from '../contracts/events-anomalies';
import { validRecordAt, type BatchOutcome, type StreamRecordInput } from './core';
import { openObjectText, textIsExactly } from './raw-json';

/**
 * Route: turns a batch outcome into lake objects with deterministic keys (EVENTS layout):
 *   staging    stream/<event_type>/dt=…/hr=…/<shardId>-<firstSeq>-<lastSeq>.ndjson      (hour of occurred_at)
 *   quarantine stream/<stream>/reason=<code>/dt=…/hr=…/<shardId>-<firstSeq>-<lastSeq>.ndjson (hour of arrival)
 *   staging    anomalies/<anomaly_type>/dt=…/hr=…/<shardId>-<firstSeq>-<lastSeq>.ndjson  (hour of occurred_at)
 * First/last sequence are those of the records in the object, so re-processing the same records rewrites the same key.
 */

export type LakeZone = 'staging' | 'quarantine';
export type ObjectKind = 'events' | 'quarantine' | 'anomalies';

export interface PlannedObject {
  readonly zone: LakeZone;
  readonly kind: ObjectKind;
  readonly key: string;
  /** One NDJSON line per entry, in batch order. */
  readonly lines: readonly string[];
  /** Batch index of the record behind each line (ascending). */
  readonly indexes: readonly number[];
}

const HOUR_MS = 3_600_000;

interface Group {
  readonly entity: string;
  readonly reason?: string;
  readonly hourMs: number;
  readonly shardId: string;
  readonly lines: string[];
  readonly indexes: number[];
}

/**
 * The objects of one kind: entity (event type, reason or anomaly type) → hour → shard → group, with the entity's
 * latest group checked first (consecutive records of an entity almost always share hour and shard). No per-record
 * key strings or closures.
 */
class Groups {
  public readonly list: Group[] = [];
  private readonly index = new Map<string, Map<number, Map<string, Group>>>();
  private readonly latest = new Map<string, Group>();

  public add(entity: string, reason: string | undefined, hourMs: number, shardId: string, line: string, at: number): void {
    let group = this.latest.get(entity);
    if (group === undefined || group.hourMs !== hourMs || group.shardId !== shardId) {
      group = this.find(entity, reason, hourMs, shardId);
      this.latest.set(entity, group);
    }
    group.lines.push(line);
    group.indexes.push(at);
  }

  private find(entity: string, reason: string | undefined, hourMs: number, shardId: string): Group {
    let byHour = this.index.get(entity);
    if (!byHour) this.index.set(entity, (byHour = new Map()));
    let byShard = byHour.get(hourMs);
    if (!byShard) byHour.set(hourMs, (byShard = new Map()));
    let group = byShard.get(shardId);
    if (!group) {
      byShard.set(shardId, (group = { entity, reason, hourMs, shardId, lines: [], indexes: [] }));
      this.list.push(group);
    }
    return group;
  }
}

export function planObjects(outcome: BatchOutcome): PlannedObject[] {
  const { records, stream } = outcome;
  const events = new Groups();
  for (const v of outcome.valid) events.add(v.eventType, undefined, floorHour(v.occurredMs), records[v.index].shardId, v.line, v.index);

  const quarantine = new Groups();
  for (const q of outcome.quarantined) {
    const r = records[q.index];
    const line = JSON.stringify({
      reason: q.reason,
      issues: q.issues,
      raw_base64: r.data,
      shard_id: r.shardId,
      sequence_number: r.sequenceNumber,
      arrival_time: isoTime(r.arrivalMs),
      stream,
    });
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
  const emit = (groups: Groups, zone: LakeZone, kind: ObjectKind, source: string, entityOf: (g: Group) => string) => {
    for (const g of groups.list) {
      const first = records[g.indexes[0]].sequenceNumber;
      const last = records[g.indexes[g.indexes.length - 1]].sequenceNumber;
      const key = objectKey({ source, entity: entityOf(g), reason: g.reason, time: new Date(g.hourMs) }, `${g.shardId}-${first}-${last}.ndjson`);
      objects.push({ zone, kind, key, lines: g.lines, indexes: g.indexes });
    }
  };
  emit(events, 'staging', 'events', 'stream', (g) => g.entity);
  emit(quarantine, 'quarantine', 'quarantine', 'stream', () => stream);
  emit(anomalies, 'staging', 'anomalies', 'anomalies', (g) => g.entity);
  return objects;
}

/**
 * The staging NDJSON line: the validated event plus its stream position (`_shard_id`, `_sequence_number`,
 * `_arrival_time`). `value` is the parsed JSON that validated (strict, non-transforming contracts: it is the event) and
 * `text` the JSON it was parsed from; the text is reused when that is unambiguous (see raw-json.ts).
 */
export function stagingLine(value: unknown, text: string, record: StreamRecordInput): string {
  const open = textIsExactly(text, value) ? openObjectText(text) : JSON.stringify(value).slice(0, -1);
  return open + positionSuffix(record);
}

let lastShard = '';
let lastShardJson = '';
const DIGITS = /^\d+$/;

/** `,"_shard_id":…,"_sequence_number":…,"_arrival_time":…}` (a batch has one shard: its JSON is reused). */
function positionSuffix(record: StreamRecordInput): string {
  if (record.shardId !== lastShard) {
    lastShard = record.shardId;
    lastShardJson = JSON.stringify(record.shardId);
  }
  const seq = DIGITS.test(record.sequenceNumber) ? `"${record.sequenceNumber}"` : JSON.stringify(record.sequenceNumber);
  return `,"_shard_id":${lastShardJson},"_sequence_number":${seq},"_arrival_time":"${isoTime(record.arrivalMs)}"}`;
}

let lastSecond = NaN;
let lastSecondIso = '';
/** `Date#toISOString` with the `YYYY-MM-DDTHH:MM:SS.` prefix reused within a second (arrivals in a batch are close). */
export function isoTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond || !Number.isInteger(ms)) {
    if (!Number.isInteger(ms)) return new Date(ms).toISOString();
    lastSecond = second;
    const iso = new Date(second * 1000).toISOString();
    lastSecondIso = iso.slice(0, iso.length - 4);
  }
  const frac = ms - second * 1000;
  return `${lastSecondIso}${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}Z`;
}

function floorHour(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/** The object body: NDJSON, newline-terminated. */
export function bodyOf(lines: readonly string[]): string {
  return lines.length ? `${lines.join('\n')}\n` : '';
}
