/** Loader Lambda: one warehouse table, one window → bronze via the warehouse load SQL on the Redshift Data API. */
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { S3Client } from '@aws-sdk/client-s3';
import { SERVICES } from '../../contracts/metrics';
import { readBatchConfig } from '../../contracts/batch-config';
import type { WarehouseTableName } from '../../contracts/table-specs';
import { lambdaHandler, powertools } from '../../shared/powertools';
import { invocationKeys, loadEventSchema, parseEvent } from '../invocation';
import { S3LakeStore } from '../lake-store';
import { loadWindowTable, type LoadDeps, type LoadResult } from '../warehouse-load';
import { RedshiftDataRunner } from '../../contracts/redshift-data';

export function createHandler(deps: LoadDeps): (event: unknown) => Promise<LoadResult> {
  return async (event) => {
    const { table, window } = parseEvent(loadEventSchema, event);
    return loadWindowTable(deps, table as WarehouseTableName, window);
  };
}

const pt = powertools(SERVICES.batchLoad);

function awsDeps(): LoadDeps {
  const config = readBatchConfig('load');
  const store = new S3LakeStore(pt.tracer.captureAWSv3Client(new S3Client({})), config.buckets);
  return {
    store,
    runner: new RedshiftDataRunner(pt.tracer.captureAWSv3Client(new RedshiftDataClient({})), { workgroupName: config.workgroupName, database: config.database }),
    sourceFor: (manifestKey) => ({ kind: 'copy-manifest', manifestUrl: store.uri('staging', manifestKey), iamRole: config.copyRoleArn }),
    poll: { intervalMs: config.pollIntervalMs, maxPolls: config.maxPolls },
  };
}

export const handler = lambdaHandler(pt, awsDeps, createHandler, invocationKeys);
