import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface LogsKeyProps {
  /**
   * Removal policy of the key.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A rotating customer-managed key for the environment's CloudWatch Logs log groups (Lambda, Step Functions,
 * Firehose, Glue, ECS). CloudWatch Logs may use it only for log groups of this account and region.
 */
export class LogsKey extends Construct {
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: LogsKeyProps = {}) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'DataFlow: encrypts the CloudWatch Logs log groups of this environment',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    allowCloudWatchLogs(this.key);
  }
}

/**
 * Lets CloudWatch Logs of the key's account and region use a key for its log groups (CDK does not add this; without
 * it creating a log group encrypted with the key fails).
 */
export function allowCloudWatchLogs(key: kms.Key): void {
  const { region, account, partition } = Stack.of(key);
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogsOfThisAccount',
      principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*` },
      },
    }),
  );
}
