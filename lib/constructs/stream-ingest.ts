import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { StreamName } from '../../lambda/contracts/events';
import type { StreamCapacity } from '../config';

export interface StreamIngestProps {
  /** Prefix of the stream names: `<namePrefix>-<stream>`. */
  readonly namePrefix: string;
  /** Capacity of each stream: provisioned shards or on-demand. */
  readonly capacity: Readonly<Record<StreamName, StreamCapacity>>;
  /**
   * How long records stay readable (the replay window for the processor).
   * @default Duration.hours(24)
   */
  readonly retention?: Duration;
  /**
   * Removal policy of the streams and the stream key.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The ingest streams of one environment: transactions, customers and clickstream Kinesis Data Streams, each encrypted
 * with the streaming customer-managed key (rotating), which also encrypts the processor's failure queue and
 * environment. Encryption cannot be turned off through props.
 */
export class StreamIngest extends Construct {
  /** Encrypts the streams (and, by convention, the streaming stack's other data at rest). */
  public readonly key: kms.Key;
  /** Logical stream → Kinesis stream. */
  public readonly streams: Readonly<Record<StreamName, kinesis.Stream>>;

  constructor(scope: Construct, id: string, props: StreamIngestProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.key = new kms.Key(this, 'Key', {
      description: 'DataFlow streaming: encrypts the Kinesis streams, the failure queue and the processor environment',
      enableKeyRotation: true,
      removalPolicy,
    });
    const stream = (name: StreamName, logicalId: string) => {
      const capacity = props.capacity[name];
      return new kinesis.Stream(this, logicalId, {
        streamName: `${props.namePrefix}-${name}`,
        ...(capacity.mode === 'provisioned'
          ? { streamMode: kinesis.StreamMode.PROVISIONED, shardCount: capacity.shards }
          : { streamMode: kinesis.StreamMode.ON_DEMAND }),
        retentionPeriod: props.retention ?? Duration.hours(24),
        encryption: kinesis.StreamEncryption.KMS,
        encryptionKey: this.key,
        removalPolicy,
      });
    };
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-KDS3',
      reason:
        "The streams use a rotating customer-managed key instead of aws/kinesis: its key policy and CloudTrail usage are under the platform team's control, as the platform uses CMKs wherever a service offers them.",
    });
    this.streams = {
      transactions: stream('transactions', 'Transactions'),
      customers: stream('customers', 'Customers'),
      clickstream: stream('clickstream', 'Clickstream'),
    };
  }
}
