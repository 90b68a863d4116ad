import type { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

export interface LeaseTableProps {
  /** Encrypts the table (customer managed key). */
  readonly key: kms.IKey;
  /**
   * Dropping the table mid-run would let two executions write one window or the warehouse.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The batch's lease table: one item per lease (`lease_name`), owned by an execution and expiring at `expires_at`
 * (DynamoDB TTL), so a window, the warehouse or a day's features is written by one execution at a time.
 * On-demand, encrypted with the given key, point-in-time recovery on.
 */
export class LeaseTable extends dynamodb.Table {
  constructor(scope: Construct, id: string, props: LeaseTableProps) {
    super(scope, id, {
      partitionKey: { name: 'lease_name', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      timeToLiveAttribute: 'expires_at',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: props.removalPolicy,
    });
  }
}
