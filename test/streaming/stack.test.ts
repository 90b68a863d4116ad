import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { STREAM_NAMES } from '../../lambda/contracts/events';
import { StreamArchive } from '../../lib/constructs/stream-archive';
import { StreamIngest } from '../../lib/constructs/stream-ingest';
import { settingsFromConfig } from '../../lib/config/stream-settings';
import { ENVIRONMENT_NAMES, loadEnvironmentConfig } from '../../lib/config';
import { OperationsStack } from '../../lib/stacks/operations-stack';
import { StorageStack } from '../../lib/stacks/storage-stack';
import { StreamingStack } from '../../lib/stacks/streaming-stack';
import { processorWithDefaults } from './processor-construct';
import { cdkJsonContext, REPO_ROOT } from '../helpers/synth';
import { deployedLakeBucketName } from '../../lib/constructs/data-lake';
import { loadStacks } from '../../lib/readiness/templates';

// The streaming stack with exactly the stacks it depends on (as DataPlatformStage wires it), per environment.
const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
const stages = ENVIRONMENT_NAMES.map((name) => {
  const config = loadEnvironmentConfig(name);
  const env = { account: config.account, region: config.region };
  const operations = new OperationsStack(app, `Operations-${name}`, { config, env });
  const storage = new StorageStack(app, `Storage-${name}`, { config, env, logsKey: operations.logsKey.key });
  const streaming = new StreamingStack(app, `Streaming-${name}`, {
    config,
    env,
    lake: storage.lake,
    alerting: operations.alerting,
    logsKey: operations.logsKey.key,
  });
  return { config, operations, storage, streaming };
});
type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;
const resourcesOf = (stack: Stack) => Template.fromStack(stack).toJSON().Resources as Resources;
const ofType = (r: Resources, type: string) => Object.values(r).filter((x) => x.Type === type);

