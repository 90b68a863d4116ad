import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { STREAM_NAMES, type StreamName } from '../../lambda/contracts/events';
import { SERVICES, STREAM_METRICS, STREAM_METRICS_NAMESPACE } from '../../lambda/contracts/metrics';
import type { IAlarmTopics } from './alerting';
import { Monitoring } from './monitoring';

/** Alarm thresholds of the streaming path (the runbooks quote them). */
const STREAM_ALARMS = {
  /** Oldest unread record older than this (sustained 15 min) means consumers are falling behind. */
  iteratorAgeMs: 10 * 60 * 1000,
  /** Anomaly band width on incoming records (standard deviations). */
  volumeBandStdDevs: 3,
} as const;

export interface StreamAlarmsProps {
  readonly topics: IAlarmTopics;
  /** Base URL of the runbooks, ending with `/`. */
  readonly runbookBaseUrl: string;
  /** The Kinesis streams, by logical stream. */
  readonly streams: Readonly<Record<StreamName, kinesis.IStream>>;
  /** Each stream's Firehose delivery stream (its raw-zone archive), by name. */
  readonly deliveryStreamNames: Readonly<Record<StreamName, string>>;
  /** The archives' buffer interval: an archive later than twice this plus 5 minutes is stale. */
  readonly firehoseBufferSeconds: number;
  /** The stream processor function. */
  readonly processor: lambda.IFunction;
  /** The processor's on-failure destination. */
  readonly failureQueue: sqs.IQueue;
}

const FIVE_MINUTES = Duration.minutes(5);
const quiet = { treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING };
const above = (threshold: number) => ({ threshold, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD });

/**
 * The streaming path's alarms, each with its runbook: per stream, consumer lag, incoming volume and archive freshness
 * and delivery; for the processor, failed invocations, throttles, skipped batches, alert publishing and rollbacks.
 */
export class StreamAlarms extends Monitoring {
  constructor(scope: Construct, id: string, props: StreamAlarmsProps) {
    super(scope, id, { topics: props.topics, runbookBaseUrl: props.runbookBaseUrl });
    for (const name of STREAM_NAMES) this.addStreamAlarms(name, props);
    this.addProcessorAlarms(props);
  }

  private addStreamAlarms(name: StreamName, props: StreamAlarmsProps): void {
    const stream = props.streams[name];
    this.addAlarm(`IteratorAge-${name}`, {
      runbook: 'stream-iterator-age',
      summary: `Consumers of the ${name} stream are more than 10 minutes behind: staging data is going stale.`,
      metric: stream.metricGetRecordsIteratorAgeMilliseconds({ statistic: 'Maximum', period: FIVE_MINUTES }),
      ...above(STREAM_ALARMS.iteratorAgeMs),
      evaluationPeriods: 3,
      ...quiet,
    });
    this.addAnomalyAlarm(`IncomingVolume-${name}`, {
      runbook: 'stream-incoming-volume',
      summary: `Records put to the ${name} stream left the expected band (or stopped entirely): producers may be down.`,
      metric: stream.metricIncomingRecords({ statistic: 'Sum', period: FIVE_MINUTES }),
      stdDevs: STREAM_ALARMS.volumeBandStdDevs,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_LOWER_OR_GREATER_THAN_UPPER_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      // Lambda is only invoked when records exist: a total outage shows up as missing data, so it must breach.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    const firehose = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/Firehose',
        metricName,
        dimensionsMap: { DeliveryStreamName: props.deliveryStreamNames[name] },
        statistic,
        period: FIVE_MINUTES,
      });
    this.addAlarm(`ArchiveFreshness-${name}`, {
      runbook: 'stream-archive-freshness',
      summary: `The raw-zone archive of the ${name} stream is behind by more than twice its buffer interval plus 5 minutes.`,
      severity: 'warning',
      metric: firehose('DeliveryToS3.DataFreshness', 'Maximum'),
      ...above(props.firehoseBufferSeconds * 2 + 300),
      evaluationPeriods: 2,
      ...quiet,
    });
    this.addAlarm(`ArchiveDeliveryFailures-${name}`, {
      runbook: 'stream-archive-failures',
      summary: `Firehose is failing to write the ${name} archive to the raw zone: the replay source is incomplete.`,
      metric: firehose('DeliveryToS3.Success', 'Minimum'),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      ...quiet,
    });
  }

  private addProcessorAlarms(props: StreamAlarmsProps): void {
    const fn = props.processor;
    this.addAlarm('ProcessorErrors', {
      runbook: 'stream-processor-errors',
      summary: 'The stream processor is failing whole invocations (not data errors, which are quarantined): shards stall and retry.',
      metric: fn.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES }),
      ...above(0),
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      ...quiet,
    });
    this.addAlarm('ProcessorThrottles', {
      runbook: 'stream-processor-throttles',
      summary: 'The stream processor is being throttled: batches wait and iterator age grows.',
      severity: 'warning',
      metric: fn.metricThrottles({ statistic: 'Sum', period: FIVE_MINUTES }),
      ...above(0),
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      ...quiet,
    });
    this.addAlarm('FailureDestinationDepth', {
      runbook: 'stream-failure-destination',
      summary: 'Batches exhausted their retries or record age and were skipped to the failure queue: their records are not in staging.',
      metric: props.failureQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: FIVE_MINUTES }),
      ...above(0),
      evaluationPeriods: 1,
      ...quiet,
    });
    this.addAlarm('AnomalyAlertFailures', {
      runbook: 'stream-alert-failures',
      summary: 'Anomaly summaries could not be published to SNS; they wait in the alert outbox (stream data is committed regardless).',
      severity: 'warning',
      metric: acrossStreams(STREAM_METRICS.alertFailures, 'Sum', 'sum'),
      ...above(0),
      evaluationPeriods: 1,
      ...quiet,
    });
    this.addAlarm('AlertOutboxDepth', {
      runbook: 'stream-alert-outbox',
      summary: 'Anomaly alerts have been waiting in the outbox for 15 minutes: SNS publishing keeps failing. Stream data is not affected.',
      severity: 'warning',
      metric: acrossStreams(STREAM_METRICS.alertOutboxDepth, 'Minimum', 'max'),
      ...above(0),
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      ...quiet,
    });
    this.addAlarm('RollbackFailures', {
      runbook: 'stream-rollback-failures',
      summary: 'After a failed write the processor could not roll back an object: some events may appear twice in staging.',
      severity: 'warning',
      metric: acrossStreams(STREAM_METRICS.rollbackFailures, 'Sum', 'sum'),
      ...above(0),
      evaluationPeriods: 1,
      ...quiet,
    });
  }
}

/** A processor metric over all streams: each stream's `statistic`, then their sum (counts) or their largest (gauges). */
function acrossStreams(metricName: string, statistic: 'Sum' | 'Minimum', combine: 'sum' | 'max'): cloudwatch.MathExpression {
  const ids = STREAM_NAMES.map((_, i) => `m${i}`);
  return new cloudwatch.MathExpression({
    expression: combine === 'sum' ? ids.join(' + ') : `MAX([${ids.join(', ')}])`,
    usingMetrics: Object.fromEntries(
      STREAM_NAMES.map((stream, i) => [
        ids[i],
        new cloudwatch.Metric({
          namespace: STREAM_METRICS_NAMESPACE,
          metricName,
          dimensionsMap: { service: SERVICES.streamProcessor, Stream: stream },
          statistic,
          period: FIVE_MINUTES,
        }),
      ]),
    ),
    label: `${metricName} (all streams)`,
    period: FIVE_MINUTES,
  });
}
