import type { Metrics } from '@aws-lambda-powertools/metrics';
import { BATCH_METRICS, type BatchMetricName, type BatchMetricRecord } from '../contracts/metrics';

/** Where the batch handlers' metric records go: Powertools EMF in Lambda, a list in the local run. */
export type BatchMetricsSink = (record: BatchMetricRecord) => void;

/** One EMF record per metric record (its dimensions plus the `service` default dimension), written to stdout. */
export function powertoolsBatchMetrics(metrics: Metrics): BatchMetricsSink {
  return (record) => {
    for (const [name, value] of Object.entries(record.dimensions)) metrics.addDimension(name, value);
    for (const [name, value] of Object.entries(record.values) as [BatchMetricName, number][])
      metrics.addMetric(name, BATCH_METRICS[name], value);
    metrics.publishStoredMetrics();
  };
}
