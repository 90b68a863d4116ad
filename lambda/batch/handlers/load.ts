/** Loader Lambda: one warehouse table, one window → bronze via the warehouse load SQL on the Redshift Data API. */
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { S3Client } from '@aws-sdk/client-s3';
import { BATCH_METRICS_NAMESPACE, SERVICES } from '../../contracts/metrics';
import { readBatchConfig } from '../../contracts/batch-config';
import { RedshiftDataRunner } from '../../contracts/redshift-data';
import type { WarehouseTableName } from '../../contracts/table-specs';
import { lineageRun, type LineageEmitter } from '../../shared/lineage-emitter';
import { lambdaHandler, powertools } from '../../shared/powertools';
import { S3LakeStore } from '../../shared/s3-lake-store';
import { invocationKeys, loadEventSchema, parseEvent } from '../invocation';
import { awsLineageEmitter } from '../lineage-aws';
import { loadWindowTable, type LoadDeps, type LoadResult } from '../warehouse-load';

/** The loader's dependencies; `lineage` emits the load's runs and the conform runs it reads. */
export type LoadHandlerDeps = LoadDeps & { readonly lineage?: LineageEmitter };

export function createHandler(deps: LoadHandlerDeps): (event: unknown) => Promise<LoadResult> {
  return async (event) => {
    const { table, window } = parseEvent(loadEventSchema, event);
    // Conform runs in Glue: the load, which reads its committed summary, reports the table's conform run finished.
    await deps.lineage?.observed('conform', table, window.start);
    return lineageRun(deps.lineage, 'load', table, () => loadWindowTable(deps, table as WarehouseTableName, window));
  };
}

const pt = powertools(SERVICES.batchLoad, BATCH_METRICS_NAMESPACE);

function awsDeps(): LoadHandlerDeps {
  const config = readBatchConfig('load');
  const s3 = pt.tracer.captureAWSv3Client(new S3Client({}));
  const store = new S3LakeStore(s3, config.buckets);
  return {
    store,
    lineage: config.lineage && awsLineageEmitter(config.lineage, s3, config.buckets, pt),
    runner: new RedshiftDataRunner(pt.tracer.captureAWSv3Client(new RedshiftDataClient({})), {
      workgroupName: config.workgroupName,
      database: config.database,
    }),
    sourceFor: (manifestKey) => ({ kind: 'copy-manifest', manifestUrl: store.uri('staging', manifestKey), iamRole: config.copyRoleArn }),
    poll: { intervalMs: config.pollIntervalMs, maxPolls: config.maxPolls },
  };
}

export const handler = lambdaHandler(pt, awsDeps, createHandler, invocationKeys);
