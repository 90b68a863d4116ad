import type { EnvironmentConfig } from './schema';

/** `<prefix>-<env>`: the start of every physical name of an environment. */
export function namePrefix(config: Pick<EnvironmentConfig, 'prefix' | 'name'>): string {
  return `${config.prefix}-${config.name}`;
}
