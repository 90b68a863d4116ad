/** Extract Lambda (in the VPC): one OLTP table, one window → raw zone. Credentials from Secrets Manager. */
import { S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Client, type ClientConfig } from 'pg';
import { BATCH_METRICS_NAMESPACE, SERVICES } from '../../contracts/metrics';
import { readBatchConfig } from '../../contracts/batch-config';
import type { OltpTableName } from '../../contracts/table-specs';
import { lineageRun, type LineageEmitter } from '../../shared/lineage-emitter';
import { lambdaHandler, powertools } from '../../shared/powertools';
import { invocationKeys, parseEvent, tableEventSchema } from '../invocation';
import { extractManifestKey, extractTable } from '../extract';
import type { LakeStore } from '../../contracts/lake';
import { S3LakeStore } from '../../shared/s3-lake-store';
import { awsLineageEmitter } from '../lineage-aws';
import { clientConfig, oltpSecretSchema } from '../oltp-connection';

export interface ExtractDeps {
  readonly store: LakeStore;
  /** Connection settings of the OLTP database (resolved per invocation: secrets rotate). */
  readonly connection: () => Promise<ClientConfig>;
  readonly overlapMinutes: number;
  /** Emits the run's OpenLineage events. @default - none */
  readonly lineage?: LineageEmitter;
}

export interface ExtractResult {
  readonly table: OltpTableName;
  readonly rows: number;
  readonly parts: number;
  readonly manifest: string;
}

export function createHandler(deps: ExtractDeps): (event: unknown) => Promise<ExtractResult> {
  return async (event) => {
    const { table, window } = parseEvent(tableEventSchema, event);
    return lineageRun(deps.lineage, 'extract', table, async () => {
      const client = new Client(await deps.connection());
      await client.connect();
      try {
        const manifest = await extractTable(client, deps.store, {
          table: table as OltpTableName,
          window,
          overlapMinutes: deps.overlapMinutes,
        });
        return {
          table: manifest.table,
          rows: manifest.rows,
          parts: manifest.files.length,
          manifest: deps.store.uri('raw', extractManifestKey(table, window)),
        };
      } finally {
        await client.end();
      }
    });
  };
}

const pt = powertools(SERVICES.batchExtract, BATCH_METRICS_NAMESPACE);

function awsDeps(): ExtractDeps {
  const config = readBatchConfig('extract');
  const secrets = pt.tracer.captureAWSv3Client(new SecretsManagerClient({}));
  const s3 = pt.tracer.captureAWSv3Client(new S3Client({}));
  return {
    store: new S3LakeStore(s3, config.buckets),
    lineage: config.lineage && awsLineageEmitter(config.lineage, s3, config.buckets, pt),
    overlapMinutes: config.overlapMinutes,
    connection: async () => {
      const secret = await secrets.send(new GetSecretValueCommand({ SecretId: config.oltpSecretArn }));
      return clientConfig(config.oltp, oltpSecretSchema.parse(JSON.parse(secret.SecretString ?? '{}')));
    },
  };
}

export const handler = lambdaHandler(pt, awsDeps, createHandler, invocationKeys);
