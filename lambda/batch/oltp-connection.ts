/**
 * How the extract connects to the OLTP Postgres: the pure function turning the connection settings (`BATCH_CONFIG.oltp`,
 * lambda/contracts/batch-config.ts) and the OLTP secret into pg options.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ClientConfig } from 'pg';
import { z } from 'zod';
import { BUNDLED_CA_FILE, type OltpConnectionSettings } from '../contracts/batch-config';

export const oltpSecretSchema = z.looseObject({
  host: z.string().min(1),
  port: z.coerce.number().int().default(5432),
  dbname: z.string().min(1),
  username: z.string().min(1),
  password: z.string().min(1),
});
export type OltpSecret = z.infer<typeof oltpSecretSchema>;

const PEM = /-----BEGIN CERTIFICATE-----/;

/** The trusted CA PEM, or undefined to verify against Node's store (plus the RDS bundle). */
export function caBundle(
  settings: OltpConnectionSettings,
  secret: OltpSecret,
  readFile = (p: string) => fs.readFileSync(p, 'utf8'),
  codeDir = __dirname,
): string | undefined {
  const ca = settings.ca;
  if (ca.source === 'rds') return undefined;
  const pem = ca.source === 'secret-field' ? secret[ca.field] : readFile(path.join(codeDir, BUNDLED_CA_FILE));
  const where = ca.source === 'secret-field' ? `OLTP secret field "${ca.field}"` : `bundled ${BUNDLED_CA_FILE}`;
  if (typeof pem !== 'string' || !PEM.test(pem)) throw new Error(`${where} does not hold a PEM certificate`);
  return pem;
}

/** pg client options: verified TLS, the configured timeouts, and a name the DBA can see in pg_stat_activity. */
export function clientConfig(
  settings: OltpConnectionSettings,
  secret: OltpSecret,
  readFile?: (p: string) => string,
  codeDir?: string,
): ClientConfig {
  const ca = caBundle(settings, secret, readFile, codeDir);
  return {
    host: secret.host,
    port: secret.port,
    database: secret.dbname,
    user: secret.username,
    password: secret.password,
    ssl: ca === undefined ? { rejectUnauthorized: true } : { rejectUnauthorized: true, ca },
    application_name: 'dataflow-batch-extract',
    connectionTimeoutMillis: settings.connectTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    query_timeout: settings.queryTimeoutMs,
  };
}
