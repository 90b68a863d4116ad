/** Quality-gate Lambda: one table, one window. Writes staging / quarantine / report and a QualityScore metric;
 * throws QualityGateFailed (after writing everything) when an expectation is below its threshold. */
import { S3Client } from '@aws-sdk/client-s3';
import { BATCH_METRICS_NAMESPACE, SERVICES } from '../../contracts/metrics';
import { readBatchConfig } from '../../contracts/batch-config';
import type { OltpTableName } from '../../contracts/table-specs';
import type { LakeStore } from '../../contracts/lake';
import { lineageRun, type LineageEmitter } from '../../shared/lineage-emitter';
import { lambdaHandler, powertools } from '../../shared/powertools';
import { S3LakeStore } from '../../shared/s3-lake-store';
import { powertoolsBatchMetrics, type BatchMetricsSink } from '../batch-metrics';
import { invocationKeys, parseEvent, tableEventSchema } from '../invocation';
import { awsLineageEmitter } from '../lineage-aws';
import { QualityGateFailed, qualityMetrics, runQualityGate, type QualityReport, type QualityThresholds } from '../quality';

export interface QualityDeps {
  readonly store: LakeStore;
  readonly thresholds: QualityThresholds;
  readonly currencies: readonly string[];
  /** Receives the report's QualityScore and row counts (Powertools EMF in Lambda). */
  readonly metrics: BatchMetricsSink;
  /** Sees every report (the local run collects them). */
  readonly onReport?: (report: QualityReport) => void;
  /** Emits the run's OpenLineage events. @default - none */
  readonly lineage?: LineageEmitter;
}

export interface QualityResult {
  readonly table: OltpTableName;
  readonly passed: boolean;
  readonly score: number;
  readonly extracted: number;
  readonly staged: number;
  readonly quarantined: number;
  readonly report: string;
}

export function createHandler(deps: QualityDeps): (event: unknown) => Promise<QualityResult> {
  return async (event) => {
    const { table, window } = parseEvent(tableEventSchema, event);
    const report = await lineageRun(deps.lineage, 'quality gate', table, async () => {
      const report = await runQualityGate(deps.store, {
        table: table as OltpTableName,
        window,
        thresholds: deps.thresholds,
        currencies: deps.currencies,
      });
      deps.metrics(qualityMetrics(report));
      deps.onReport?.(report);
      if (!report.passed) throw new QualityGateFailed(report);
      return report;
    });
    return {
      table: report.table,
      passed: report.passed,
      score: report.score,
      extracted: report.rows.extracted,
      staged: report.rows.staged,
      quarantined: report.rows.quarantined,
      report: deps.store.uri('staging', report.reportKey),
    };
  };
}

const pt = powertools(SERVICES.batchQuality, BATCH_METRICS_NAMESPACE);

function awsDeps(): QualityDeps {
  const config = readBatchConfig('quality');
  const s3 = pt.tracer.captureAWSv3Client(new S3Client({}));
  return {
    store: new S3LakeStore(s3, config.buckets),
    thresholds: config.thresholds,
    currencies: config.currencies,
    metrics: powertoolsBatchMetrics(pt.metrics),
    lineage: config.lineage && awsLineageEmitter(config.lineage, s3, config.buckets, pt),
  };
}

export const handler = lambdaHandler(pt, awsDeps, createHandler, invocationKeys);
