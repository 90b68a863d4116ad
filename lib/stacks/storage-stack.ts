import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { DataLake } from '../constructs/data-lake';
import { resolveEnvironment } from '../environment';

export interface StorageStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  /** Encrypts the stack's log groups. */
  readonly logsKey: kms.IKey;
}

/** The environment's data lake (zones, key, access logs). */
export class StorageStack extends Stack {
  public readonly lake: DataLake;

  constructor(scope: Construct, id: string, props: StorageStackProps) {
    super(scope, id, props);
    const { config } = props;
    const env = resolveEnvironment(config);
    this.lake = new DataLake(this, 'Lake', {
      namePrefix: env.prefix,
      removalPolicy: env.removalPolicy,
      allowDataDeletion: config.removal.allowDataDeletion,
      ...config.lake,
      logRetention: env.logRetention,
      logsKey: props.logsKey,
    });
  }
}
