/**
 * The lake's object-key layout, used by every component that reads or writes the lake (stream processor,
 * extract, quality gate, Glue, loader, local run). Documented in docs/lake-layout.md.
 *
 *   <source>/<entity>/dt=YYYY-MM-DD/hr=HH/<file>
 *
 * `source` is the producing system (`stream`, `oltp`, `quality`, `anomalies`, `analytics`…), `entity` the
 * event type or table. Validated stream events are filed under their ARRIVAL hour (`streamStagingHour`), so an hour's
 * partition only grows while that hour lasts (plus the processor's lag), whatever the events' own times. Quarantine objects additionally carry the reason: `<source>/<entity>/reason=<code>/dt=…`.
 */

export interface PartitionKeyParts {
  /** Producing system, e.g. `stream` or `oltp`. */
  readonly source: string;
  /** Event type or table name. */
  readonly entity: string;
  /** Event time or window start; partitioned by its UTC date and hour. */
  readonly time: Date;
  /** Machine-readable quarantine reason (quarantine zone only). */
  readonly reason?: string;
}

const SEGMENT = /^[a-z0-9][a-z0-9_.-]*$/;

function checkSegment(what: string, value: string): string {
  if (!SEGMENT.test(value)) throw new Error(`lake key ${what} "${value}" must match ${SEGMENT}`);
  return value;
}

/** `dt=YYYY-MM-DD/hr=HH` for a UTC instant. */
export function timePartition(time: Date): string {
  const iso = time.toISOString();
  return `dt=${iso.slice(0, 10)}/hr=${iso.slice(11, 13)}`;
}

/** The folder (ending in `/`) for one source, entity and hour. */
export function partitionPrefix(parts: PartitionKeyParts): string {
  const reason = parts.reason === undefined ? '' : `reason=${checkSegment('reason', parts.reason)}/`;
  return `${checkSegment('source', parts.source)}/${checkSegment('entity', parts.entity)}/${reason}${timePartition(parts.time)}/`;
}

/** The full object key for one file in a partition. */
export function objectKey(parts: PartitionKeyParts, fileName: string): string {
  if (fileName.includes('/') || fileName.length === 0) throw new Error(`lake file name "${fileName}" must be a non-empty single segment`);
  return `${partitionPrefix(parts)}${fileName}`;
}

const HOUR_MS = 3_600_000;

/**
 * The hour (epoch ms) a validated stream event is filed under in staging: the hour it ARRIVED in the stream (Kinesis
 * approximate arrival), not its `occurred_at`, which is kept in the event. A late event (an offline till, a mobile
 * client, a retried put) therefore lands in the current hour's partition, which that hour's batch window reads, never
 * in an hour whose batch has already run; the hourly batch also reads objects a lagging processor writes into an hour
 * after its run (docs/lake-layout.md). Deterministic per record, so a redelivered batch rewrites the same keys.
 */
export function streamStagingHour(arrivalMs: number): number {
  return Math.floor(arrivalMs / HOUR_MS) * HOUR_MS;
}
/**
 * Staging-zone key of a batch window's dbt `run_results.json`, as a States.Format template (`{}` = the window
 * id, e.g. `20260601t0900`): the state machine fills it in for the dbt task, which uploads there.
 */
export const DBT_RUN_RESULTS_KEY_TEMPLATE = 'dbt-runs/window={}/run_results.json';
/**
 * Staging-zone prefix of the stream processor's alert outbox (`alerts/ledger/…`, `alerts/pending/…`): the only part of
 * staging the processor reads, lists and deletes documents in, and so the scope of those grants.
 */
export const ALERT_PREFIX = 'alerts/';
