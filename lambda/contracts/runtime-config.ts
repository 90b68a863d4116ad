/**
 * Which JSON configuration variable each Lambda reads, and the parser it reads it with: the same functions the
 * handlers call at start. The CDK constructs tag each function's CloudFormation resource with its entry name
 * (metadata key `RUNTIME_CONFIG_METADATA`), so a deploy-readiness check can parse what a stack writes with exactly
 * what the runtime will use.
 */
import { BATCH_CONFIG_VARIABLE, readBatchConfig, type BatchHandlerName } from './batch-config';
import { parseProcessorConfig, PROCESSOR_SETTINGS_VARIABLE } from './processor-settings';

/** CloudFormation resource metadata key naming the function's runtime-config entry. */
export const RUNTIME_CONFIG_METADATA = 'DataFlow::RuntimeConfig';

export interface RuntimeConfigEntry {
  /** The environment variable holding the JSON. */
  readonly variable: string;
  /** Parses the variable's value as the runtime does; throws naming every bad field. */
  readonly parse: (raw: string | undefined) => unknown;
}

const batchEntry = (name: BatchHandlerName): RuntimeConfigEntry => ({
  variable: BATCH_CONFIG_VARIABLE,
  parse: (raw) => readBatchConfig(name, raw ?? ''),
});

export const RUNTIME_CONFIGS = {
  'batch-control': batchEntry('control'),
  'batch-extract': batchEntry('extract'),
  'batch-quality': batchEntry('quality'),
  'batch-load': batchEntry('load'),
  'batch-release': batchEntry('release'),
  'stream-processor': { variable: PROCESSOR_SETTINGS_VARIABLE, parse: parseProcessorConfig },
} as const satisfies Record<string, RuntimeConfigEntry>;

export type RuntimeConfigName = keyof typeof RUNTIME_CONFIGS;
