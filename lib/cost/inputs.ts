/**
 * What the cost estimate takes besides what the environment deploys (shape.ts) and the prices (prices.ts): the load it
 * is declared to carry, the settings of its config the bill depends on, and the per-run figures the estimate assumes.
 */
import type { LakeRetention } from '../config/lake-schema';

/** The load an environment is expected to carry (from its config's `cost.load`). */
export interface DeclaredLoad {
  readonly eventsPerDay: number;
  readonly avgEventBytes: number;
  readonly oltpRowsPerDay: number;
  /** Hours per day analysts keep the warehouse busy at base capacity. */
  readonly analystQueryHoursPerDay: number;
}

/** Settings of the environment the bill depends on besides its templates. */
export interface EstimateSettings {
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly firehoseBufferSeconds: number;
  readonly batchRunsPerDay: number;
  readonly lake: LakeRetention;
  readonly monthlyUsageLimitRpuHours: number;
  readonly usageLimitBreachAction: 'log' | 'emit-metric' | 'deactivate';
}

/**
 * Per-run and per-record figures the estimate assumes, measured locally (bench/) or typical for the services.
 * Each one is printed with the estimate's basis so a reader can challenge it.
 */
export const ASSUMPTIONS = {
  /** Stream processor: fixed time per invocation (S3 writes, metrics flush). */
  processorMsPerInvocation: 80,
  /** Stream processor: handler CPU per record (about 9 ms per 1,000 records in bench:stream). */
  processorMsPerRecord: 0.01,
  /** Batch Lambdas (control, extract, quality gate, loads): seconds per hourly run, all functions together. */
  batchLambdaSecondsPerRun: 90,
  /** Each Glue job's billed minutes per run (start-up included). */
  glueMinutesPerRun: 3,
  /** Warehouse busy minutes per run at base capacity (COPY/MERGE and dbt). */
  warehouseMinutesPerRun: 8,
  /** dbt task minutes per run on Fargate. */
  dbtTaskMinutesPerRun: 8,
  /** State transitions per run relative to the number of states (poll loops, Map iterations). */
  transitionsPerState: 2,
  /** Gzip ratio of the raw archive and extracts; Parquet-to-JSON size ratio of conformed data. */
  gzipRatio: 0.2,
  parquetRatio: 0.15,
  /** Bytes per OLTP row as extracted (JSON lines). */
  oltpRowBytes: 300,
  /** S3 objects written per hourly run (extract, gate, conform, manifests, reports). */
  batchObjectsPerRun: 200,
  /** Log bytes per stream-processor invocation and per batch run. */
  logBytesPerInvocation: 600,
  logBytesPerRun: 2_000_000,
  /** Custom metrics (metric × dimension combinations) the platform emits. */
  customMetrics: 60,
  /** Days of history kept when a zone never expires, for a steady-state storage figure. */
  horizonDays: 365,
} as const;
