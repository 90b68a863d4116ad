/** Extract Lambda (in the VPC): one OLTP table, one window → raw zone. Credentials from Secrets Manager. */
import { S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Client, type ClientConfig } from 'pg';
import { z } from 'zod';
import { SERVICES } from '../../contracts/metrics';
import type { OltpTableName } from '../../contracts/table-specs';
import { instrument, powertools } from '../../shared/powertools';
import { extractConfigSchema, invocationKeys, parseEvent, readConfig, tableEventSchema } from '../config';
import { extractManifestKey, extractTable } from '../extract';
import { S3LakeStore, type LakeStore } from '../lake-store';

export interface ExtractDeps {
  readonly store: LakeStore;
  /** Connection settings of the OLTP database (resolved per invocation: secrets rotate). */
  readonly connection: () => Promise<ClientConfig>;
  readonly overlapMinutes: number;
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
    const client = new Client(await deps.connection());
    await client.connect();
    try {
      const manifest = await extractTable(client, deps.store, { table: table as OltpTableName, window, overlapMinutes: deps.overlapMinutes });
      return { table: manifest.table, rows: manifest.rows, parts: manifest.parts.length, manifest: deps.store.uri('raw', extractManifestKey(table, window)) };
    } finally {
      await client.end();
    }
  };
}

const secretSchema = z.object({
  host: z.string().min(1),
  port: z.coerce.number().int().default(5432),
  dbname: z.string().min(1),
  username: z.string().min(1),
  password: z.string().min(1),
});

const pt = powertools(SERVICES.batchExtract);

function awsDeps(): ExtractDeps {
  const config = readConfig(extractConfigSchema);
  const secrets = pt.tracer.captureAWSv3Client(new SecretsManagerClient({}));
  return {
    store: new S3LakeStore(pt.tracer.captureAWSv3Client(new S3Client({})), config.buckets),
    overlapMinutes: config.overlapMinutes,
    connection: async () => {
      const secret = await secrets.send(new GetSecretValueCommand({ SecretId: config.oltpSecretArn }));
      const creds = secretSchema.parse(JSON.parse(secret.SecretString ?? '{}'));
      return {
        host: creds.host,
        port: creds.port,
        database: creds.dbname,
        user: creds.username,
        password: creds.password,
        // TLS verified against the RDS CA bundle the Lambda runtime ships (NODE_EXTRA_CA_CERTS).
        ssl: { rejectUnauthorized: true },
        application_name: 'dataflow-batch-extract',
        statement_timeout: 600_000,
      };
    },
  };
}

let live: ((event: unknown) => Promise<ExtractResult>) | undefined;
export const handler = instrument(pt, (event: unknown) => (live ??= createHandler(awsDeps()))(event), invocationKeys);
