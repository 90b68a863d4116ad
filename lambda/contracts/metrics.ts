/**
 * The platform's own CloudWatch metrics, written once: the Lambdas emit them (Powertools Metrics, EMF on stdout) and
 * lib/ builds the alarms and dashboards on the same names. Every record also carries Powertools' `service`
 * dimension (the emitting function's service name below), so an alarm on one of these metrics names it too.
 */

/** CloudWatch units used here (a subset of Powertools' `MetricUnit` values, which are these strings). */
export type MetricUnitName = 'Count' | 'Percent' | 'Milliseconds' | 'None';

/** Powertools service names: the `service` dimension of each function's metrics and the `service` key of its logs. */
export const SERVICES = {
  streamProcessor: 'stream-processor',
  batchControl: 'batch-control',
  batchExtract: 'batch-extract',
  batchQuality: 'batch-quality',
  batchLoad: 'batch-load',
  batchRelease: 'batch-release',
  /** The dbt task (ECS): its lineage failures are counted by a metric filter on its log group. */
  batchDbt: 'batch-dbt',
  warehouseSetup: 'warehouse-setup',
} as const;

export const STREAM_METRICS_NAMESPACE = 'DataFlow/Streaming';

/** Stream processor metrics (dimensions `service` + `Stream`; by-reason / by-type add `Reason` / `AnomalyType`). */
export const STREAM_METRICS = {
  recordsIn: 'RecordsIn',
  valid: 'RecordsValid',
  quarantined: 'RecordsQuarantined',
  quarantinedByReason: 'RecordsQuarantinedByReason',
  anomalies: 'AnomaliesDetected',
  anomaliesByType: 'AnomaliesByType',
  highValue: 'HighValueTransactions',
  retried: 'RecordsRetried',
  processingTime: 'BatchProcessingTime',
  recordAge: 'BatchMaxRecordAge',
  alertFailures: 'AnomalyAlertFailures',
  rollbackFailures: 'RollbackFailures',
  alertsDeferred: 'AlertsDeferred',
  alertOutboxDepth: 'AlertOutboxDepth',
} as const;

export const BATCH_METRICS_NAMESPACE = 'DataFlow/Batch';

/** Hourly batch metrics and their units. */
export const BATCH_METRICS = {
  /** Per dataset (`Dataset`), from the quality gate (`batch-quality`). */
  QualityScore: 'Percent',
  RowsExtracted: 'Count',
  RowsStaged: 'Count',
  RowsQuarantined: 'Count',
  /** Per warehouse table (`Table`), when gold has been built (`batch-control`). */
  RowsLoaded: 'Count',
  /** Once per successful run, no dimension beyond `service` (`batch-control`): the freshness alarm counts these. */
  GoldBuildSucceeded: 'Count',
  DataFreshnessMinutes: 'None',
  TotalRowsLoaded: 'Count',
  /**
   * OpenLineage events a transport did not take (`Transport`: `lake`, `endpoint`, or `events` for a run that could
   * not be described), from batch-extract, batch-quality, batch-load and batch-dbt. The job's result is unchanged.
   */
  LineageEmitFailures: 'Count',
} as const satisfies Record<string, MetricUnitName>;

export type BatchMetricName = keyof typeof BATCH_METRICS;

/** One EMF record's worth of batch metrics: values that share one set of dimensions. */
export interface BatchMetricRecord {
  readonly dimensions: Readonly<Record<string, string>>;
  readonly values: Readonly<Partial<Record<BatchMetricName, number>>>;
}
