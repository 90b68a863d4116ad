import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { DataLake } from '../constructs/data-lake';

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
    this.lake = new DataLake(this, 'Lake', {
      namePrefix: `${config.prefix}-${config.name}`,
      removalPolicy: config.removal.policy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      allowDataDeletion: config.removal.allowDataDeletion,
      ...config.lake,
      logRetention: config.logRetentionDays as logs.RetentionDays,
      logsKey: props.logsKey,
    });
  }
}