describe.each(stages.map((s) => [s.config.name, s] as const))('StreamingStack %s', (_name, stage) => {
  const { config } = stage;
  const stack = stage.streaming;
  const template = Template.fromStack(stack);
  const resources = resourcesOf(stack);

  test('one Kinesis stream per logical stream, capacity and retention from config, CMK-encrypted', () => {
    const streams = ofType(resources, 'AWS::Kinesis::Stream');
    expect(streams).toHaveLength(3);
    for (const name of STREAM_NAMES) {
      const cap = config.streaming.streams[name];
      const s = streams.find((x) => x.Properties.Name === `${config.prefix}-${config.name}-${name}`);
      expect(s).toBeDefined();
      expect(s?.Properties.RetentionPeriodHours).toBe(config.streaming.retentionHours);
      expect(s?.Properties.StreamEncryption).toEqual({ EncryptionType: 'KMS', KeyId: expect.anything() });
      expect(JSON.stringify(s?.Properties.StreamEncryption.KeyId)).not.toContain('alias/aws/kinesis');
      if (cap.mode === 'provisioned')
        expect(s?.Properties).toMatchObject({ ShardCount: cap.shards, StreamModeDetails: { StreamMode: 'PROVISIONED' } });
      else expect(s?.Properties.StreamModeDetails).toEqual({ StreamMode: 'ON_DEMAND' });
    }
  });

  test('every event source mapping has the deliberate settings from config', () => {
    const mappings = ofType(resources, 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(3);
    const s = config.streaming;
    for (const m of mappings) {
      expect(m.Properties).toMatchObject({
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: s.batchSize,
        MaximumBatchingWindowInSeconds: s.maxBatchingWindowSeconds,
        ParallelizationFactor: s.parallelizationFactor,
        MaximumRetryAttempts: s.maxRetryAttempts,
        MaximumRecordAgeInSeconds: s.maxRecordAgeSeconds,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MetricsConfig: { Metrics: ['EventCount'] },
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [expect.stringMatching(/^ProcessorFailureQueue/), 'Arn'] } } },
      });
    }
    const sources = mappings.map((m) => m.Properties.EventSourceArn['Fn::GetAtt'][0]).sort();
    expect(sources).toEqual([
      expect.stringMatching(/^IngestClickstream/),
      expect.stringMatching(/^IngestCustomers/),
      expect.stringMatching(/^IngestTransactions/),
    ]);
  });

  test('the failure destination is a CMK-encrypted, TLS-only SQS queue', () => {
    const [queue] = ofType(resources, 'AWS::SQS::Queue');
    expect(queue.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^IngestKey/), 'Arn'] });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  test('the processor: Node 22 on arm64, X-Ray, settings as a validated JSON variable, encrypted env, explicit log group', () => {
    const fns = ofType(resources, 'AWS::Lambda::Function');
    expect(fns).toHaveLength(1);
    const p = fns[0].Properties;
    expect(p).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Handler: 'index.handler',
    });
    expect(p.KmsKeyArn).toBeDefined();
    expect(p.LoggingConfig.LogGroup).toBeDefined();
    // The buckets and the topic are written into the settings, never as loose variables the schema does not see.
    const [, deployed] = loadStacks(
      new Map([
        ['operations', Template.fromStack(stage.operations).toJSON()],
        ['streaming', template.toJSON()],
      ]),
    );
    expect(JSON.parse(deployed.str(p.Environment.Variables.PROCESSOR_SETTINGS))).toEqual({
      ...settingsFromConfig(config),
      resources: {
        buckets: {
          staging: deployed.str(stack.resolve(deployedLakeBucketName(`${config.prefix}-${config.name}`, 'staging'))),
          quarantine: deployed.str(stack.resolve(deployedLakeBucketName(`${config.prefix}-${config.name}`, 'quarantine'))),
        },
        alertTopicArn: expect.stringMatching(/^arn:aws:sns:eu-west-1:\d{12}:/),
      },
    });
    expect(Object.keys(p.Environment.Variables).filter((v) => !v.startsWith('POWERTOOLS_') && !v.startsWith('NODE_'))).toEqual([
      'PROCESSOR_SETTINGS',
    ]);
    expect(p.Environment.Variables).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'stream-processor',
      POWERTOOLS_METRICS_NAMESPACE: 'DataFlow/Streaming',
    });
    for (const lg of ofType(resources, 'AWS::Logs::LogGroup')) {
      expect(lg.Properties.RetentionInDays).toBe(config.logRetentionDays);
      expect(lg.Properties.KmsKeyId).toBeDefined();
    }
  });

  test('Firehose archives each stream to the raw zone: dynamic partitioning, GZIP, error prefix, lake key, buffering from config', () => {
    const deliveries = ofType(resources, 'AWS::KinesisFirehose::DeliveryStream');
    expect(deliveries).toHaveLength(3);
    for (const d of deliveries) {
      const dest = d.Properties.ExtendedS3DestinationConfiguration;
      expect(d.Properties.DeliveryStreamType).toBe('KinesisStreamAsSource');
      expect(dest.DynamicPartitioningConfiguration.Enabled).toBe(true);
      expect(dest.Prefix).toBe('stream/!{partitionKeyFromQuery:event_type}/dt=!{timestamp:yyyy-MM-dd}/hr=!{timestamp:HH}/');
      expect(dest.ErrorOutputPrefix).toMatch(/^stream-errors\/[a-z]+\/!\{firehose:error-output-type\}\/dt=/);
      expect(dest.CompressionFormat).toBe('GZIP');
      expect(dest.BufferingHints).toEqual({
        IntervalInSeconds: config.streaming.firehoseBufferSeconds,
        SizeInMBs: config.streaming.firehoseBufferMiB,
      });
      expect(dest.EncryptionConfiguration.KMSEncryptionConfig.AWSKMSKeyARN).toBeDefined();
      expect(dest.CloudWatchLoggingOptions.Enabled).toBe(true);
      expect(dest.ProcessingConfiguration.Processors.map((p: { Type: string }) => p.Type)).toEqual([
        'MetadataExtraction',
        'AppendDelimiterToRecord',
      ]);
    }
  });

  test('alarms: iterator age, volume band, archive freshness and failures per stream; errors, throttles, failure queue, alert and rollback failures', () => {
    const alarms = stack.monitoring.alarms.map((a) => a.node.id).sort();
    const perStream = (prefix: string) => STREAM_NAMES.map((n) => `${prefix}-${n}`);
    expect(alarms).toEqual(
      [
        ...perStream('IteratorAge'),
        ...perStream('IncomingVolume'),
        ...perStream('ArchiveFreshness'),
        ...perStream('ArchiveDeliveryFailures'),
        'ProcessorErrors',
        'ProcessorThrottles',
        'FailureDestinationDepth',
        'AnomalyAlertFailures',
        'AlertOutboxDepth',
        'RollbackFailures',
      ].sort(),
    );
    for (const a of ofType(resources, 'AWS::CloudWatch::Alarm')) {
      expect(a.Properties.AlarmActions).toHaveLength(1);
      expect(a.Properties.OKActions).toHaveLength(1);
      const runbook = /docs\/runbooks\/(stream-[a-z-]+)\.md/.exec(a.Properties.AlarmDescription)?.[1];
      expect(runbook && fs.existsSync(path.join(REPO_ROOT, 'docs', 'runbooks', `${runbook}.md`))).toBe(true);
    }
  });

  test('the incoming-volume alarms are anomaly bands that treat missing data as breaching (an outage alarms)', () => {
    const bands = ofType(resources, 'AWS::CloudWatch::Alarm').filter((a) => a.Properties.ThresholdMetricId !== undefined);
    expect(bands).toHaveLength(3);
    for (const b of bands) {
      expect(b.Properties).toMatchObject({
        TreatMissingData: 'breaching',
        ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold',
        EvaluationPeriods: 3,
      });
      const metric = b.Properties.Metrics.find((m: { MetricStat?: unknown }) => m.MetricStat);
      expect(metric.MetricStat).toMatchObject({
        Metric: { Namespace: 'AWS/Kinesis', MetricName: 'IncomingRecords', Dimensions: [{ Name: 'StreamName' }] },
        Stat: 'Sum',
      });
      const band = b.Properties.Metrics.find((m: { Expression?: string }) => m.Expression);
      expect(band.Expression).toMatch(/^ANOMALY_DETECTION_BAND\(m\d+, 3\)$/);
    }
  });

  test('iterator-age alarms use the stream metric with its StreamName dimension', () => {
    const ages = ofType(resources, 'AWS::CloudWatch::Alarm').filter(
      (a) => a.Properties.MetricName === 'GetRecords.IteratorAgeMilliseconds',
    );
    expect(ages).toHaveLength(3);
    for (const a of ages)
      expect(a.Properties).toMatchObject({
        Namespace: 'AWS/Kinesis',
        Dimensions: [{ Name: 'StreamName', Value: expect.anything() }],
        Threshold: 600_000,
      });
  });

  test('the processor may write only its own lake prefixes and publish only to the warning topic', () => {
    const policies = JSON.stringify(ofType(resources, 'AWS::IAM::Policy').filter((p) => JSON.stringify(p).includes('ProcessorRole')));
    expect(policies).toContain('/stream/*');
    expect(policies).toContain('/anomalies/*');
    expect(policies).not.toMatch(/"s3:\*"|"Action":"\*"/);
    expect(policies).toContain('sns:Publish');
  });

  test('the lake buckets it addresses by name are the DataLake buckets', () => {
    for (const zone of ['raw', 'staging', 'quarantine'] as const) {
      const cfn = stage.storage.lake.zones[zone].node.defaultChild as s3.CfnBucket;
      const imported = stack.node.findChild(`Lake-${zone}`) as s3.IBucket;
      expect(stack.resolve(imported.bucketName)).toEqual(stage.storage.resolve(cfn.bucketName));
    }
  });

  test('cdk-nag AwsSolutions: zero unacknowledged findings', () => {
    const report = new AwsSolutionsChecks(app).validateScope(stack);
    expect(report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`))).toEqual([]);
  });
});

describe('documented construct defaults', () => {
  const fixture = () => {
    const stack = new Stack(new App(), 'Defaults', { env: { account: '111111111111', region: 'eu-west-1' } });
    const key = new kms.Key(stack, 'K');
    const bucket = new s3.Bucket(stack, 'B');
    return { stack, key, bucket };
  };

  test('StreamIngest: 24 h retention, KMS with its own rotating key, RETAIN', () => {
    const { stack } = fixture();
    new StreamIngest(stack, 'I', {
      namePrefix: 'x-dev',
      capacity: { transactions: { mode: 'on-demand' }, customers: { mode: 'provisioned', shards: 2 }, clickstream: { mode: 'on-demand' } },
    });
    const t = Template.fromStack(stack);
    t.allResourcesProperties('AWS::Kinesis::Stream', { RetentionPeriodHours: 24, StreamEncryption: { EncryptionType: 'KMS' } });
    t.hasResource('AWS::Kinesis::Stream', { DeletionPolicy: 'Retain' });
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('StreamArchive: 300 s / 64 MiB buffering, one-month log retention', () => {
    const { stack, key, bucket } = fixture();
    const source = new kinesis.Stream(stack, 'S', { encryption: kinesis.StreamEncryption.KMS, encryptionKey: key });
    new StreamArchive(stack, 'A', { source, streamName: 'transactions', bucket, bucketKey: key, logsKey: key });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: Match.objectLike({ BufferingHints: { IntervalInSeconds: 300, SizeInMBs: 64 } }),
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('StreamProcessor: batch 500, window 5 s, factor 1, 3 retries, 1 h record age, TRIM_HORIZON, 1024 MB, 120 s', () => {
    const { stack, key, bucket } = fixture();
    processorWithDefaults(stack, key, { staging: bucket, quarantine: bucket });
    const t = Template.fromStack(stack);
    t.allResourcesProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 500,
      MaximumBatchingWindowInSeconds: 5,
      ParallelizationFactor: 1,
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: Duration.hours(1).toSeconds(),
      StartingPosition: 'TRIM_HORIZON',
    });
    t.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 1024, Timeout: 120 });
    t.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: Duration.days(14).toSeconds() });
  });
});
