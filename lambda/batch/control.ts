/**
 * The state machine's control steps as pure functions: plan the window of an execution, and the metrics published
 * when gold has been built (rows loaded per table, data freshness).
 */
import { formatIssues } from '../contracts/config-parse';
import type { BatchMetricRecord } from '../contracts/metrics';
import { OLTP_TABLES, WAREHOUSE_TABLES } from '../contracts/table-specs';
import { windowForScheduledTime, windowId, windowSchema, type BatchWindow } from './window';

export interface Plan {
  readonly window: BatchWindow;
  readonly windowId: string;
  /** dbt `as_of_date`: the window's day. */
  readonly asOfDate: string;
  /**
   * Lease names this execution takes: its window, the warehouse (load + dbt), and the features of its day (the
   * customer_features job writes one `as_of_date` partition: two executions of one day must not write it at once).
   */
  readonly leases: { readonly window: string; readonly warehouse: string; readonly features: string };
  readonly tables: readonly string[];
  readonly warehouseTables: readonly string[];
  /** Window id whose warehouse load must come first (a backfill's previous window; `lambda/batch/load-order.ts`), or null. */
  readonly predecessor: string | null;
}

/** A window of the execution input, or an error naming the field (`window.end: …`). */
function parseWindow(raw: unknown, field = 'window'): BatchWindow {
  const result = windowSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new Error(`execution input: ${formatIssues(result.error.issues, [field])}`);
}

/**
 * Input: the scheduler's `scheduledTime`, or an explicit `window` (backfill, manual rerun), and for a backfill's
 * window after the first the `predecessor` window, whose warehouse load this one waits for.
 */
export function plan(input: { scheduledTime?: string; window?: BatchWindow; predecessor?: BatchWindow }): Plan {
  const window = input.window ? parseWindow(input.window) : input.scheduledTime ? windowForScheduledTime(input.scheduledTime) : undefined;
  if (!window) throw new Error('execution input needs scheduledTime (from the schedule) or window {start, end}');
  const predecessor = input.predecessor ? parseWindow(input.predecessor, 'predecessor') : undefined;
  if (predecessor && Date.parse(predecessor.end) > Date.parse(window.start))
    throw new Error(`execution input: predecessor ${predecessor.start} must end by the window's start ${window.start}`);
  const id = windowId(window).toLowerCase();
  return {
    window,
    windowId: id,
    asOfDate: window.start.slice(0, 10),
    leases: { window: `window#${id}`, warehouse: 'warehouse', features: `features#${window.start.slice(0, 10)}` },
    tables: OLTP_TABLES,
    warehouseTables: WAREHOUSE_TABLES,
    predecessor: predecessor ? windowId(predecessor).toLowerCase() : null,
  };
}

export interface PublishInput {
  readonly window: BatchWindow;
  readonly loads: readonly { readonly table: string; readonly rowsLoaded: number }[];
}

/** RowsLoaded per table, and (once) GoldBuildSucceeded, DataFreshnessMinutes (now − window end) and TotalRowsLoaded. */
export function publishMetrics(input: PublishInput, nowMs = Date.now()): BatchMetricRecord[] {
  const perTable = input.loads.map((l) => ({ dimensions: { Table: l.table }, values: { RowsLoaded: l.rowsLoaded } }));
  const freshness = Math.max(0, (nowMs - Date.parse(input.window.end)) / 60_000);
  const total = input.loads.reduce((s, l) => s + l.rowsLoaded, 0);
  return [
    ...perTable,
    { dimensions: {}, values: { GoldBuildSucceeded: 1, DataFreshnessMinutes: Math.round(freshness * 100) / 100, TotalRowsLoaded: total } },
  ];
}
