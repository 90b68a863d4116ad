import { ArnFormat, Duration, Fn, RemovalPolicy, Stack, Tags, Validations, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { BATCH_METRICS_NAMESPACE, SERVICES, type BatchMetricName } from '../../lambda/contracts/metrics';
import type { EnvironmentConfig } from '../config';
import type { Alerting } from '../constructs/alerting';
import { BatchDbtTask } from '../constructs/batch-dbt-task';
import { dataApiPolicyStatements } from '../constructs/data-api-policy';
import { BatchFunction, type BatchFunctionProps } from '../constructs/batch-function';
import type { BatchConfigInput, BatchHandlerName } from '../../lambda/contracts/batch-config';
import { BATCH_TIMEOUT_SECONDS, LEASE_TTL_SECONDS } from '../../lambda/contracts/workflow';
import { BatchWorkflow } from '../constructs/batch-workflow';
import type { DataLake } from '../constructs/data-lake';
import { GlueCatalog } from '../constructs/glue-catalog';
import { GlueEtlJobs } from '../constructs/glue-etl-jobs';
import { LeaseRelease } from '../constructs/lease-release';
import { allowCloudWatchLogs } from '../constructs/logs-key';
import { Monitoring } from '../constructs/monitoring';
import { allowOltpEgress, oltpExtractSettings } from '../constructs/oltp-extract';
import { nagText } from '../nag-text';
import type { WarehouseTarget } from './warehouse-stack';

export interface BatchStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly lake: DataLake;
  readonly alerting: Alerting;
  readonly logsKey: kms.IKey;
  /** The warehouse as the warehouse stack exposes it to its clients. */
  readonly warehouse: WarehouseTarget;
}

/** Namespace of the batch's own metrics (QualityScore, RowsLoaded, GoldBuildSucceeded, DataFreshnessMinutes). */
export { BATCH_METRICS_NAMESPACE };

/**
 * The hourly batch of one environment: EventBridge Scheduler → Step Functions (extract → quality gate → Glue →
 * Redshift load → dbt on Fargate → metrics), the DynamoDB lease table that guards windows and the warehouse,
 * the Glue jobs and Data Catalog, and the alarms on-call needs.
 */
