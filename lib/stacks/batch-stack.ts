import { Duration, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import type { Alerting } from '../constructs/alerting';
import { BatchAlarms } from '../constructs/batch-alarms';
import { BatchControlFunction } from '../constructs/batch-control-function';
import { BatchDbtTask } from '../constructs/batch-dbt-task';
import { BatchExtractFunction } from '../constructs/batch-extract-function';
import { BatchFunction, type BatchFunctionBaseProps } from '../constructs/batch-function';
import { BatchLoadFunction } from '../constructs/batch-load-function';
import { BatchNetwork } from '../constructs/batch-network';
import { BatchQualityFunction } from '../constructs/batch-quality-function';
import { BatchSchedule } from '../constructs/batch-schedule';
import { BatchWorkflow } from '../constructs/batch-workflow';
import { deployedLakeBucketName, type DataLake } from '../constructs/data-lake';
import { DeadLetterQueue } from '../constructs/dead-letter-queue';
import { GlueCatalog } from '../constructs/glue-catalog';
import { GlueEtlJobs } from '../constructs/glue-etl-jobs';
import { LeaseRelease } from '../constructs/lease-release';
import { LeaseTable } from '../constructs/lease-table';
import { LineageTransport } from '../constructs/lineage-transport';
import { OltpSecret } from '../constructs/oltp-secret';
import { allowCloudWatchLogs } from '../constructs/logs-key';
import { ScheduleRole } from '../constructs/schedule-role';
import { resolveEnvironment } from '../environment';
import { BATCH_TIMEOUT_SECONDS } from '../../lambda/contracts/workflow';
import type { WarehouseTarget } from './warehouse-stack';

export interface BatchStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly lake: DataLake;
  readonly alerting: Alerting;
  readonly logsKey: kms.IKey;
  /** The warehouse as the warehouse stack exposes it to its clients. */
  readonly warehouse: WarehouseTarget;
}

/**
 * The hourly batch of one environment: EventBridge Scheduler → Step Functions (extract → quality gate → Glue →
 * Redshift load → dbt on Fargate → metrics), the DynamoDB lease table that guards windows and the warehouse,
 * the Glue jobs and Data Catalog, and the alarms on-call needs.
 */
export class BatchStack extends Stack {
  public readonly key: kms.Key;
  public readonly leaseTable: dynamodb.Table;
  public readonly oltpSecret: OltpSecret;
  public readonly network: BatchNetwork;
  public readonly functions: Readonly<{
    control: BatchControlFunction;
    extract: BatchExtractFunction;
    quality: BatchQualityFunction;
    load: BatchLoadFunction;
  }>;
  public readonly glue: GlueEtlJobs;
  public readonly catalog: GlueCatalog;
  public readonly dbt: BatchDbtTask;
  public readonly workflow: BatchWorkflow;
  /** Frees the leases of executions that failed, timed out or were aborted. */
  public readonly leaseRelease: LeaseRelease;
  public readonly schedule: scheduler.Schedule;
  /** Schedule invocations that could not start an execution (alarmed: each is a window not started). */
  public readonly scheduleDeadLetters: sqs.Queue;
  public readonly monitoring: BatchAlarms;

