import type { LakeZone } from '../contracts/lake';
import { objectKey, streamStagingHour } from '../contracts/lake-keys';
import type { ContractIssue } from '../contracts/events';
import type { AnomalyRecord } from '../contracts/events-anomalies';
import { validRecordAt, type BatchOutcome, type StreamRecordInput } from './core';
import { openObjectText, textIsExactly } from './raw-json';

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
  /** One entry per line: the line, or for staging events the event's open object text (see `ValidRecord.open`). */
  readonly items: string[];
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

  public add(entity: string, reason: string | undefined, hourMs: number, shardId: string, item: string, at: number): void {
    let group = this.latest.get(entity);
    if (group === undefined || group.hourMs !== hourMs || group.shardId !== shardId) {
      group = this.find(entity, reason, hourMs, shardId);
      this.latest.set(entity, group);
    }
    group.items.push(item);
    group.indexes.push(at);
  }

  private find(entity: string, reason: string | undefined, hourMs: number, shardId: string): Group {
    let byHour = this.index.get(entity);
    if (!byHour) this.index.set(entity, (byHour = new Map()));
    let byShard = byHour.get(hourMs);
    if (!byShard) byHour.set(hourMs, (byShard = new Map()));
    let group = byShard.get(shardId);
    if (!group) {
      byShard.set(shardId, (group = { entity, reason, hourMs, shardId, items: [], indexes: [] }));
      this.list.push(group);
    }
    return group;
  }
}

export function planObjects(outcome: BatchOutcome): PlannedObject[] {
  const { records, stream } = outcome;
  const events = new Groups();
  for (const v of outcome.valid) events.add(v.eventType, undefined, streamStagingHour(records[v.index].arrivalMs), records[v.index].shardId, v.open, v.index);

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
      const key = objectKey({ source, entity: entityOf(g), reason: g.reason, time: new Date(g.hourMs) }, `${g.shardId}-${first}-${last}.ndjson`);
      const { items, indexes } = g;
      const body =
        kind === 'events'
          ? (count = items.length) => stagingBody(items, indexes, records, count)
          : (count = items.length) => bodyOf(count === items.length ? items : items.slice(0, count));
      objects.push({ zone, kind, key, indexes, body });
    }
  };
  emit(events, 'staging', 'events', 'stream', (g) => g.entity);
  emit(quarantine, 'quarantine', 'quarantine', 'stream', () => stream);
  emit(anomalies, 'staging', 'anomalies', 'anomalies', (g) => g.entity);
  return objects;
}

const BASE64 = /^[A-Za-z0-9+/=]*$/;
const PLAIN = /^[\w-]*$/;
/** JSON of a string that needs no escaping as a quoted copy, anything else through JSON.stringify. */
const jsonString = (s: string, plain: RegExp): string => (plain.test(s) ? `"${s}"` : JSON.stringify(s));

/**
 * One quarantine NDJSON line: exactly `JSON.stringify({reason, issues, raw_base64, shard_id, sequence_number,
 * arrival_time, stream})`, cheaper: the record data is almost always base64, which JSON.stringify would scan character
 * by character for escapes; a character-class test decides that faster, and only the issues go through
 * JSON.stringify (test/streaming/fast-paths.test.ts checks the two agree).
 */
export function quarantineLine(reason: string, issues: readonly ContractIssue[], r: StreamRecordInput, stream: string): string {
  // An ISO timestamp (digits, `-+:.TZ`) never needs escaping.
  return `{"reason":${jsonString(reason, PLAIN)},"issues":${JSON.stringify(issues)},"raw_base64":${jsonString(r.data, BASE64)},"shard_id":${jsonString(r.shardId, PLAIN)},"sequence_number":${jsonString(r.sequenceNumber, PLAIN)},"arrival_time":"${isoTime(r.arrivalMs)}","stream":${jsonString(stream, PLAIN)}}`;
}

/** The staging line up to its position fields: the event's JSON on one line without its closing brace. */
export function stagingOpen(value: unknown, text: string): string {
  return textIsExactly(text, value) ? openObjectText(text) : JSON.stringify(value).slice(0, -1);
}

const DIGITS = /^\d+$/;
/** `${pad}${ms}Z"}\n` for every millisecond: the end of a staging line after its arrival second. */
const MS_TAIL = Array.from({ length: 1000 }, (_, ms) => `${String(ms).padStart(3, '0')}Z"}\n`);

/**
 * The NDJSON body of a staging object's first `count` lines, newline-terminated. A staging line is the validated event
 * plus its stream position: `stagingOpen` (the event's JSON; `value` is the parsed JSON that validated — strict,
 * non-transforming contracts: it is the event — and the received text is reused when that is unambiguous, see
 * raw-json.ts) followed by `,"_shard_id":…,"_sequence_number":…,"_arrival_time":…}`. Built by one join over pieces:
 * the open texts, per-shard constants, the sequence numbers, the cached arrival second and a per-millisecond tail. No
 * per-line strings are built.
 */
export function stagingBody(opens: readonly string[], indexes: readonly number[], records: readonly StreamRecordInput[], count: number): string {
  if (count === 0) return '';
  const pieces: string[] = new Array(count * 6);
  let shard: string | undefined;
  let shardPiece = '';
  let shardQuotePiece = '';
  let p = 0;
  for (let j = 0; j < count; j++) {
    const r = records[indexes[j]];
    if (r.shardId !== shard) {
      shard = r.shardId;
      shardPiece = `,"_shard_id":${JSON.stringify(shard)},"_sequence_number":`;
      shardQuotePiece = `${shardPiece}"`;
    }
    pieces[p++] = opens[j];
    const seq = r.sequenceNumber;
    if (DIGITS.test(seq)) {
      pieces[p++] = shardQuotePiece;
      pieces[p++] = seq;
      pieces[p++] = '","_arrival_time":"';
    } else {
      pieces[p++] = shardPiece;
      pieces[p++] = JSON.stringify(seq);
      pieces[p++] = ',"_arrival_time":"';
    }
    const ms = r.arrivalMs;
    if (Number.isInteger(ms)) {
      pieces[p++] = isoSecond(ms);
      pieces[p++] = MS_TAIL[ms - Math.floor(ms / 1000) * 1000];
    } else {
      pieces[p++] = isoTime(ms);
      pieces[p++] = '"}\n';
    }
  }
  return pieces.join('');
}

let lastSecond = NaN;
let lastSecondIso = '';
/** `Date#toISOString` of integer `ms` up to its milliseconds (`YYYY-MM-DDTHH:MM:SS.`), reused within a second. */
function isoSecond(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    const iso = new Date(second * 1000).toISOString();
    lastSecondIso = iso.slice(0, iso.length - 4);
  }
  return lastSecondIso;
}

/** `Date#toISOString` with the `YYYY-MM-DDTHH:MM:SS.` prefix reused within a second (arrivals in a batch are close). */
export function isoTime(ms: number): string {
  if (!Number.isInteger(ms)) return new Date(ms).toISOString();
  const frac = ms - Math.floor(ms / 1000) * 1000;
  return `${isoSecond(ms)}${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}Z`;
}

function floorHour(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/** The object body: NDJSON, newline-terminated. */
export function bodyOf(lines: readonly string[]): string {
  return lines.length ? `${lines.join('\n')}\n` : '';
}
