import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import { tableSpecsArgument } from '../../lambda/contracts/glue-args';
import { allEnvironments } from '../helpers/synth';

const { stages } = allEnvironments();
const stage = (env: string) => stages.find((s) => s.config.name === env)!;
const template = (env: string) => Template.fromStack(stage(env).batch);

describe('BatchStack', () => {
  const dev = template('dev');
  const prod = template('prod');

  test('state machine: logging ALL to a vendedlogs group with a KMS key, X-Ray, JSONPath, 2-hour timeout (the documented default)', () => {
    dev.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/vendedlogs/states/dataflow-dev-hourly-batch',
      RetentionInDays: 14,
      KmsKeyId: Match.anyValue(),
    });
    dev.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'dataflow-dev-hourly-batch',
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true, Destinations: Match.anyValue() },
      TracingConfiguration: { Enabled: true },
    });
    const sm = Object.values(dev.findResources('AWS::StateMachine'.replace('AWS::', 'AWS::StepFunctions::')))[0] as {
      Properties: { DefinitionString: unknown };
    };
    const text = JSON.stringify(sm.Properties.DefinitionString);
    expect(text).toContain('\\"TimeoutSeconds\\":7200');
    expect(text).toContain('\\"QueryLanguage\\":\\"JSONPath\\"');
  });

  test('schedule: expression from config, passes the scheduled time, disabled in dev / enabled in prod, retries and a DLQ', () => {
    for (const [t, state] of [
      [dev, 'DISABLED'],
      [prod, 'ENABLED'],
    ] as const) {
      t.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(5 * * * ? *)',
        State: state,
        KmsKeyArn: Match.anyValue(),
        Target: Match.objectLike({
          Input: '{"scheduledTime":"<aws.scheduler.scheduled-time>"}',
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: Match.anyValue(),
        }),
      });
    }
  });

  test("the zone buckets it addresses by name are the storage stack's lake buckets", () => {
    for (const env of ['dev', 'prod']) {
      const { batch, storage } = stage(env);
      for (const [zone, id] of [
        ['raw', 'RawZone'],
        ['staging', 'StagingZone'],
        ['quarantine', 'QuarantineZone'],
      ] as const) {
        const imported = batch.node.findAll().find((c) => c.node.id === id) as IBucket;
        const bucket = storage.lake.zones[zone].node.defaultChild as CfnBucket;
        expect(batch.resolve(imported.bucketName)).toEqual(storage.resolve(bucket.bucketName));
      }
    }
  });

  test('lease table: CMK, TTL on expires_at, point-in-time recovery', () => {
    dev.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'lease_name', KeyType: 'HASH' }],
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
      TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  test('Glue 5.0 jobs from glue-scripts with the spec arguments, no Glue-side retries, a security configuration', () => {
    for (const name of ['dataflow-dev-conform', 'dataflow-dev-customer-features']) {
      dev.hasResourceProperties('AWS::Glue::Job', {
        Name: name,
        GlueVersion: '5.0',
        WorkerType: 'G.1X',
        NumberOfWorkers: 2,
        MaxRetries: 0,
        Timeout: 45,
        SecurityConfiguration: Match.anyValue(),
        DefaultArguments: Match.objectLike({ '--table_specs': tableSpecsArgument(), '--job-bookmark-option': 'job-bookmark-disable' }),
      });
    }
    dev.resourceCountIs('AWS::Glue::Table', 6);
    dev.hasResourceProperties('AWS::Glue::SecurityConfiguration', {
      EncryptionConfiguration: Match.objectLike({
        S3Encryptions: [Match.objectLike({ S3EncryptionMode: 'SSE-KMS' })],
        CloudWatchEncryption: Match.objectLike({ CloudWatchEncryptionMode: 'SSE-KMS' }),
      }),
    });
  });

  test('Lambdas: Node 22 on arm64, X-Ray, 5 min / 1024 MB by default; the extract runs in the VPC with the overlap from config', () => {
    dev.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Batch control: plan the window, leases, publish metrics',
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Timeout: 300,
      MemorySize: 1024,
    });
    const fns = dev.findResources('AWS::Lambda::Function', {
      Properties: { Description: 'Batch extract: one OLTP table and window to the raw zone' },
    });
    const extract = Object.values(fns)[0] as { Properties: { VpcConfig?: unknown; Environment: { Variables: Record<string, unknown> } } };
    expect(extract.Properties.VpcConfig).toBeDefined();
    expect(JSON.stringify(extract.Properties.Environment.Variables.BATCH_CONFIG)).toContain('\\"overlapMinutes\\":10');
  });

  test('dbt runs on Fargate arm64 with the environment as dbt target', () => {
    prod.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      ContainerDefinitions: [Match.objectLike({ Environment: Match.arrayWith([{ Name: 'DBT_TARGET', Value: 'prod' }]) })],
    });
  });

  test('alarms: executions failed / timed out / aborted, Glue failures, schedule dead letters; the freshness SLA only where the schedule runs', () => {
    const descriptions = (t: Template) =>
      Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((a) =>
        JSON.stringify((a as { Properties: { AlarmDescription: unknown } }).Properties.AlarmDescription),
      );
    expect(descriptions(dev)).toHaveLength(7);
    expect(descriptions(prod)).toHaveLength(8);
    expect(descriptions(prod).some((d) => d.includes('batch-freshness-sla.md'))).toBe(true);
    prod.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'GoldBuildSucceeded',
      Namespace: 'DataFlow/Batch',
      Period: 5400,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });
});