export class BatchStack extends Stack {
  public readonly key: kms.Key;
  public readonly lockTable: dynamodb.Table;
  public readonly oltpSecret: secretsmanager.Secret;
  public readonly functions: Readonly<Record<'control' | 'extract' | 'quality' | 'load', BatchFunction>>;
  public readonly glue: GlueEtlJobs;
  public readonly catalog: GlueCatalog;
  public readonly dbt: BatchDbtTask;
  public readonly workflow: BatchWorkflow;
  /** Frees the leases of executions that failed, timed out or were aborted. */
  public readonly leaseRelease: LeaseRelease;
  public readonly schedule: scheduler.Schedule;
  /** Schedule invocations that could not start an execution (alarmed: each is a window not started). */
  public readonly scheduleDeadLetters: sqs.Queue;
  public readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: BatchStackProps) {
    super(scope, id, props);
    const { config, lake, warehouse } = props;
    const name = `${config.prefix}-${config.name}`;
    const removalPolicy = config.removal.policy === 'destroy' && config.removal.allowDataDeletion ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const logRetention = config.logRetentionDays as logs.RetentionDays;
    const timeout = Duration.seconds(BATCH_TIMEOUT_SECONDS);

    this.key = new kms.Key(this, 'Key', {
      description: 'DataFlow batch: lease table, OLTP secret, Lambda environment and logs, scheduler input and its DLQ',
      enableKeyRotation: true,
      removalPolicy,
    });
    // The batch Lambdas' log groups are encrypted with this key.
    allowCloudWatchLogs(this.key);
    this.key.grantEncryptDecrypt(new iam.ServicePrincipal('scheduler.amazonaws.com'));

    this.lockTable = new dynamodb.Table(this, 'Leases', {
      partitionKey: { name: 'lock_name', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      timeToLiveAttribute: 'expires_at',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The live leases: dropping the table mid-run would let two executions write one window or the warehouse.
      removalPolicy,
    });

    this.oltpSecret = new secretsmanager.Secret(this, 'OltpSecret', {
      secretName: `${name}/oltp-source`,
      description: 'Read-only credentials of the OLTP Postgres the batch extracts from: {host, port, dbname, username, password}',
      encryptionKey: this.key,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ host: 'oltp.invalid', port: 5432, dbname: 'shop', username: 'dataflow_extract' }),
        generateStringKey: 'password',
        excludePunctuation: true,
      },
      removalPolicy,
    });
    Validations.of(this.oltpSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'The OLTP database is owned by the shop team, outside this app: its password rotates there, and they update this secret.',
    });

    // The extract runs in the warehouse VPC, in the subnets with the configured path to the OLTP database
    // (oltp.network: transit gateway, peering or NAT); AWS APIs through endpoints.
    const extractSg = new ec2.SecurityGroup(this, 'ExtractSecurityGroup', {
      vpc: warehouse.vpc,
      description: 'Batch extract Lambda: Postgres out, HTTPS to VPC endpoints',
      allowAllOutbound: false,
    });
    allowOltpEgress(extractSg, config.oltp);
    // HTTPS to the interface endpoints and the S3 gateway endpoint; the isolated subnets have no internet route.
    extractSg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'AWS APIs via VPC endpoints (no internet route)');
    const dbtSg = new ec2.SecurityGroup(this, 'DbtSecurityGroup', {
      vpc: warehouse.vpc,
      description: 'dbt on Fargate: Redshift 5439, HTTPS to VPC endpoints',
      allowAllOutbound: false,
    });
    dbtSg.addEgressRule(ec2.Peer.ipv4(warehouse.vpc.vpcCidrBlock), ec2.Port.tcp(5439), 'Redshift Serverless workgroup');
    dbtSg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'AWS APIs and ECR layers via VPC endpoints (no internet route)');
    // Declared in this stack (not on the warehouse's group object) so the dependency points batch → warehouse only.
    new ec2.CfnSecurityGroupIngress(this, 'DbtToWarehouse', {
      groupId: warehouse.securityGroup.securityGroupId,
      sourceSecurityGroupId: dbtSg.securityGroupId,
      ipProtocol: 'tcp',
      fromPort: 5439,
      toPort: 5439,
      description: 'dbt (hourly batch) to Redshift Serverless',
    });

    const endpointSg = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: warehouse.vpc,
      description: 'Interface endpoints used by the batch',
      allowAllOutbound: false,
    });
    endpointSg.addIngressRule(extractSg, ec2.Port.tcp(443), 'extract Lambda');
    endpointSg.addIngressRule(dbtSg, ec2.Port.tcp(443), 'dbt task');
    const services: Record<string, ec2.InterfaceVpcEndpointAwsService> = {
      SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      EcrApi: ec2.InterfaceVpcEndpointAwsService.ECR,
      EcrDocker: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
      Logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
      RedshiftServerless: ec2.InterfaceVpcEndpointAwsService.REDSHIFT_SERVERLESS,
    };
    // `open: false`: the endpoints admit only the two client groups above, not the whole VPC CIDR.
    for (const [id, service] of Object.entries(services)) {
      new ec2.InterfaceVpcEndpoint(this, `${id}Endpoint`, { vpc: warehouse.vpc, service, subnets: warehouse.subnets, securityGroups: [endpointSg], privateDnsEnabled: true, open: false });
    }

    const fn = <H extends BatchHandlerName>(id: string, handler: H, description: string, cfg: BatchConfigInput<H>, extra: Partial<BatchFunctionProps<H>> = {}) =>
      new BatchFunction<H>(this, id, { handler, description, config: cfg, key: this.key, logRetention, logRemovalPolicy: removalPolicy, ...extra });
    // Zone buckets by their physical names (same account and region): no cross-stack exports, and policies read
    // as the bucket names.
    const zones = {
      raw: s3.Bucket.fromBucketName(this, 'RawZone', Fn.sub(`${name}-raw-\${AWS::AccountId}-\${AWS::Region}`)),
      staging: s3.Bucket.fromBucketName(this, 'StagingZone', Fn.sub(`${name}-staging-\${AWS::AccountId}-\${AWS::Region}`)),
      quarantine: s3.Bucket.fromBucketName(this, 'QuarantineZone', Fn.sub(`${name}-quarantine-\${AWS::AccountId}-\${AWS::Region}`)),
    };
    const buckets = { raw: zones.raw.bucketName, staging: zones.staging.bucketName, quarantine: zones.quarantine.bucketName };
    const control = fn('Control', 'control', 'Batch control: plan the window, leases, publish metrics', {
      lockTable: this.lockTable.tableName,
      lockTtlSeconds: LEASE_TTL_SECONDS,
    });
    const oltp = oltpExtractSettings(config.oltp);
    const extract = fn(
      'Extract',
      'extract',
      'Batch extract: one OLTP table and window to the raw zone',
      { buckets, oltpSecretArn: this.oltpSecret.secretArn, oltp: oltp.runtime, overlapMinutes: config.schedule.extractOverlapMinutes },
      {
        timeout: Duration.minutes(15),
        memorySize: 1024,
        vpc: warehouse.vpc,
        vpcSubnets: warehouse.extractSubnets,
        securityGroups: [extractSg],
        environment: oltp.environment,
        bundledFiles: oltp.bundledFiles,
      },
    );
    const quality = fn(
      'Quality',
      'quality',
      'Batch quality gate: one table and window, raw to staging / quarantine + report',
      { buckets, currencies: [...config.streaming.currencies], thresholds: config.quality },
      { timeout: Duration.minutes(15), memorySize: 2048 },
    );
    const load = fn(
      'Load',
      'load',
      'Batch loader: warehouse load SQL per table via the Redshift Data API, bounded poll',
      {
        buckets,
        workgroupName: warehouse.workgroupName,
        database: warehouse.databaseName,
        copyRoleArn: warehouse.copyRoleArn,
        pollIntervalMs: 5_000,
        maxPolls: 150,
      },
      {
        timeout: Duration.minutes(15),
        unscopedReasons: ['redshift-data:DescribeStatement/CancelStatement on statements this role submitted (condition redshift-data:statement-owner-iam-userid)'],
      },
    );
    this.functions = { control, extract, quality, load };
    // Database roles for IAM identities (granted by the warehouse setup through this principal tag).
    Tags.of(load.role).add('RedshiftDbRoles', warehouse.loaderDbRole);

    // Data permissions, written out per function and limited to the prefixes each one owns.
    control.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'Leases', actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'], resources: [this.lockTable.tableArn] }),
    );
    control.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'LeaseTableKey',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [this.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${this.region}.amazonaws.com` } },
      }),
    );
    // Extract: writes parts + manifest, lists and deletes parts its manifest does not name. Quality: reads the
    // extract, writes staging / quarantine parts (listing and deleting stale ones), its manifest and its report.
    this.lakeAccess(extract, zones, lake.key, [{ zone: 'raw', prefixes: ['oltp/'], actions: ['put', 'delete'] }]);
    extract.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'OltpSecret', actions: ['secretsmanager:GetSecretValue'], resources: [this.oltpSecret.secretArn] }));
    extract.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'OltpSecretKey',
        actions: ['kms:Decrypt'],
        resources: [this.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.amazonaws.com` } },
      }),
    );
    this.lakeAccess(quality, zones, lake.key, [
      { zone: 'raw', prefixes: ['oltp/'], actions: ['get'] },
      { zone: 'staging', prefixes: ['oltp/'], actions: ['put', 'delete'] },
      { zone: 'staging', prefixes: ['quality/'], actions: ['put'] },
      { zone: 'quarantine', prefixes: ['oltp/'], actions: ['put', 'delete'] },
    ]);
    this.lakeAccess(load, zones, lake.key, [{ zone: 'staging', prefixes: ['manifests/'], actions: ['get'] }]);
    const loadStatements = { operations: ['transaction', 'cancel'], iamAuth: true, sids: { submit: 'SubmitLoads', follow: 'OwnStatements' } } as const;
    for (const s of dataApiPolicyStatements({ workgroupArn: warehouse.workgroupArn, ...loadStatements })) load.role.addToPrincipalPolicy(s);

    this.glue = new GlueEtlJobs(this, 'Glue', {
      namePrefix: name,
      staging: zones.staging,
      lakeKey: lake.key,
      logsKey: props.logsKey,
      logRetention,
      removalPolicy,
    });
    this.catalog = new GlueCatalog(this, 'Catalog', { databaseName: `${config.prefix}_${config.name}_lake`.replace(/-/g, '_'), staging: zones.staging });

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

    this.workflow = new BatchWorkflow(this, 'Workflow', {
      name,
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
        securityGroups: [dbtSg],
      },
      onCall: props.alerting.critical,
      runbookUrl: `${config.runbookBaseUrl}docs/runbooks/batch-execution-failed.md`,
      logsKey: props.logsKey,
      logRetention,
      timeout,
      removalPolicy,
    });
    props.alerting.key.grant(this.workflow.stateMachine, 'kms:GenerateDataKey', 'kms:Decrypt');
    const smRole = this.workflow.stateMachine.role;
    Validations.of(smRole).acknowledge(
      ...Object.values(this.functions).map((f) => ({
        id: `AwsSolutions-IAM5[Resource::${nagText(this, f.function.functionArn)}:*]`,
        reason: 'Invoking the batch Lambda at any of its versions/aliases (Step Functions LambdaInvoke grants the qualified ARN).',
      })),
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray tracing and CloudWatch Logs delivery (logs:*LogDelivery, logs:DescribeResourcePolicies) support no resource-level permissions.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${nagText(this, Stack.of(this).formatArn({ service: 'ecs', resource: 'task', resourceName: `${this.dbt.cluster.clusterName}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }))}]`,
        reason: 'ecs:DescribeTasks/StopTask for the .sync dbt task: any task of the dbt cluster (task ids are not known before the run), with an ecs:cluster condition on the same cluster.',
      },
    );

    const release = fn('Release', 'release', 'Batch lease release: frees the leases of an execution that failed, timed out or was aborted', {
      lockTable: this.lockTable.tableName,
    });
    this.leaseRelease = new LeaseRelease(this, 'LeaseRelease', { stateMachine: this.workflow.stateMachine, function: release, lockTable: this.lockTable, key: this.key });

    const dlq = (this.scheduleDeadLetters = new sqs.Queue(this, 'ScheduleDeadLetters', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    }));
    Validations.of(dlq).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is itself the dead-letter queue of the batch schedule.' });
    // The schedule's role, written out so it can be granted the queue key: sending to an SSE-KMS queue needs
    // kms:GenerateDataKey (CDK grants only kms:Decrypt on the schedule key and sqs:SendMessage).
    const scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account, 'aws:SourceArn': `arn:${this.partition}:scheduler:${this.region}:${this.account}:schedule-group/default` },
        },
      }),
      description: 'Starts the hourly batch; sends undeliverable starts to the dead-letter queue',
    });
    scheduleRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DeadLetterQueueKey',
        actions: ['kms:GenerateDataKey'],
        resources: [this.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${this.region}.amazonaws.com` } },
      }),
    );
    this.schedule = new scheduler.Schedule(this, 'Hourly', {
      scheduleName: `${name}-hourly-batch`,
      description: 'Starts the hourly batch with the scheduled time; the execution derives its window from it',
      schedule: scheduler.ScheduleExpression.expression(config.schedule.expression),
      enabled: config.schedule.enabled,
      key: this.key,
      target: new targets.StepFunctionsStartExecution(this.workflow.stateMachine, {
        input: scheduler.ScheduleTargetInput.fromObject({ scheduledTime: scheduler.ContextAttribute.scheduledTime }),
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
        deadLetterQueue: dlq,
        role: scheduleRole,
      }),
    });

    this.monitoring = new Monitoring(this, 'Monitoring', { topics: props.alerting, runbookBaseUrl: config.runbookBaseUrl, title: 'Hourly batch' });
    this.addAlarms(config);
  }

  /**
   * Object access to some prefixes of some lake zones, with the lake key through S3 only: `get` (with ListBucket on
   * the prefixes, so a missing key is NoSuchKey — "not written yet" — rather than AccessDenied), `put`, `delete`.
   */
  private lakeAccess(
    fn: BatchFunction,
    zones: Record<'raw' | 'staging' | 'quarantine', s3.IBucket>,
    lakeKey: kms.IKey,
    grants: readonly { zone: 'raw' | 'staging' | 'quarantine'; prefixes: readonly string[]; actions: readonly ('get' | 'put' | 'delete')[] }[],
  ): void {
    const reason = 'Object access is limited to the batch-owned prefix of the zone; keys below it are table / dt / hr partitions and part files.';
    const s3Actions = { get: 's3:GetObject', put: 's3:PutObject', delete: 's3:DeleteObject' } as const;
    for (const g of grants) {
      const bucket = zones[g.zone];
      const objects = g.prefixes.map((p) => bucket.arnForObjects(`${p}*`));
      fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: g.actions.map((a) => s3Actions[a]), resources: objects }));
      // Reading a prefix, or finding the stale parts to delete in it, lists it.
      if (g.actions.includes('get') || g.actions.includes('delete')) {
        fn.role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: ['s3:ListBucket'],
            resources: [bucket.bucketArn],
            conditions: { StringLike: { 's3:prefix': g.prefixes.map((p) => `${p}*`) } },
          }),
        );
      }
      Validations.of(fn.role).acknowledge(...objects.map((o) => ({ id: `AwsSolutions-IAM5[Resource::${nagText(this, o)}]`, reason })));
    }
    const all = grants.flatMap((g) => g.actions);
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [...(all.includes('put') ? ['kms:GenerateDataKey'] : []), ...(all.includes('get') ? ['kms:Decrypt'] : [])],
        resources: [lakeKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${this.region}.amazonaws.com` } },
      }),
    );
  }

  private addAlarms(config: EnvironmentConfig): void {
    const sm = this.workflow.stateMachine;
    const fiveMin = { period: Duration.minutes(5), statistic: 'Sum' };
    const once = {
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    };
    this.monitoring.addAlarm('ExecutionsFailed', {
      runbook: 'batch-execution-failed',
      summary: 'An hourly batch execution failed: its window is not loaded and gold is not refreshed.',
      metric: sm.metricFailed(fiveMin),
      ...once,
    });
    this.monitoring.addAlarm('ExecutionsTimedOut', {
      runbook: 'batch-execution-timed-out',
      summary: 'An hourly batch execution hit its timeout: its window is not loaded (its leases are released by the lease-release rule).',
      metric: sm.metricTimedOut(fiveMin),
      ...once,
    });
    this.monitoring.addAlarm('ExecutionsAborted', {
      runbook: 'batch-execution-aborted',
      summary: 'An hourly batch execution was aborted (by a person or an API call) before it finished.',
      severity: 'warning',
      metric: sm.metricAborted(fiveMin),
      ...once,
    });
    this.monitoring.addAlarm('LeaseReleaseFailed', {
      runbook: 'batch-lease-release-failed',
      summary: 'The leases of a failed / timed-out / aborted batch execution could not be released: later runs wait until they expire.',
      metric: this.leaseRelease.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      ...once,
    });
    const name = `${config.prefix}-${config.name}`;
    for (const [id, job, jobName] of [
      ['GlueConformFailed', this.glue.conform, `${name}-conform`],
      ['GlueCustomerFeaturesFailed', this.glue.customerFeatures, `${name}-customer-features`],
    ] as const) {
      this.monitoring.addAlarm(id, {
        runbook: 'batch-glue-job-failed',
        summary: `Glue job ${jobName} failed a run.`,
        metric: job.metricFailure({ period: Duration.minutes(5), statistic: 'Sum' }),
        ...once,
      });
    }
    this.monitoring.addAlarm('ScheduleDeadLetters', {
      runbook: 'batch-schedule-dead-letters',
      summary: 'The schedule could not start an hourly batch execution (after its retries): that window was not processed.',
      metric: this.scheduleDeadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const builds = new cloudwatch.Metric({
      namespace: BATCH_METRICS_NAMESPACE,
      metricName: 'GoldBuildSucceeded' satisfies BatchMetricName,
      dimensionsMap: { service: SERVICES.batchControl },
      statistic: 'Sum',
      period: Duration.minutes(config.schedule.freshnessSlaMinutes),
    });
    if (config.schedule.enabled) {
      this.monitoring.addAlarm('FreshnessSla', {
        runbook: 'batch-freshness-sla',
        summary: `No successful gold build in ${config.schedule.freshnessSlaMinutes} minutes: analysts see stale data (missing data breaches).`,
        metric: builds,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
    }
    const freshness = new cloudwatch.Metric({
      namespace: BATCH_METRICS_NAMESPACE,
      metricName: 'DataFreshnessMinutes' satisfies BatchMetricName,
      dimensionsMap: { service: SERVICES.batchControl },
      statistic: 'Maximum',
      period: Duration.hours(1),
    });
    const quality = new cloudwatch.MathExpression({
      expression: `SELECT MIN(${'QualityScore' satisfies BatchMetricName}) FROM "${BATCH_METRICS_NAMESPACE}" GROUP BY Dataset`,
      label: 'QualityScore',
      period: Duration.hours(1),
    });
    this.monitoring.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Batch executions', left: [sm.metricSucceeded(fiveMin), sm.metricFailed(fiveMin), sm.metricTimedOut(fiveMin)], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'Gold freshness (minutes after window end)', left: [freshness], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'Quality score by dataset', left: [quality], width: 8 }),
    );
  }
}
