import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { STREAM_NAMES, type StreamName } from '../../lambda/contracts/events';
import type { LakeZone } from '../../lambda/contracts/lake';
import { STREAM_METRICS } from '../../lambda/contracts/metrics';
import type { EnvironmentConfig } from '../config';
import type { IAlarmTopics } from '../constructs/alerting';
import { deployedLakeBucketName, type DataLake } from '../constructs/data-lake';
import { Monitoring } from '../constructs/monitoring';
import { StreamArchive } from '../constructs/stream-archive';
import { StreamIngest } from '../constructs/stream-ingest';
import { PROCESSOR_SERVICE, STREAM_METRICS_NAMESPACE, StreamProcessor } from '../constructs/stream-processor';
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

/** Alarm thresholds of the streaming path (the runbooks quote them). */
export const STREAM_ALARMS = {
  /** Oldest unread record older than this (sustained 15 min) means consumers are falling behind. */
  iteratorAgeMs: 10 * 60 * 1000,
  /** Anomaly band width on incoming records (standard deviations). */
  volumeBandStdDevs: 3,
} as const;

/**
 * The streaming path of one environment: Kinesis streams → Firehose raw archive, and the stream processor Lambda
 * validating into staging/quarantine with anomaly summaries to SNS, plus its alarms (each with a runbook).
 */
export class StreamingStack extends Stack {
  public readonly ingest: StreamIngest;
  public readonly archives: Readonly<Record<StreamName, StreamArchive>>;
  public readonly processor: StreamProcessor;
  public readonly monitoring: Monitoring;

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

    this.monitoring = new Monitoring(this, 'Monitoring', { topics: props.alerting, runbookBaseUrl: config.runbookBaseUrl });
    this.addAlarms(config);
  }

  private addAlarms(config: EnvironmentConfig): void {
    const m = this.monitoring;
    const fn = this.processor.function;
    const fiveMinutes = Duration.minutes(5);

    for (const name of STREAM_NAMES) {
      const stream = this.ingest.streams[name];
      m.addAlarm(`IteratorAge-${name}`, {
        runbook: 'stream-iterator-age',
        summary: `Consumers of the ${name} stream are more than 10 minutes behind: staging data is going stale.`,
        metric: stream.metricGetRecordsIteratorAgeMilliseconds({ statistic: 'Maximum', period: fiveMinutes }),
        threshold: STREAM_ALARMS.iteratorAgeMs,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      m.addAnomalyAlarm(`IncomingVolume-${name}`, {
        runbook: 'stream-incoming-volume',
        summary: `Records put to the ${name} stream left the expected band (or stopped entirely): producers may be down.`,
        metric: stream.metricIncomingRecords({ statistic: 'Sum', period: fiveMinutes }),
        stdDevs: STREAM_ALARMS.volumeBandStdDevs,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_LOWER_OR_GREATER_THAN_UPPER_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        // Lambda is only invoked when records exist: a total outage shows up as missing data, so it must breach.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
      const dims = { DeliveryStreamName: this.archives[name].deliveryStreamName };
      m.addAlarm(`ArchiveFreshness-${name}`, {
        runbook: 'stream-archive-freshness',
        summary: `The raw-zone archive of the ${name} stream is behind by more than twice its buffer interval plus 5 minutes.`,
        severity: 'warning',
        metric: new cloudwatch.Metric({
          namespace: 'AWS/Firehose',
          metricName: 'DeliveryToS3.DataFreshness',
          dimensionsMap: dims,
          statistic: 'Maximum',
          period: fiveMinutes,
        }),
        threshold: config.streaming.firehoseBufferSeconds * 2 + 300,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      m.addAlarm(`ArchiveDeliveryFailures-${name}`, {
        runbook: 'stream-archive-failures',
        summary: `Firehose is failing to write the ${name} archive to the raw zone: the replay source is incomplete.`,
        metric: new cloudwatch.Metric({
          namespace: 'AWS/Firehose',
          metricName: 'DeliveryToS3.Success',
          dimensionsMap: dims,
          statistic: 'Minimum',
          period: fiveMinutes,
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 2,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    m.addAlarm('ProcessorErrors', {
      runbook: 'stream-processor-errors',
      summary: 'The stream processor is failing whole invocations (not data errors, which are quarantined): shards stall and retry.',
      metric: fn.metricErrors({ statistic: 'Sum', period: fiveMinutes }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    m.addAlarm('ProcessorThrottles', {
      runbook: 'stream-processor-throttles',
      summary: 'The stream processor is being throttled: batches wait and iterator age grows.',
      severity: 'warning',
      metric: fn.metricThrottles({ statistic: 'Sum', period: fiveMinutes }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    m.addAlarm('FailureDestinationDepth', {
      runbook: 'stream-failure-destination',
      summary: 'Batches exhausted their retries or record age and were skipped to the failure queue: their records are not in staging.',
      metric: this.processor.failureQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: fiveMinutes }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const perStream = (metricName: string) =>
      new cloudwatch.MathExpression({
        expression: STREAM_NAMES.map((_, i) => `m${i}`).join(' + '),
        usingMetrics: Object.fromEntries(
          STREAM_NAMES.map((stream, i) => [
            `m${i}`,
            new cloudwatch.Metric({
              namespace: STREAM_METRICS_NAMESPACE,
              metricName,
              dimensionsMap: { service: PROCESSOR_SERVICE, Stream: stream },
              statistic: 'Sum',
              period: fiveMinutes,
            }),
          ]),
        ),
        label: `${metricName} (all streams)`,
        period: fiveMinutes,
      });
    m.addAlarm('AnomalyAlertFailures', {
      runbook: 'stream-alert-failures',
      summary: 'Anomaly summaries could not be published to SNS; they wait in the alert outbox (stream data is committed regardless).',
      severity: 'warning',
      metric: perStream(STREAM_METRICS.alertFailures),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    m.addAlarm('AlertOutboxDepth', {
      runbook: 'stream-alert-outbox',
      summary: 'Anomaly alerts have been waiting in the outbox for 15 minutes: SNS publishing keeps failing. Stream data is not affected.',
      severity: 'warning',
      metric: new cloudwatch.MathExpression({
        expression: `MAX([${STREAM_NAMES.map((_, i) => `m${i}`).join(', ')}])`,
        usingMetrics: Object.fromEntries(
          STREAM_NAMES.map((stream, i) => [
            `m${i}`,
            new cloudwatch.Metric({
              namespace: STREAM_METRICS_NAMESPACE,
              metricName: 'AlertOutboxDepth',
              dimensionsMap: { service: PROCESSOR_SERVICE, Stream: stream },
              statistic: 'Minimum',
              period: fiveMinutes,
            }),
          ]),
        ),
        label: 'AlertOutboxDepth (all streams)',
        period: fiveMinutes,
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    m.addAlarm('RollbackFailures', {
      runbook: 'stream-rollback-failures',
      summary: 'After a failed write the processor could not roll back an object: some events may appear twice in staging.',
      severity: 'warning',
      metric: perStream(STREAM_METRICS.rollbackFailures),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
