/**
 * What the state machine sends a batch handler: the per-table event schemas, their validation (a malformed event is a
 * programming error, named precisely) and the log keys of an invocation.
 */
import { z } from 'zod';
import { formatIssues } from '../contracts/config-parse';
import { OLTP_TABLES, WAREHOUSE_TABLES } from '../contracts/table-specs';
import { windowSchema } from './window';

export const tableEventSchema = z.strictObject({ table: z.enum(OLTP_TABLES as [string, ...string[]]), window: windowSchema });
export const loadEventSchema = z.strictObject({ table: z.enum(WAREHOUSE_TABLES as [string, ...string[]]), window: windowSchema });

/**
 * Validates a state-machine input to a handler. The `execution` name the state machine adds to every payload is a
 * log key (see `invocationKeys`), not event data.
 */
export function parseEvent<T>(schema: z.ZodType<T>, event: unknown): T {
  const result = schema.safeParse(withoutExecution(event));
  if (!result.success) throw new Error(`invalid event: ${formatIssues(result.error.issues)}`);
  return result.data;
}

function withoutExecution(event: unknown): unknown {
  if (typeof event !== 'object' || event === null || Array.isArray(event) || !('execution' in event)) return event;
  const { execution: _execution, ...rest } = event as Record<string, unknown>;
  return rest;
}

/** Log keys of a batch invocation: the execution, the window and (per-table steps) the table. */
export function invocationKeys(event: unknown): Record<string, string | undefined> {
  const e = (typeof event === 'object' && event !== null ? event : {}) as {
    execution?: unknown;
    table?: unknown;
    window?: { start?: unknown };
  };
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { execution: text(e.execution), window: text(e.window?.start), table: text(e.table) };
}
