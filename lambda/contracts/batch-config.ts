/**
 * Runtime configuration of the batch Lambdas: one JSON environment variable (`BATCH_CONFIG`) the batch stack writes
 * from the validated environment config and each handler parses at start. The construct's `config` prop is typed as
 * the schema's input type, so a stack that writes a wrong or missing key does not compile.
 */
import * as z from 'zod/mini';
import { parseJsonConfig } from './config-parse';
import { lineageRuntimeSchema } from './lineage-config';

/** The variable holding a batch handler's configuration. */
export const BATCH_CONFIG_VARIABLE = 'BATCH_CONFIG';

/** File name of a CA bundle shipped inside the extract Lambda's code (`oltp.ca.source: file`). */
export const BUNDLED_CA_FILE = 'oltp-ca.pem';

const fraction = z.number().check(z.gte(0), z.lte(1));
const name = z.string().check(z.minLength(3));
const arn = z.string().check(z.startsWith('arn:'));
const millis = z.int().check(z.gte(1_000));

export const bucketsSchema = z.strictObject({ raw: name, staging: name, quarantine: name });

/** How the extract connects to the OLTP Postgres: the runtime half of `oltp` in the environment config. */
export const oltpConnectionSchema = z.strictObject({
  connectTimeoutMs: millis,
  statementTimeoutMs: millis,
  queryTimeoutMs: millis,
  ca: z.discriminatedUnion('source', [
    /** The RDS bundle the Lambda runtime ships, added to Node's trust store by NODE_EXTRA_CA_CERTS. */
    z.strictObject({ source: z.literal('rds') }),
    /** A PEM in a field of the OLTP secret. */
    z.strictObject({ source: z.literal('secret-field'), field: z.string().check(z.minLength(1)) }),
    /** A PEM bundled with the code (BUNDLED_CA_FILE next to the handler). */
    z.strictObject({ source: z.literal('file') }),
  ]),
});
export type OltpConnectionSettings = z.infer<typeof oltpConnectionSchema>;

export const extractConfigSchema = z.strictObject({
  buckets: bucketsSchema,
  oltpSecretArn: arn,
  oltp: oltpConnectionSchema,
  overlapMinutes: z.int().check(z.gte(0), z.lte(60)),
  /** OpenLineage emission (the stack always writes it; absent, the function emits nothing). */
  lineage: z.optional(lineageRuntimeSchema),
});

export const qualityConfigSchema = z.strictObject({
  buckets: bucketsSchema,
  currencies: z.array(z.string().check(z.regex(/^[A-Z]{3}$/))).check(z.minLength(1)),
  thresholds: z.strictObject({
    completeness: fraction,
    uniqueness: fraction,
    validity: fraction,
    referentialIntegrity: fraction,
    minRowsPerWindow: z.int().check(z.gte(0)),
    maxRowsPerWindow: z.int().check(z.gte(1)),
  }),
  lineage: z.optional(lineageRuntimeSchema),
});

export const loadConfigSchema = z.strictObject({
  buckets: bucketsSchema,
  workgroupName: z.string().check(z.minLength(1)),
  database: z.string().check(z.minLength(1)),
  copyRoleArn: arn,
  pollIntervalMs: z.int().check(z.gte(100)),
  maxPolls: z.int().check(z.gte(1)),
  lineage: z.optional(lineageRuntimeSchema),
});

/** The lease functions' configuration: the lease table, and how long a lease lives unless released. */
export const controlConfigSchema = z.strictObject({
  leaseTable: name,
  leaseTtlSeconds: z.int().check(z.gte(60)),
});

export const releaseConfigSchema = z.strictObject({ leaseTable: name });

/** Each batch handler's `BATCH_CONFIG` schema, by handler file name (`lambda/batch/handlers/<name>.ts`). */
export const BATCH_CONFIG_SCHEMAS = {
  control: controlConfigSchema,
  extract: extractConfigSchema,
  quality: qualityConfigSchema,
  load: loadConfigSchema,
  release: releaseConfigSchema,
} as const;
export type BatchHandlerName = keyof typeof BATCH_CONFIG_SCHEMAS;
/** What the stack must write into `BATCH_CONFIG` for a handler (the schema's input type). */
export type BatchConfigInput<H extends BatchHandlerName> = z.input<(typeof BATCH_CONFIG_SCHEMAS)[H]>;
export type BatchConfig<H extends BatchHandlerName> = z.output<(typeof BATCH_CONFIG_SCHEMAS)[H]>;

/** Parses a batch handler's `BATCH_CONFIG`; the error names every bad field. */
export function readBatchConfig<H extends BatchHandlerName>(handler: H, raw = process.env[BATCH_CONFIG_VARIABLE]): BatchConfig<H> {
  const schema: z.ZodMiniType = BATCH_CONFIG_SCHEMAS[handler];
  return parseJsonConfig(BATCH_CONFIG_VARIABLE, schema, raw) as BatchConfig<H>;
}
