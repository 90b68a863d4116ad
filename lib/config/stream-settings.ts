import type { EnvironmentConfig } from './schema';
import type { StreamName } from '../../lambda/contracts/events';
import { namePrefix } from './naming';
import type { ProcessorSettingsInput } from '../../lambda/contracts/processor-settings';

/** Physical Kinesis stream name of a logical stream: `<prefix>-<env>-<stream>`. */
export function streamNameOf(config: EnvironmentConfig, stream: StreamName): string {
  return `${namePrefix(config)}-${stream}`;
}

/**
 * The stream processor's runtime settings derived from an environment's config; the stack passes them as the
 * `PROCESSOR_SETTINGS` JSON environment variable and the local run uses them directly.
 */
export function settingsFromConfig(config: EnvironmentConfig): ProcessorSettingsInput {
  const streams: Record<string, StreamName> = {};
  for (const s of ['transactions', 'customers', 'clickstream'] as const) streams[streamNameOf(config, s)] = s;
  const { highValueAmount, ...anomaly } = config.anomaly;
  return {
    environment: config.name,
    streams,
    currencies: [...config.streaming.currencies],
    highValueAmount,
    anomaly,
  };
}
