import { RemovalPolicy } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { EnvironmentConfig } from './config';
import { namePrefix } from './config/naming';

/** What every stack of an environment derives from its configuration, derived here once. */
export interface ResolvedEnvironment {
  readonly config: EnvironmentConfig;
  /** `<prefix>-<env>`: the start of every physical name of the environment. */
  readonly prefix: string;
  /**
   * Removal policy of everything the environment creates. The double gate: DESTROY only when `removal.policy` is
   * `destroy` AND `removal.allowDataDeletion` is set; RETAIN otherwise.
   */
  readonly removalPolicy: RemovalPolicy;
  /** Retention of every log group the environment creates (finite by schema). */
  readonly logRetention: logs.RetentionDays;
  /** The environment's Lambda functions: log retention and removal policy of their log groups. */
  readonly functionDefaults: FunctionDefaults;
  /** `<prefix>-<env>-<name>`: the physical name of one of the environment's resources. */
  readonly nameOf: (name: string) => string;
}

/** The per-environment part of every platform function's props (`PlatformFunction`). */
export interface FunctionDefaults {
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/** Derives an environment's shared facts from its validated configuration. */
export function resolveEnvironment(config: EnvironmentConfig): ResolvedEnvironment {
  const prefix = namePrefix(config);
  const { policy, allowDataDeletion } = config.removal;
  const removalPolicy = policy === 'destroy' && allowDataDeletion ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
  const logRetention = config.logRetentionDays as logs.RetentionDays;
  return {
    config,
    prefix,
    removalPolicy,
    logRetention,
    functionDefaults: { logRetention, removalPolicy },
    nameOf: (name) => `${prefix}-${name}`,
  };
}
