import * as path from 'node:path';
import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IgnoreMode } from 'aws-cdk-lib';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import { Construct } from 'constructs';
import { nagText } from '../nag-text';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** The uid batch-dbt.Dockerfile creates and switches to. */
const DBT_USER = '10001';

export interface BatchDbtTaskProps {
  readonly vpc: ec2.IVpc;
  /** dbt target (`dev` / `staging` / `prod`), a profile output in dbt/profiles.yml. */
  readonly target: string;
  readonly workgroupName: string;
  readonly workgroupArn: string;
  /** Redshift Serverless workgroup endpoint address. */
  readonly warehouseHost: string;
  readonly databaseName: string;
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /** @default 1024 */
  readonly cpu?: number;
  /** @default 2048 */
  readonly memoryLimitMiB?: number;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Where the task uploads dbt's run_results.json after each build: a bucket and its key (SSE-KMS); the role may
   * put objects under `dbt-runs/` only.
   * @default - not uploaded
   */
  readonly runResults?: { readonly bucket: s3.IBucket; readonly key: kms.IKey };
}

/**
 * dbt on ECS Fargate: a cluster with Container Insights, an arm64 task definition whose image is built from
 * `dbt/` at deploy time (no Docker needed to synth), KMS-encrypted logs, and a task role that may only obtain
 * temporary Redshift Serverless credentials for the warehouse workgroup (dbt's `method: iam`).
 */
export class BatchDbtTask extends Construct {
  public readonly cluster: ecs.Cluster;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly container: ecs.ContainerDefinition;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: BatchDbtTaskProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc: props.vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      encryptionKey: props.logsKey,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: props.cpu ?? 1024,
      memoryLimitMiB: props.memoryLimitMiB ?? 2048,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    this.taskDefinition.taskRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WarehouseCredentials',
        actions: ['redshift-serverless:GetCredentials', 'redshift-serverless:GetWorkgroup'],
        resources: [props.workgroupArn],
      }),
    );
    this.container = this.taskDefinition.addContainer('dbt', {
      image: ecs.ContainerImage.fromAsset(REPO_ROOT, {
        file: 'lib/constructs/batch-dbt.Dockerfile',
        ignoreMode: IgnoreMode.DOCKER,
        // The task runs on Graviton: build the image for it, whatever CPU the deploying machine has.
        platform: Platform.LINUX_ARM64,
        exclude: ['*', '!dbt', '!requirements.txt', '!lib/constructs/batch-dbt.Dockerfile', 'dbt/target', 'dbt/logs', 'dbt/dbt_packages'],
      }),
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'dbt', logGroup: this.logGroup }),
      readonlyRootFilesystem: false,
      // The image's own non-root user (USER in batch-dbt.Dockerfile) and a hard memory limit equal to the task's.
      user: DBT_USER,
      memoryLimitMiB: props.memoryLimitMiB ?? 2048,
      environment: {
        DBT_TARGET: props.target,
        DATAFLOW_REDSHIFT_HOST: props.warehouseHost,
        DATAFLOW_REDSHIFT_WORKGROUP: props.workgroupName,
        DATAFLOW_REDSHIFT_DATABASE: props.databaseName,
        DATAFLOW_AWS_ACCOUNT_ID: stack.account,
        AWS_REGION: stack.region,
        ...(props.runResults ? { DATAFLOW_RUN_RESULTS_BUCKET: props.runResults.bucket.bucketName } : {}),
      },
    });
    if (props.runResults) this.allowRunResults(props.runResults.bucket, props.runResults.key);
    Validations.of(this.taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason:
        'The environment holds only non-secret settings (dbt target, workgroup, host, database, region); credentials are IAM temporary credentials.',
    });
    Validations.of(this.taskDefinition.obtainExecutionRole()).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken (image pull) supports no resource-level permissions.',
    });
  }

  /** PutObject of run_results.json under `dbt-runs/` (window keys below it), with the bucket key through S3. */
  private allowRunResults(bucket: s3.IBucket, key: kms.IKey): void {
    const objects = bucket.arnForObjects('dbt-runs/*');
    const role = this.taskDefinition.taskRole;
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'RunResults', actions: ['s3:PutObject'], resources: [objects] }));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RunResultsKey',
        actions: ['kms:GenerateDataKey'],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagText(this, objects)}]`,
      reason: 'PutObject only under dbt-runs/ of the staging zone: one run_results.json per window key (window=<id>/) below it.',
    });
  }
}
