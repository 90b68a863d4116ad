import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import type { IAlarmTopics } from '../constructs/alerting';
import { deployedLakeBucketName, type DataLake } from '../constructs/data-lake';
import { Monitoring } from '../constructs/monitoring';
import { WarehouseNetwork } from '../constructs/warehouse-network';
import { OltpPath } from '../constructs/oltp-path';
import { RedshiftUsageLimit } from '../constructs/redshift-usage-limit';
import { RedshiftWarehouse } from '../constructs/redshift-warehouse';
import { WarehouseSetup } from '../constructs/warehouse-setup';
import { WarehouseSnapshots } from '../constructs/warehouse-snapshots';
import { resolveEnvironment } from '../environment';

/** The warehouse as its clients (the hourly loader, dbt) see it. */
export interface WarehouseTarget {
  readonly vpc: ec2.IVpc;
  /** The workgroup's isolated subnets. */
  readonly subnets: ec2.SubnetSelection;
  /** Where the batch extract runs: subnets with the configured route to the OLTP database. */
  readonly extractSubnets: ec2.SubnetSelection;
  readonly workgroupName: string;
  readonly workgroupArn: string;
  /** Workgroup endpoint host (port 5439). */
  readonly endpointAddress: string;
  readonly databaseName: string;
  /** The namespace's default IAM role: COPY may say `IAM_ROLE default`. */
  readonly copyRoleArn: string;
  /** The workgroup's security group (no ingress by default): allow clients on 5439. */
  readonly securityGroup: ec2.ISecurityGroup;
  /** Database role for the loader's IAM role; grant it with the principal tag `RedshiftDbRoles`. */
  readonly loaderDbRole: string;
  /** Database role for dbt's IAM role; grant it with the principal tag `RedshiftDbRoles`. */
  readonly transformerDbRole: string;
}

export interface WarehouseStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  /** The lake: COPY reads its staging zone and decrypts with its key. */
  readonly lake: DataLake;
  /** Topics the warehouse alarms notify. */
  readonly alerting: IAlarmTopics;
  /** Key of every log group this stack creates. */
  readonly logsKey: kms.IKey;
}

/**
 * The environment's warehouse: a private VPC, Redshift Serverless (namespace + workgroup) with a monthly usage
 * limit, the deploy-time database setup (schemas, bronze tables, analysts role), and the alarms on-call needs.
 */
export class WarehouseStack extends Stack {
  public readonly network: WarehouseNetwork;
  /** The network path from the batch extract to the OLTP database (`oltp.network`). */
  public readonly oltpPath: OltpPath;
  public readonly warehouse: RedshiftWarehouse;
  public readonly usageLimit: RedshiftUsageLimit;
  public readonly setup: WarehouseSetup;
  public readonly snapshots: WarehouseSnapshots;
  public readonly monitoring: Monitoring;
  /** What the hourly batch needs to load into and transform in the warehouse (see docs/warehouse.md). */
  public readonly target: WarehouseTarget;

