import type { z } from 'zod';
import { ENVIRONMENTS } from './environments';
import { ENVIRONMENT_NAMES, environmentConfigSchema, type EnvironmentConfig, type EnvironmentName } from './schema';

export * from './batch-limits';
export { endpointPort, type LineageConfig, type LineageEndpoint } from './lineage-schema';
export * from './cost-schema';
export * from './lake-schema';
export * from './schema';

/** Raised for any configuration problem; the message names the environment, the field and the rule. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** One line per issue: `<env>: <dotted.path>: <rule> (got <value>)`. */
export function formatConfigIssues(env: string, issues: readonly z.core.$ZodIssue[], input: unknown): string {
  const lines = issues.map((issue) => {
    const path = issue.path.length ? issue.path.map(String).join('.') : '(root)';
    const got = valueAt(input, issue.path);
    const shown = got === undefined ? '' : ` (got ${JSON.stringify(got)})`;
    return `  - ${path}: ${issue.message}${shown}`;
  });
  return `Invalid configuration for environment "${env}":\n${lines.join('\n')}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return typeof cur === 'object' ? undefined : cur;
}

export function isEnvironmentName(name: string): name is EnvironmentName {
  return (ENVIRONMENT_NAMES as readonly string[]).includes(name);
}

/** Validates a raw config object; throws ConfigError naming every offending field. */
export function parseEnvironmentConfig(raw: unknown, label = 'custom'): EnvironmentConfig {
  const result = environmentConfigSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(formatConfigIssues(label, result.error.issues, raw));
  return result.data;
}

/** Overrides accepted from CDK context (`-c account=… -c region=…`), validated like the rest. */
export interface ConfigOverrides {
  readonly account?: string;
  readonly region?: string;
}

/** Loads and validates one environment's configuration. */
export function loadEnvironmentConfig(name: string, overrides: ConfigOverrides = {}): EnvironmentConfig {
  if (!isEnvironmentName(name)) {
    throw new ConfigError(`Unknown environment "${name}". Valid environments: ${ENVIRONMENT_NAMES.join(', ')} (or "all").`);
  }
  const raw = {
    ...ENVIRONMENTS[name],
    ...(overrides.account !== undefined ? { account: overrides.account } : {}),
    ...(overrides.region !== undefined ? { region: overrides.region } : {}),
  };
  return parseEnvironmentConfig(raw, name);
}

/** Resolves the `env` context value (`dev`, `staging`, `prod` or `all`) to the environments to synthesize. */
export function selectEnvironments(selector: string | undefined): EnvironmentName[] {
  const value = (selector ?? 'dev').trim();
  if (value === 'all') return [...ENVIRONMENT_NAMES];
  if (!isEnvironmentName(value)) {
    throw new ConfigError(`Unknown environment "${value}". Valid environments: ${ENVIRONMENT_NAMES.join(', ')} (or "all").`);
  }
  return [value];
}
