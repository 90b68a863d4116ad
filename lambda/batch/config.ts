/**
 * Runtime configuration of the batch Lambdas: one JSON environment variable (`BATCH_CONFIG`) written by the CDK
 * stack from the validated environment config, parsed here with zod at module init so a bad deployment fails
 * loudly on the first invocation, naming the field.
 */
import { z } from 'zod';
import { OLTP_TABLES, WAREHOUSE_TABLES } from '../contracts/table-specs';
import { lineageRuntimeSchema } from '../shared/lineage-emitter';
import { oltpConnectionSchema } from './oltp-connection';
import { windowSchema } from './window';

const fraction = z.number().min(0).max(1);
export const bucketsSchema = z.strictObject({ raw: z.string().min(3), staging: z.string().min(3), quarantine: z.string().min(3) });

export const extractConfigSchema = z.strictObject({
  buckets: bucketsSchema,
  oltpSecretArn: z.string().startsWith('arn:'),
  oltp: oltpConnectionSchema,
  overlapMinutes: z.number().int().min(0).max(60),
  /** OpenLineage emission (the stack always writes it; absent, the function emits nothing). */
  lineage: lineageRuntimeSchema.optional(),
});

export const qualityConfigSchema = z.strictObject({
  buckets: bucketsSchema,
  currencies: z.array(z.string().regex(/^[A-Z]{3}$/)).min(1),
  thresholds: z.strictObject({
    completeness: fraction,
    uniqueness: fraction,
    validity: fraction,
    referentialIntegrity: fraction,
    minRowsPerWindow: z.number().int().min(0),
    maxRowsPerWindow: z.number().int().min(1),
  }),
  lineage: lineageRuntimeSchema.optional(),
});

export const loadConfigSchema = z.strictObject({
  buckets: bucketsSchema,
  workgroupName: z.string().min(1),
  database: z.string().min(1),
  copyRoleArn: z.string().startsWith('arn:'),
  pollIntervalMs: z.number().int().min(100),
  maxPolls: z.number().int().min(1),
  lineage: lineageRuntimeSchema.optional(),
});

export const controlConfigSchema = z.strictObject({
  lockTable: z.string().min(3),
  lockTtlSeconds: z.number().int().min(60),
});

export const releaseConfigSchema = z.strictObject({ lockTable: z.string().min(3) });
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

/** Parses `BATCH_CONFIG` with a schema; the error names every bad field. */
export function readConfig<T>(schema: z.ZodType<T>, raw = process.env.BATCH_CONFIG): T {
  if (!raw) throw new Error('BATCH_CONFIG is not set');
  const result = schema.safeParse(JSON.parse(raw));
  if (!result.success) {
    throw new Error(`BATCH_CONFIG is invalid: ${result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return result.data;
}

export const tableEventSchema = z.strictObject({ table: z.enum(OLTP_TABLES as [string, ...string[]]), window: windowSchema });
export const loadEventSchema = z.strictObject({ table: z.enum(WAREHOUSE_TABLES as [string, ...string[]]), window: windowSchema });

/**
 * Validates a state-machine input to a handler; a malformed event is a programming error, named precisely. The
 * `execution` name the state machine adds to every payload is a log key (see `invocationKeys`), not event data.
 */
export function parseEvent<T>(schema: z.ZodType<T>, event: unknown): T {
  const result = schema.safeParse(withoutExecution(event));
  if (!result.success) {
    throw new Error(`invalid event: ${result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return result.data;
}

function withoutExecution(event: unknown): unknown {
  if (typeof event !== 'object' || event === null || Array.isArray(event) || !('execution' in event)) return event;
  const { execution: _execution, ...rest } = event as Record<string, unknown>;
  return rest;
}

/** Log keys of a batch invocation: the execution, the window and (per-table steps) the table. */
export function invocationKeys(event: unknown): Record<string, string | undefined> {
  const e = (typeof event === 'object' && event !== null ? event : {}) as { execution?: unknown; table?: unknown; window?: { start?: unknown } };
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { execution: text(e.execution), window: text(e.window?.start), table: text(e.table) };
}
