/**
 * The lake's object-key layout, used by every component that reads or writes the lake (stream processor,
 * extract, quality gate, Glue, loader, local run). Documented in docs/lake-layout.md.
 *
 *   <source>/<entity>/dt=YYYY-MM-DD/hr=HH/<file>
 *
 * `source` is the producing system (`stream`, `oltp`, `quality`, `anomalies`, `analytics`…), `entity` the
 * event type or table. Quarantine objects additionally carry the reason: `<source>/<entity>/reason=<code>/dt=…`.
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

/**
 * Staging-zone key of a batch window's dbt `run_results.json`, as a States.Format template (`{}` = the window
 * id, e.g. `20260601t0900`): the state machine fills it in for the dbt task, which uploads there.
 */
export const DBT_RUN_RESULTS_KEY_TEMPLATE = 'dbt-runs/window={}/run_results.json';