  constructor(scope: Construct, id: string, props: BatchStackProps) {
    super(scope, id, props);
    const { config, lake, warehouse } = props;
    const env = resolveEnvironment(config);
    const { removalPolicy, logRetention } = env;
    const timeout = Duration.seconds(BATCH_TIMEOUT_SECONDS);

    this.key = new kms.Key(this, 'Key', {
      description: 'DataFlow batch: lease table, OLTP secret, Lambda environment and logs, state machine, scheduler input and its DLQ',
      enableKeyRotation: true,
      removalPolicy,
    });
    // The batch Lambdas' log groups are encrypted with this key.
    allowCloudWatchLogs(this.key);
    this.key.grantEncryptDecrypt(new iam.ServicePrincipal('scheduler.amazonaws.com'));
    this.leaseTable = new LeaseTable(this, 'Leases', { key: this.key, removalPolicy });
    this.oltpSecret = new OltpSecret(this, 'OltpSecret', { secretName: `${env.prefix}/oltp-source`, key: this.key, removalPolicy });
    // Id `Default`: the network's resources keep the logical ids they were first deployed with (see BatchNetwork).
    this.network = new BatchNetwork(this, 'Default', {
      vpc: warehouse.vpc,
      endpointSubnets: warehouse.subnets,
      warehouseSecurityGroup: warehouse.securityGroup,
      oltp: config.oltp,
    });

    // Zone buckets by their physical names (same account and region): no cross-stack exports, and policies read
    // as the bucket names.
    const zones = {
      raw: s3.Bucket.fromBucketName(this, 'RawZone', deployedLakeBucketName(env.prefix, 'raw')),
      staging: s3.Bucket.fromBucketName(this, 'StagingZone', deployedLakeBucketName(env.prefix, 'staging')),
      quarantine: s3.Bucket.fromBucketName(this, 'QuarantineZone', deployedLakeBucketName(env.prefix, 'quarantine')),
    };
    const batchLake = { zones, key: lake.key };
    const lineage = new LineageTransport(this, 'Lineage', {
      config: config.lineage,
      namespace: config.lineage.namespace ?? env.prefix,
      lakeBucket: zones.staging,
      lakeKey: lake.key,
      // The OLTP host is a field of the secret: its datasets are named under one logical namespace.
      datasets: { oltp: `postgres://oltp-source:${config.oltp.port}`, warehouse: `redshift://${warehouse.endpointAddress}:5439` },
      securityGroups: [this.network.extractSecurityGroup, this.network.dbtSecurityGroup],
      vpcCidr: warehouse.vpc.vpcCidrBlock,
    });
    const base: BatchFunctionBaseProps = { key: this.key, ...env.functionDefaults };
    this.functions = {
      control: new BatchControlFunction(this, 'Control', { ...base, leases: this.leaseTable }),
      extract: new BatchExtractFunction(this, 'Extract', {
        ...base,
        lake: batchLake,
        oltp: config.oltp,
        oltpSecret: this.oltpSecret,
        overlapMinutes: config.schedule.extractOverlapMinutes,
        lineage: lineage.runtimeConfig,
        vpc: warehouse.vpc,
        vpcSubnets: warehouse.extractSubnets,
        securityGroup: this.network.extractSecurityGroup,
      }),
      quality: new BatchQualityFunction(this, 'Quality', {
        ...base,
        lake: batchLake,
        currencies: config.streaming.currencies,
        thresholds: config.quality,
        lineage: lineage.runtimeConfig,
      }),
      load: new BatchLoadFunction(this, 'Load', { ...base, lake: batchLake, warehouse, lineage: lineage.runtimeConfig }),
    };
    for (const f of [this.functions.extract, this.functions.quality, this.functions.load]) lineage.grantEmit(f.role);

    this.glue = new GlueEtlJobs(this, 'Glue', {
      namePrefix: env.prefix,
      staging: zones.staging,
      lakeKey: lake.key,
      logsKey: props.logsKey,
      logRetention,
      removalPolicy,
    });
    this.catalog = new GlueCatalog(this, 'Catalog', { databaseName: `${env.prefix}_lake`.replace(/-/g, '_'), staging: zones.staging });
    this.dbt = new BatchDbtTask(this, 'Dbt', {
      vpc: warehouse.vpc,
      target: config.name,
      workgroupName: warehouse.workgroupName,
      workgroupArn: warehouse.workgroupArn,
      warehouseHost: warehouse.endpointAddress,
      databaseName: warehouse.databaseName,
      logsKey: props.logsKey,
      logRetention,
      removalPolicy,
      runResults: { bucket: zones.staging, key: lake.key },
    });
    Tags.of(this.dbt.taskDefinition.taskRole).add('RedshiftDbRoles', warehouse.transformerDbRole);
    lineage.attachDbt(this.dbt);

    const { control, extract, quality, load } = this.functions;
    this.workflow = new BatchWorkflow(this, 'Workflow', {
      name: env.prefix,
      environment: config.name,
      control: control.function,
      extract: extract.function,
      quality: quality.function,
      load: load.function,
      conformJob: this.glue.conform,
      featuresJob: this.glue.customerFeatures,
      dbt: {
        cluster: this.dbt.cluster,
        taskDefinition: this.dbt.taskDefinition,
        container: this.dbt.container,
        subnets: warehouse.subnets,
        securityGroups: [this.network.dbtSecurityGroup],
      },
      onCall: props.alerting.critical,
      key: this.key,
      runbookUrl: `${config.runbookBaseUrl}docs/runbooks/batch-execution-failed.md`,
      logsKey: props.logsKey,
      logRetention,
      timeout,
      removalPolicy,
    });
    props.alerting.key.grant(this.workflow.stateMachine, 'kms:GenerateDataKey', 'kms:Decrypt');

    const release = new BatchFunction(this, 'Release', {
      ...base,
      handler: 'release',
      description: 'Batch lease release: frees the leases of an execution that failed, timed out or was aborted',
      config: { leaseTable: this.leaseTable.tableName },
    });
    this.leaseRelease = new LeaseRelease(this, 'LeaseRelease', {
      stateMachine: this.workflow.stateMachine,
      function: release,
      leaseTable: this.leaseTable,
      key: this.key,
    });

    this.scheduleDeadLetters = new DeadLetterQueue(this, 'ScheduleDeadLetters', { key: this.key, of: 'the batch schedule' });
    const scheduleRole = new ScheduleRole(this, 'ScheduleRole', {
      description: 'Starts the hourly batch; sends undeliverable starts to the dead-letter queue',
      deadLetterKey: this.key,
      scheduleGroupArn: `arn:${this.partition}:scheduler:${this.region}:${this.account}:schedule-group/default`,
    });
    this.workflow.grantKeyUse(scheduleRole);
    this.schedule = new BatchSchedule(this, 'Hourly', {
      scheduleName: env.nameOf('hourly-batch'),
      expression: config.schedule.expression,
      enabled: config.schedule.enabled,
      stateMachine: this.workflow.stateMachine,
      key: this.key,
      deadLetters: this.scheduleDeadLetters,
      role: scheduleRole,
    });

    this.monitoring = new BatchAlarms(this, 'Monitoring', {
      topics: props.alerting,
      runbookBaseUrl: config.runbookBaseUrl,
      stateMachine: this.workflow.stateMachine,
      glueJobs: {
        conform: { job: this.glue.conform, name: env.nameOf('conform') },
        customerFeatures: { job: this.glue.customerFeatures, name: env.nameOf('customer-features') },
      },
      leaseReleaseDeadLetters: this.leaseRelease.deadLetters,
      scheduleDeadLetters: this.scheduleDeadLetters,
      scheduleEnabled: config.schedule.enabled,
      freshnessSlaMinutes: config.schedule.freshnessSlaMinutes,
    });
  }
}
