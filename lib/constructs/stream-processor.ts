import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { StreamName } from '../../lambda/contracts/events';
import { ALERT_PREFIX } from '../../lambda/contracts/lake-keys';
import { SERVICES, STREAM_METRICS_NAMESPACE } from '../../lambda/contracts/metrics';
import type { ProcessorConfigInput, ProcessorSettingsInput } from '../../lambda/contracts/processor-settings';
import { nagText } from '../nag-text';
import { PlatformFunction } from './platform-function';

export const PROCESSOR_ENTRY = path.resolve(__dirname, '..', '..', 'lambda', 'stream-processor', 'index.ts');

export interface StreamProcessorProps {
  /** The streams to consume: one event source mapping each. */
  readonly streams: Readonly<Record<StreamName, kinesis.IStream>>;
  /**
   * Runtime settings (thresholds, stream-name map), written with the buckets and topic below as the `PROCESSOR_SETTINGS`
   * JSON variable; typed by the processor's schema.
   */
  readonly settings: ProcessorSettingsInput;
  /** Staging zone: valid events (`stream/`), anomaly records (`anomalies/`) and the alert outbox (`alerts/`). */
  readonly staging: s3.IBucket;
  /** Quarantine zone: rejected records (`stream/`). */
  readonly quarantine: s3.IBucket;
  /** The lake key (the zones' default encryption). */
  readonly lakeKey: kms.IKey;
  /** Receives one anomaly summary per batch that found anomalies. */
  readonly alertTopic: sns.ITopic;
  /** Encrypts the failure queue and the function's environment. */
  readonly key: kms.IKey;
  /** Encrypts the function's log group. */
  readonly logsKey: kms.IKey;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** Records per invocation (1–10,000). @default 500 */
  readonly batchSize?: number;
  /** @default Duration.seconds(5) */
  readonly maxBatchingWindow?: Duration;
  /** Concurrent batches per shard (1–10). @default 1 */
  readonly parallelizationFactor?: number;
  /** Retries of a failing batch before it goes to the failure queue (never the unbounded AWS default). @default 3 */
  readonly retryAttempts?: number;
  /** Records older than this go to the failure queue instead of blocking the shard. @default Duration.hours(1) */
  readonly maxRecordAge?: Duration;
  /**
   * Where a new mapping starts reading. TRIM_HORIZON so nothing already in the stream is skipped on first deploy.
   * @default lambda.StartingPosition.TRIM_HORIZON
   */
  readonly startingPosition?: lambda.StartingPosition;
  /** @default 1024 */
  readonly memorySize?: number;
  /** @default Duration.seconds(120) */
  readonly timeout?: Duration;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The validating, anomaly-detecting stream processor: a platform function with one Kinesis event source mapping per
 * stream (batch item failures, bisect on error, bounded retries and record age, an encrypted SQS failure destination,
 * EventCount metrics) and a least-privilege role written out statement by statement.
 */
export class StreamProcessor extends PlatformFunction {
  /** On-failure destination of every mapping: metadata of batches that exhausted retries or record age. */
  public readonly failureQueue: sqs.Queue;
  public readonly eventSources: Readonly<Record<StreamName, KinesisEventSource>>;

  constructor(scope: Construct, id: string, props: StreamProcessorProps) {
    super(scope, id, {
      entry: PROCESSOR_ENTRY,
      description: 'Validates, quarantines, routes and anomaly-checks stream events',
      roleDescription: 'Stream processor: read the streams, write staging/quarantine, publish anomaly summaries',
      logsKey: props.logsKey,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy,
      environmentKey: props.key,
      environment: { PROCESSOR_SETTINGS: Stack.of(scope).toJsonString(processorConfig(props)) },
      powertools: { serviceName: SERVICES.streamProcessor, metricsNamespace: STREAM_METRICS_NAMESPACE },
      // A larger young generation: a batch's parsed events die young instead of being promoted (init cost measured
      // in bench/stream.ts).
      nodeOptions: ['--max-semi-space-size=128'],
      runtimeConfig: 'stream-processor',
      memorySize: props.memorySize,
      timeout: props.timeout ?? Duration.seconds(120),
      initialPolicy: dataStatements(props, Stack.of(scope).region),
    });
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.failureQueue = new sqs.Queue(this, 'FailureQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    Validations.of(this.failureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the on-failure destination of the stream mappings; its messages are inspected and replayed by on-call (runbook stream-failure-destination).',
    });

