import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { STREAM_NAMES, type StreamName } from '../../lambda/contracts/events';
import type { LakeZone } from '../../lambda/contracts/lake';
import type { EnvironmentConfig } from '../config';
import type { IAlarmTopics } from '../constructs/alerting';
import { deployedLakeBucketName, type DataLake } from '../constructs/data-lake';
import { StreamAlarms } from '../constructs/stream-alarms';
import { StreamArchive } from '../constructs/stream-archive';
import { StreamIngest } from '../constructs/stream-ingest';
import { StreamProcessor } from '../constructs/stream-processor';
import { settingsFromConfig } from '../config/stream-settings';
import { resolveEnvironment } from '../environment';

export interface StreamingStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly lake: DataLake;
  /** Alarm topics; the warning topic also receives the per-batch anomaly summaries. */
  readonly alerting: IAlarmTopics;
  /** Key of the environment's log groups. */
  readonly logsKey: kms.IKey;
}

/**
 * The streaming path of one environment: Kinesis streams → Firehose raw archive, and the stream processor Lambda
 * validating into staging/quarantine with anomaly summaries to SNS, plus its alarms (each with a runbook, `StreamAlarms`).
 */
export class StreamingStack extends Stack {
  public readonly ingest: StreamIngest;
  public readonly archives: Readonly<Record<StreamName, StreamArchive>>;
  public readonly processor: StreamProcessor;
  public readonly monitoring: StreamAlarms;

  constructor(scope: Construct, id: string, props: StreamingStackProps) {
    super(scope, id, props);
    const { config, lake } = props;
    const { prefix, removalPolicy, logRetention } = resolveEnvironment(config);
    const s = config.streaming;
    // The zone buckets by their deterministic names (as DataLake names them): IAM policies and nag findings then
    // reference this stack's own intrinsics instead of cross-stack outputs. A test checks the names still match.
    const zone = (z: LakeZone) =>
      s3.Bucket.fromBucketAttributes(this, `Lake-${z}`, {
        bucketName: deployedLakeBucketName(`${config.prefix}-${config.name}`, z),
        encryptionKey: lake.key,
      });
    const raw = zone('raw');

    this.ingest = new StreamIngest(this, 'Ingest', {
      namePrefix: prefix,
      capacity: s.streams,
      retention: Duration.hours(s.retentionHours),
      removalPolicy,
    });
    const archives: Partial<Record<StreamName, StreamArchive>> = {};
    for (const name of STREAM_NAMES) {
      archives[name] = new StreamArchive(this, `Archive-${name}`, {
        source: this.ingest.streams[name],
        streamName: name,
        bucket: raw,
        bucketKey: lake.key,
        logsKey: props.logsKey,
        logRetention,
        bufferInterval: Duration.seconds(s.firehoseBufferSeconds),
        bufferSizeMiB: s.firehoseBufferMiB,
        removalPolicy,
      });
    }
    this.archives = archives as Record<StreamName, StreamArchive>;

    this.processor = new StreamProcessor(this, 'Processor', {
      streams: this.ingest.streams,
      settings: settingsFromConfig(config),
      staging: zone('staging'),
      quarantine: zone('quarantine'),
      lakeKey: lake.key,
      alertTopic: props.alerting.warning,
      key: this.ingest.key,
      logsKey: props.logsKey,
      logRetention,
      batchSize: s.batchSize,
      maxBatchingWindow: Duration.seconds(s.maxBatchingWindowSeconds),
      parallelizationFactor: s.parallelizationFactor,
      retryAttempts: s.maxRetryAttempts,
      maxRecordAge: Duration.seconds(s.maxRecordAgeSeconds),
      removalPolicy,
    });

    this.monitoring = new StreamAlarms(this, 'Monitoring', {
      topics: props.alerting,
      runbookBaseUrl: config.runbookBaseUrl,
      streams: this.ingest.streams,
      deliveryStreamNames: Object.fromEntries(STREAM_NAMES.map((n) => [n, this.archives[n].deliveryStreamName])) as Record<
        StreamName,
        string
      >,
      firehoseBufferSeconds: s.firehoseBufferSeconds,
      processor: this.processor.function,
      failureQueue: this.processor.failureQueue,
    });
  }
}
