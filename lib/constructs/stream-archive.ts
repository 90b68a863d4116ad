import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { nagText } from '../nag-text';

export interface StreamArchiveProps {
  /** The Kinesis stream to archive. */
  readonly source: kinesis.IStream;
  /** Logical stream name, used in the error prefix. */
  readonly streamName: string;
  /** The raw zone bucket. */
  readonly bucket: s3.IBucket;
  /** The raw zone's key: archived objects are encrypted with it. */
  readonly bucketKey: kms.IKey;
  /** Key of the delivery log group. */
  readonly logsKey: kms.IKey;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Buffering interval (0–900 s).
   * @default Duration.seconds(300)
   */
  readonly bufferInterval?: Duration;
  /**
   * Buffering size in MiB (64–128 with dynamic partitioning).
   * @default 64
   */
  readonly bufferSizeMiB?: number;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** The raw-zone layout of archived records: partitioned by event type and arrival hour (lake key layout). */
export const RAW_PREFIX = 'stream/!{partitionKeyFromQuery:event_type}/dt=!{timestamp:yyyy-MM-dd}/hr=!{timestamp:HH}/';
/** Records whose type cannot be read: a fixed entity instead of an unbounded number of partitions. */
export const EVENT_TYPE_QUERY =
  '{event_type: (if (.event_type | type) == "string" and (.event_type | test("^[a-z][a-z0-9_]{0,62}$")) then .event_type else "unknown" end)}';

/**
 * Firehose delivery of one Kinesis stream into the raw zone, exactly as received: GZIP NDJSON, dynamic partitioning by
 * event type and hour, records that cannot be partitioned (not JSON) under an error prefix, SSE-KMS with the lake key,
 * delivery logging to an encrypted log group with bounded retention, and a least-privilege role.
 */
export class StreamArchive extends Construct {
  public readonly deliveryStream: firehose.CfnDeliveryStream;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  /** The delivery stream's name (alarm dimension). */
  public readonly deliveryStreamName: string;

  constructor(scope: Construct, id: string, props: StreamArchiveProps) {
    super(scope, id);
    const { account, partition, region } = Stack.of(this);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      encryptionKey: props.logsKey,
      removalPolicy,
    });
    const logStream = this.logGroup.addStream('S3Delivery');

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', { conditions: { StringEquals: { 'sts:ExternalId': account } } }),
      description: `Firehose archive of ${props.streamName} into the raw zone`,
    });
    props.source.grantRead(this.role);
    const errorPrefix = `stream-errors/${props.streamName}/`;
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteRawZone',
        actions: [
          's3:AbortMultipartUpload',
          's3:GetBucketLocation',
          's3:GetObject',
          's3:ListBucket',
          's3:ListBucketMultipartUploads',
          's3:PutObject',
        ],
        resources: [props.bucket.bucketArn, props.bucket.arnForObjects('stream/*'), props.bucket.arnForObjects(`${errorPrefix}*`)],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EncryptRawZone',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.bucketKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DeliveryLogs',
        actions: ['logs:PutLogEvents'],
        resources: [
          `arn:${partition}:logs:${region}:${account}:log-group:${this.logGroup.logGroupName}:log-stream:${logStream.logStreamName}`,
        ],
      }),
    );
    const prefixReason =
      'Object writes are scoped to the raw-zone prefix this delivery owns; the keys below it are event-type/hour partitions chosen by Firehose at delivery time.';
    Validations.of(this.role).acknowledge(
      { id: `AwsSolutions-IAM5[Resource::${nagText(this, props.bucket.arnForObjects('stream/*'))}]`, reason: prefixReason },
      { id: `AwsSolutions-IAM5[Resource::${nagText(this, props.bucket.arnForObjects(`${errorPrefix}*`))}]`, reason: prefixReason },
    );

    this.deliveryStream = new firehose.CfnDeliveryStream(this, 'Resource', {
      deliveryStreamType: 'KinesisStreamAsSource',
      kinesisStreamSourceConfiguration: { kinesisStreamArn: props.source.streamArn, roleArn: this.role.roleArn },
      extendedS3DestinationConfiguration: {
        bucketArn: props.bucket.bucketArn,
        roleArn: this.role.roleArn,
        prefix: RAW_PREFIX,
        errorOutputPrefix: `${errorPrefix}!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/hr=!{timestamp:HH}/`,
        bufferingHints: {
          intervalInSeconds: (props.bufferInterval ?? Duration.seconds(300)).toSeconds(),
          sizeInMBs: props.bufferSizeMiB ?? 64,
        },
        compressionFormat: 'GZIP',
        fileExtension: '.ndjson.gz',
        encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: props.bucketKey.keyArn } },
        cloudWatchLoggingOptions: { enabled: true, logGroupName: this.logGroup.logGroupName, logStreamName: logStream.logStreamName },
        dynamicPartitioningConfiguration: { enabled: true, retryOptions: { durationInSeconds: 300 } },
        processingConfiguration: {
          enabled: true,
          processors: [
            {
              type: 'MetadataExtraction',
              parameters: [
                { parameterName: 'MetadataExtractionQuery', parameterValue: EVENT_TYPE_QUERY },
                { parameterName: 'JsonParsingEngine', parameterValue: 'JQ-1.6' },
              ],
            },
            { type: 'AppendDelimiterToRecord', parameters: [] },
          ],
        },
      },
    });
    // Firehose validates its role when the stream is created: the policies must exist first.
    this.deliveryStream.node.addDependency(this.role.node.findChild('DefaultPolicy'));
    this.deliveryStream.applyRemovalPolicy(removalPolicy);
    this.deliveryStreamName = this.deliveryStream.ref;
    Validations.of(this.deliveryStream).acknowledge({
      id: 'AwsSolutions-KDF1',
      reason:
        'The source is a KMS-encrypted Kinesis stream: Firehose server-side encryption settings apply only to Direct PUT sources; delivered objects are encrypted with the lake CMK.',
    });
  }
}