    props.alertTopic.grantPublish(this.function);
    const prefixReason =
      'Writes are limited to the processor-owned prefix; the keys below it are event-type/hour partitions and shard/sequence file names.';
    const kmsReason =
      'Added by the SQS failure-destination and SNS publish grants: only on the streaming key and the alerting key, which encrypt that queue and topic.';
    Validations.of(this.role).acknowledge(
      { id: `AwsSolutions-IAM5[Resource::${nagText(this, props.staging.arnForObjects('stream/*'))}]`, reason: prefixReason },
      { id: `AwsSolutions-IAM5[Resource::${nagText(this, props.staging.arnForObjects('anomalies/*'))}]`, reason: prefixReason },
      { id: `AwsSolutions-IAM5[Resource::${nagText(this, props.quarantine.arnForObjects('stream/*'))}]`, reason: prefixReason },
      {
        id: `AwsSolutions-IAM5[Resource::${nagText(this, props.staging.arnForObjects(`${ALERT_PREFIX}*`))}]`,
        reason: 'The alert outbox prefix: one ledger per stream, shard and arrival hour plus a pending marker each, named at run time.',
      },
      { id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason: kmsReason },
      { id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason: kmsReason },
    );

    const sources: Partial<Record<StreamName, KinesisEventSource>> = {};
    for (const [name, stream] of Object.entries(props.streams) as [StreamName, kinesis.IStream][]) {
      const source = new KinesisEventSource(stream, {
        startingPosition: props.startingPosition ?? lambda.StartingPosition.TRIM_HORIZON,
        batchSize: props.batchSize ?? 500,
        maxBatchingWindow: props.maxBatchingWindow ?? Duration.seconds(5),
        parallelizationFactor: props.parallelizationFactor ?? 1,
        retryAttempts: props.retryAttempts ?? 3,
        maxRecordAge: props.maxRecordAge ?? Duration.hours(1),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.failureQueue),
        metricsConfig: { metrics: [lambda.MetricType.EVENT_COUNT] },
      });
      this.function.addEventSource(source);
      sources[name] = source;
    }
    this.eventSources = sources as Record<StreamName, KinesisEventSource>;
  }
}

/** The `PROCESSOR_SETTINGS` value: the settings and the resources the function writes to. */
function processorConfig(props: StreamProcessorProps): ProcessorConfigInput {
  return {
    ...props.settings,
    resources: {
      buckets: { staging: props.staging.bucketName, quarantine: props.quarantine.bucketName },
      alertTopicArn: props.alertTopic.topicArn,
    },
  };
}

/**
 * The processor's data permissions: write its prefixes of staging and quarantine; the alert outbox
 * (s3-document-store.ts): conditional read-modify-write of its ledgers, pending markers listed and removed. Listing is
 * limited to the outbox prefix; reads list the key first, so a missing ledger never needs a bucket-wide ListBucket
 * to tell "absent" from "denied".
 */
function dataStatements(props: StreamProcessorProps, region: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'WriteLakeObjects',
      actions: ['s3:PutObject', 's3:DeleteObject'],
      resources: [
        props.staging.arnForObjects('stream/*'),
        props.staging.arnForObjects('anomalies/*'),
        props.quarantine.arnForObjects('stream/*'),
      ],
    }),
    new iam.PolicyStatement({
      sid: 'AlertOutboxObjects',
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: [props.staging.arnForObjects(`${ALERT_PREFIX}*`)],
    }),
    new iam.PolicyStatement({
      sid: 'AlertOutboxList',
      actions: ['s3:ListBucket'],
      resources: [props.staging.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${ALERT_PREFIX}*`] } },
    }),
    new iam.PolicyStatement({
      sid: 'EncryptLakeObjects',
      // Single-part writes (GenerateDataKey) and reads of the alert outbox's own ledgers (Decrypt).
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [props.lakeKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
    }),
  ];
}
