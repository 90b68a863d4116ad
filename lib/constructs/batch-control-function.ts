import { Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { LEASE_TTL_SECONDS } from '../../lambda/contracts/workflow';
import { BatchFunction, type BatchFunctionBaseProps } from './batch-function';

export interface BatchControlFunctionProps extends BatchFunctionBaseProps {
  /** The lease table (encrypted with `key`). */
  readonly leases: dynamodb.ITable;
}

/** The batch control Lambda: plans the window, acquires and releases leases, publishes the batch metrics. */
export class BatchControlFunction extends BatchFunction<'control'> {
  constructor(scope: Construct, id: string, props: BatchControlFunctionProps) {
    const { leases, ...base } = props;
    super(scope, id, {
      ...base,
      handler: 'control',
      description: 'Batch control: plan the window, leases, publish metrics',
      config: { leaseTable: leases.tableName, leaseTtlSeconds: LEASE_TTL_SECONDS },
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'Leases',
        actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem'],
        resources: [leases.tableArn],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'LeaseTableKey',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }
}
