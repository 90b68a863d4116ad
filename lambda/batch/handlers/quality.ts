/** Quality-gate Lambda: one table, one window. Writes staging / quarantine / report and a QualityScore metric;
 * throws QualityGateFailed (after writing everything) when an expectation is below its threshold. */
import { S3Client } from '@aws-sdk/client-s3';
import type { OltpTableName } from '../../contracts/table-specs';
import { BATCH_CONFIG_SCHEMAS, parseEvent, readConfig, tableEventSchema } from '../config';
import { S3LakeStore, type LakeStore } from '../lake-store';
import { QualityGateFailed, qualityMetrics, runQualityGate, type QualityReport, type QualityThresholds } from '../quality';

export interface QualityDeps {
  readonly store: LakeStore;
  readonly thresholds: QualityThresholds;
  readonly currencies: readonly string[];
  readonly metricsNamespace: string;
  /** Where EMF records go (stdout in Lambda). */
  readonly emit: (record: Record<string, unknown>) => void;
  /** Sees every report (the local run collects them). */
  readonly onReport?: (report: QualityReport) => void;
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
    const report = await runQualityGate(deps.store, { table: table as OltpTableName, window, thresholds: deps.thresholds, currencies: deps.currencies });
    deps.emit(qualityMetrics(report, deps.metricsNamespace));
    deps.onReport?.(report);
    if (!report.passed) throw new QualityGateFailed(report);
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

function awsDeps(): QualityDeps {
  const config = readConfig(BATCH_CONFIG_SCHEMAS.quality);
  return {
    store: new S3LakeStore(new S3Client({}), config.buckets),
    thresholds: config.thresholds,
    currencies: config.currencies,
    metricsNamespace: config.metricsNamespace,
    emit: (record) => console.log(JSON.stringify(record)),
  };
}

let live: ((event: unknown) => Promise<QualityResult>) | undefined;
export const handler = (event: unknown) => (live ??= createHandler(awsDeps()))(event);
