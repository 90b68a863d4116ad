/**
 * The one way runtime code turns untrusted input into typed values: each function's JSON configuration variable at
 * start, and the state machine's payloads per invocation. Errors name every bad field, the same way everywhere.
 * Works with schemas written in `zod` or `zod/mini` (one zod 4 engine and issue format).
 */
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import type * as core from 'zod/v4/core';

// English issue messages (zod/mini ships without a locale).
z.config(en());

export interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** `a.b: message; c: message` — each issue's path (under `root`), `(root)` for the value itself. */
export function formatIssues(issues: readonly SchemaIssue[], root: readonly PropertyKey[] = []): string {
  return issues.map((i) => `${[...root, ...i.path].map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** Validates `value`; throws `<what> is invalid: <issues>`. */
export function parseWith<T>(what: string, schema: core.$ZodType<T>, value: unknown): T {
  const result = z.safeParse(schema, value);
  if (!result.success) throw new Error(`${what} is invalid: ${formatIssues(result.error.issues)}`);
  return result.data;
}

/** Parses a JSON configuration variable's value; the error names the variable and every bad field. */
export function parseJsonConfig<T>(variable: string, schema: core.$ZodType<T>, raw: string | undefined): T {
  if (!raw) throw new Error(`${variable} is not set`);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error(`${variable} is not valid JSON`);
  }
  return parseWith(variable, schema, json);
}
