import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { STREAM_METRICS } from '../contracts/metrics';
import type { BatchReport, MetricsSink } from './ports';

/** Emits one invocation's report as CloudWatch EMF through Powertools Metrics. */
export class PowertoolsMetricsSink implements MetricsSink {
  constructor(private readonly metrics: Metrics) {}

  public record(r: BatchReport): void {
    const m = this.metrics;
    m.addDimension('Stream', r.stream);
    m.addMetric(STREAM_METRICS.recordsIn, MetricUnit.Count, r.recordsIn);
    m.addMetric(STREAM_METRICS.valid, MetricUnit.Count, r.valid);
    m.addMetric(STREAM_METRICS.quarantined, MetricUnit.Count, r.quarantined);
    m.addMetric(STREAM_METRICS.anomalies, MetricUnit.Count, sum(r.anomaliesByType));
    m.addMetric(STREAM_METRICS.highValue, MetricUnit.Count, r.highValue);
    m.addMetric(STREAM_METRICS.retried, MetricUnit.Count, r.retried);
    m.addMetric(STREAM_METRICS.processingTime, MetricUnit.Milliseconds, r.processingMs);
    m.addMetric(STREAM_METRICS.recordAge, MetricUnit.Milliseconds, r.maxRecordAgeMs);
    m.addMetric(STREAM_METRICS.alertFailures, MetricUnit.Count, r.alertFailures);
    m.addMetric(STREAM_METRICS.rollbackFailures, MetricUnit.Count, r.compensationFailures);
    m.addMetric(STREAM_METRICS.alertsDeferred, MetricUnit.Count, r.alertsDeferred);
    if (r.alertOutboxDepth !== undefined) m.addMetric(STREAM_METRICS.alertOutboxDepth, MetricUnit.Count, r.alertOutboxDepth);
    m.publishStoredMetrics();
    for (const [reason, n] of Object.entries(r.quarantinedByReason))
      this.single('Reason', reason, STREAM_METRICS.quarantinedByReason, r.stream, n);
    for (const [type, n] of Object.entries(r.anomaliesByType))
      this.single('AnomalyType', type, STREAM_METRICS.anomaliesByType, r.stream, n);
  }

  private single(dimension: string, value: string, name: string, stream: string, n: number): void {
    const one = this.metrics.singleMetric();
    one.addDimensions({ Stream: stream, [dimension]: value });
    one.addMetric(name, MetricUnit.Count, n);
  }
}

function sum(counts: Readonly<Record<string, number>>): number {
  let n = 0;
  for (const v of Object.values(counts)) n += v;
  return n;
}
