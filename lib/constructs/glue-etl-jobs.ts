import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { GLUE_MAX_CONCURRENT_RUNS } from '../config/batch-limits';
import { nagText } from '../nag-text';
import { streamSpecsArgument, tableSpecsArgument } from '../../lambda/contracts/glue-args';
import { OLTP_TABLES } from '../../lambda/contracts/table-specs';
import { STREAM_LATE_HOURS } from '../../lambda/contracts/stage-manifest';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const GLUE_SCRIPTS_DIR = path.join(REPO_ROOT, 'glue-scripts');

export interface GlueEtlJobsProps {
  /** Prefix of the job names: `<namePrefix>-conform`, `<namePrefix>-customer-features`. */
  readonly namePrefix: string;
  /** The lake's staging zone: landing data in, conformed Parquet / manifests / analytics out. */
  readonly staging: s3.IBucket;
  /** The lake key (SSE-KMS of the staging zone and of everything Glue writes). */
  readonly lakeKey: kms.IKey;
  /** Encrypts the jobs' CloudWatch logs. */
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /** @default 2 */
  readonly numberOfWorkers?: number;
  /** @default Duration.minutes(45) */
  readonly timeout?: Duration;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The batch's Glue 5.0 PySpark jobs (Spark 3.5, Python 3.11) from `glue-scripts/`: `conform` and
 * `customer_features`. The `dataflow_glue` package ships as an extra Python zip; the table specs are passed as
 * arguments built from the shared contracts; customer_rules.yml ships beside the features job. One role with
 * read/write on the staging zone only, a security configuration encrypting S3 output, logs and bookmarks with CMKs.
 */
export class GlueEtlJobs extends Construct {
  public readonly role: iam.Role;
  public readonly conform: glue.PySparkEtlJob;
  public readonly customerFeatures: glue.PySparkEtlJob;
  public readonly securityConfiguration: glue.SecurityConfiguration;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: GlueEtlJobsProps) {
    super(scope, id);
    const { partition, region, account } = Stack.of(this);
    const glueLogs = `arn:${partition}:logs:${region}:${account}:log-group:/aws-glue/*`;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws-glue/jobs/${props.namePrefix}`,
      retention: props.logRetention,
      encryptionKey: props.logsKey,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'),
      description: 'DataFlow batch Glue jobs: read/write the staging zone, write their own logs',
    });
    // Reads: landing data, conformed partitions, and the manifests that say which of them are committed.
    const read = ['oltp/', 'stream/', 'conformed/', 'manifests/'].map((p) => props.staging.arnForObjects(`${p}*`));
    const write = ['conformed/', 'manifests/', 'analytics/'].map((p) => props.staging.arnForObjects(`${p}*`));
    this.role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadStaging', actions: ['s3:GetObject'], resources: read }));
    this.role.addToPolicy(new iam.PolicyStatement({ sid: 'WriteStaging', actions: ['s3:PutObject', 's3:DeleteObject'], resources: write }));
    this.role.addToPolicy(
      new iam.PolicyStatement({ sid: 'ListStaging', actions: ['s3:ListBucket'], resources: [props.staging.bucketArn] }),
    );
    this.role.addToPolicy(
      // SSE-KMS reads and writes; job bookmarks (client-side encrypted with this key) are disabled on every job.
      new iam.PolicyStatement({ sid: 'LakeKey', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [props.lakeKey.keyArn] }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'LogsKey',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:Encrypt'],
        resources: [props.logsKey.keyArn],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'JobLogs',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:AssociateKmsKey'],
        resources: [glueLogs],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'JobMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': 'Glue' } },
      }),
    );
    this.securityConfiguration = new glue.SecurityConfiguration(this, 'Security', {
      s3Encryption: glue.S3Encryption.kms(props.lakeKey),
      cloudWatchEncryption: glue.CloudWatchEncryption.kms(props.logsKey),
      jobBookmarksEncryption: glue.JobBookmarksEncryption.clientSideKms(props.lakeKey),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });

    // The dataflow_glue package as a zip (a directory asset is zipped, with the package folder at its root).
    const pkgAsset = new s3assets.Asset(this, 'Package', {
      path: GLUE_SCRIPTS_DIR,
      exclude: ['*', '!dataflow_glue', '!dataflow_glue/*.py'],
    });
    pkgAsset.grantRead(this.role);
    const pkg = glue.Code.fromBucket(pkgAsset.bucket, pkgAsset.s3ObjectKey);
    const root = `s3://${props.staging.bucketName}`;
    const common = {
      role: this.role,
      glueVersion: glue.GlueVersion.V5_0,
      workerConfiguration: { workerType: glue.WorkerType.G_1X, numberOfWorkers: props.numberOfWorkers ?? 2 },
      timeout: props.timeout ?? Duration.minutes(45),
      // Step Functions owns retries (transient errors only, with backoff and jitter).
      maxRetries: 0,
      // A backfill never starts more executions than this (MAX_BACKFILL_CONCURRENCY); a rerun beside it waits.
      maxConcurrentRuns: GLUE_MAX_CONCURRENT_RUNS,
      securityConfiguration: this.securityConfiguration,
      extraPythonFiles: [pkg],
      enableMetrics: true,
      continuousLogging: { enabled: true, logGroup: this.logGroup, quiet: true },
    };
    this.conform = new glue.PySparkEtlJob(this, 'Conform', {
      ...common,
      jobName: `${props.namePrefix}-conform`,
      description: 'Staging landing data of one window -> typed, de-duplicated Parquet + COPY manifests',
      script: glue.Code.fromAsset(path.join(GLUE_SCRIPTS_DIR, 'jobs', 'conform.py')),
      defaultArguments: {
        '--job-bookmark-option': 'job-bookmark-disable',
        '--staging_root': root,
        '--tables': OLTP_TABLES.join(','),
        '--table_specs': tableSpecsArgument(),
        '--stream_specs': streamSpecsArgument(),
        '--stream_late_hours': String(STREAM_LATE_HOURS),
      },
    });
    // The one RFM / tier definition, read by dbt and by this job.
    const rules = new s3assets.Asset(this, 'CustomerRules', { path: path.join(REPO_ROOT, 'dbt', 'customer_rules.yml') });
    rules.grantRead(this.role);
    const prefixReason =
      'Limited to the staging prefixes the jobs own (landing in; conformed, manifests, analytics out); keys below are table / dt / hr partitions.';
    Validations.of(this.role).acknowledge(
      ...[...new Set([...read, ...write].map((r) => nagText(this, r)))].map((r) => ({
        id: `AwsSolutions-IAM5[Resource::${r}]`,
        reason: prefixReason,
      })),
      {
        id: `AwsSolutions-IAM5[Resource::${nagText(this, pkgAsset.bucket.arnForObjects('*'))}]`,
        reason: 'Read-only access to the CDK asset bucket holding the job scripts, the dataflow_glue package and customer_rules.yml.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${nagText(this, glueLogs)}]`,
        reason: 'Glue writes its driver/executor and continuous logs to log groups it names under /aws-glue/.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'cloudwatch:PutMetricData has no resource-level permissions; it is limited to the Glue namespace by condition.',
      },
      {
        id: 'AwsSolutions-IAM5[Action::s3:GetObject*]',
        reason: 'Added by the asset read grant (scripts/package/rules in the CDK asset bucket only).',
      },
      {
        id: 'AwsSolutions-IAM5[Action::s3:GetBucket*]',
        reason: 'Added by the asset read grant (scripts/package/rules in the CDK asset bucket only).',
      },
      {
        id: 'AwsSolutions-IAM5[Action::s3:List*]',
        reason: 'Added by the asset read grant (scripts/package/rules in the CDK asset bucket only).',
      },
    );
    this.customerFeatures = new glue.PySparkEtlJob(this, 'CustomerFeatures', {
      ...common,
      jobName: `${props.namePrefix}-customer-features`,
      description: 'Conformed OLTP history -> RFM / customer features under analytics/ (rules: dbt/customer_rules.yml)',
      script: glue.Code.fromAsset(path.join(GLUE_SCRIPTS_DIR, 'jobs', 'customer_features.py')),
      defaultArguments: {
        '--job-bookmark-option': 'job-bookmark-disable',
        '--staging_root': root,
        '--table_specs': tableSpecsArgument(),
        '--rules_path': rules.s3ObjectUrl,
      },
    });
  }
}