  constructor(scope: Construct, id: string, props: WarehouseStackProps) {
    super(scope, id, props);
    const { config } = props;
    const w = config.warehouse;
    const { prefix: name, removalPolicy, logRetention } = resolveEnvironment(config);

    this.network = new WarehouseNetwork(this, 'Network', {
      cidr: w.vpcCidr,
      // Serverless needs three AZs; named (config or region a/b/c) so environment-agnostic synths get three too.
      availabilityZones: w.availabilityZones ?? ['a', 'b', 'c'].map((suffix) => `${config.region}${suffix}`),
      logRetention: logRetention,
      logsKey: props.logsKey,
      removalPolicy,
      natGateways: config.oltp.network.mode === 'nat' ? config.oltp.network.natGateways : 0,
    });
    this.oltpPath = new OltpPath(this, 'OltpPath', {
      vpc: this.network.vpc,
      isolatedSubnets: this.network.subnets,
      natSubnets: this.network.natSubnets,
      network: config.oltp.network,
      name,
    });

    this.warehouse = new RedshiftWarehouse(this, 'Redshift', {
      name,
      databaseName: w.databaseName,
      baseCapacityRpu: w.baseCapacityRpu,
      maxCapacityRpu: w.maxCapacityRpu,
      vpc: this.network.vpc,
      subnets: { subnets: this.network.subnets.subnets },
      // By name (same account and region): no cross-stack export, and the COPY policy reads as the bucket name.
      stagingBucket: s3.Bucket.fromBucketName(this, 'StagingBucket', deployedLakeBucketName(name, 'staging')),
      lakeKey: props.lake.key,
      logsKey: props.logsKey,
      logRetention,
      removalPolicy,
    });

    this.usageLimit = new RedshiftUsageLimit(this, 'UsageLimit', {
      workgroupArn: this.warehouse.workgroupArn,
      monthlyRpuHours: w.monthlyUsageLimitRpuHours,
      breachAction: w.usageLimitBreachAction,
      logsKey: props.logsKey,
      logRetention,
      removalPolicy,
    });

    this.setup = new WarehouseSetup(this, 'Setup', {
      namespaceName: this.warehouse.namespaceName,
      namespaceArn: this.warehouse.namespaceArn,
      workgroupName: this.warehouse.workgroupName,
      workgroupArn: this.warehouse.workgroupArn,
      databaseName: this.warehouse.databaseName,
      key: this.warehouse.key,
      logsKey: props.logsKey,
      logRetention,
      removalPolicy,
    });
    this.setup.resource.node.addDependency(this.warehouse.workgroup);

    this.snapshots = new WarehouseSnapshots(this, 'Snapshots', {
      namespaceName: this.warehouse.namespaceName,
      namespaceArn: this.warehouse.namespaceArn,
      retentionDays: w.snapshotRetentionDays,
      key: this.warehouse.key,
    });
    this.warehouse.key.grantEncryptDecrypt(new iam.ServicePrincipal('scheduler.amazonaws.com'));
    this.snapshots.schedule.node.addDependency(this.warehouse.workgroup);

    this.target = {
      vpc: this.network.vpc,
      subnets: { subnets: this.network.subnets.subnets },
      extractSubnets: this.oltpPath.extractSubnets,
      workgroupName: this.warehouse.workgroupName,
      workgroupArn: this.warehouse.workgroupArn,
      endpointAddress: this.warehouse.endpointAddress,
      databaseName: this.warehouse.databaseName,
      copyRoleArn: this.warehouse.copyRole.roleArn,
      securityGroup: this.warehouse.securityGroup,
      loaderDbRole: this.setup.loaderRole,
      transformerDbRole: this.setup.transformerRole,
    };

    this.monitoring = new Monitoring(this, 'Monitoring', {
      topics: props.alerting,
      runbookBaseUrl: config.runbookBaseUrl,
      title: 'Warehouse',
    });
    this.addAlarms(config);
  }

  private addAlarms(config: EnvironmentConfig): void {
    const w = config.warehouse;
    const metric = (metricName: string, statistic: string, period: Duration, dimensionsMap: Record<string, string>) =>
      new cloudwatch.Metric({ namespace: 'AWS/Redshift-Serverless', metricName, statistic, period, dimensionsMap });
    const workgroup = { Workgroup: this.warehouse.workgroupName };

    // A day using more than 1.5× an even share of the monthly limit puts the month on course to hit it.
    const dailyBudgetRpuSeconds = Math.round(((w.monthlyUsageLimitRpuHours * 3600) / 30) * 1.5);
    const computeSeconds = metric('ComputeSeconds', 'Sum', Duration.days(1), workgroup);
    this.monitoring.addAlarm('ComputeBudget', {
      runbook: 'warehouse-compute-budget',
      summary: `Warehouse compute used more than 1.5× its daily share of the ${w.monthlyUsageLimitRpuHours} RPU-hour monthly limit.`,
      severity: 'warning',
      metric: computeSeconds,
      threshold: dailyBudgetRpuSeconds,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.monitoring.addAlarm('SnapshotNotTaken', {
      runbook: 'warehouse-restore',
      summary: 'The daily warehouse snapshot could not be taken (scheduler dead letter): the SCD2 history has no fresh restore point.',
      severity: 'warning',
      metric: this.snapshots.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(15), statistic: 'Maximum' }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const capacity = metric('ComputeCapacity', 'Maximum', Duration.minutes(5), workgroup);
    this.monitoring.addAlarm('AtMaxCapacity', {
      runbook: 'warehouse-at-max-capacity',
      summary: `The warehouse ran at its maximum of ${w.maxCapacityRpu} RPU for 30 minutes: loads and dbt queue, gold freshness is at risk.`,
      severity: 'warning',
      metric: capacity,
      threshold: w.maxCapacityRpu,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 6,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const failed = metric('QueriesFailed', 'Sum', Duration.minutes(15), { DatabaseName: w.databaseName, ...workgroup });
    this.monitoring.addAlarm('QueriesFailing', {
      runbook: 'warehouse-queries-failing',
      summary: 'More than 5 warehouse queries failed in 15 minutes (COPY/merge, dbt or analyst queries).',
      severity: 'critical',
      metric: failed,
      threshold: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.monitoring.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Warehouse compute (RPU-seconds / day)', left: [computeSeconds], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'Warehouse capacity (RPU, max)', left: [capacity], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'Failed queries (15 min)', left: [failed], width: 8 }),
    );
  }
}
