import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { BatchConfigInput, BatchHandlerName } from '../../lambda/contracts/batch-config';
import type { LakeZone } from '../../lambda/contracts/lake';
import { PlatformFunction, type PlatformFunctionProps } from './platform-function';

/** Folder of the batch Lambda handlers. */
export const BATCH_HANDLER_DIR = path.resolve(__dirname, '..', '..', 'lambda', 'batch', 'handlers');

export interface BatchFunctionProps<H extends BatchHandlerName = BatchHandlerName> extends Omit<
  PlatformFunctionProps,
  'entry' | 'logsKey' | 'environmentKey' | 'runtimeConfig' | 'externalModules' | 'childIds'
> {
  /** Handler file name in `lambda/batch/handlers/` without extension, e.g. `extract`. */
  readonly handler: H;
  /** The handler's `BATCH_CONFIG`, typed by the schema it parses at start (lambda/contracts/batch-config.ts). */
  readonly config: BatchConfigInput<H>;
  /** Encrypts the log group and the environment variables. */
  readonly key: kms.IKey;
}

/** What every batch function of an environment shares: its key, log retention and log removal policy. */
export type BatchFunctionBaseProps = Pick<BatchFunctionProps, 'key' | 'logRetention' | 'removalPolicy'>;

/** The lake as the batch functions reach it: zone buckets by name and the lake key. */
export interface BatchLakeAccess {
  readonly zones: Readonly<Record<LakeZone, s3.IBucket>>;
  readonly key: kms.IKey;
}

/** The zone bucket names a batch function's `BATCH_CONFIG.buckets` holds. */
export function bucketNames(zones: BatchLakeAccess['zones']): Record<LakeZone, string> {
  return { raw: zones.raw.bucketName, staging: zones.staging.bucketName, quarantine: zones.quarantine.bucketName };
}

/**
 * One batch Lambda: a platform function whose configuration is one encrypted `BATCH_CONFIG` variable, its log
 * group and environment encrypted with the batch key.
 */
export class BatchFunction<H extends BatchHandlerName = BatchHandlerName> extends PlatformFunction {
  constructor(scope: Construct, id: string, props: BatchFunctionProps<H>) {
    const { handler, config, key, environment, ...rest } = props;
    super(scope, id, {
      ...rest,
      entry: path.join(BATCH_HANDLER_DIR, `${handler}.ts`),
      logsKey: key,
      environmentKey: key,
      environment: { ...environment, BATCH_CONFIG: Stack.of(scope).toJsonString(config) },
      runtimeConfig: `batch-${handler}`,
      // pg's optional native binding is not installed; the pure JavaScript client is used.
      externalModules: ['pg-native'],
    });
  }
}
