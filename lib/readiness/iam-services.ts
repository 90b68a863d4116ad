/**
 * Components whose calls come from their definitions rather than from our SDK code: the orchestration
 * (iam-orchestration.ts), the Glue jobs (the S3 paths their scripts read and write), the dbt task, Firehose,
 * VPC flow logs and Redshift's COPY role.
 */
import { calls, keyCalls, logStreamArn, prop, roleOf, single, via, type Component } from './iam-component';
import { glueJobs } from './iam-glue';
import { ORCHESTRATION_COMPONENTS } from './iam-orchestration';

export { GLUE_JOB_PATHS } from './iam-glue';
import { DBT_RUN_RESULTS_KEY_TEMPLATE } from '../../lambda/contracts/lake-keys';

/** The staging prefixes each Glue script reads and writes (glue-scripts/jobs/*.py), by job name suffix. */
const dbtTask: Component = {
  name: 'dbt-task',
  instances: (input) => {
    const s = input.stack;
    const found = single(s, 'AWS::ECS::TaskDefinition', 'DbtTask');
    if (!found) return [];
    const [, td] = found;
    const container = (
      s.resolve(prop(td, 'ContainerDefinitions')) as {
        Environment: { Name: string; Value: string }[];
        Secrets?: { Name: string; ValueFrom: string }[];
        Image: string;
        LogConfiguration: { Options: Record<string, string> };
      }[]
    )[0];
    const env = Object.fromEntries(container.Environment.map((e) => [e.Name, e.Value]));
    const workgroup = input.index.arnByName('AWS::RedshiftServerless::Workgroup', env.DATAFLOW_REDSHIFT_WORKGROUP);
    const [registry, repoAndTag] = [container.Image.split('/')[0], container.Image.split('/').slice(1).join('/')];
    const repo = `arn:aws:ecr:${s.region}:${registry.split('.')[0]}:repository/${repoAndTag.split(':')[0]}`;
    return [
      {
        role: roleOf(input, prop(td, 'TaskRoleArn')),
        calls: [
          ...calls('dbt profiles.yml (method: iam, serverless)', ['redshift-serverless:GetCredentials'], workgroup),
          // dbt/scripts/batch_build.py uploads run_results.json after every build (key set per window by the workflow).
          ...(env.DATAFLOW_RUN_RESULTS_BUCKET
            ? [
                ...calls(
                  'dbt run_results.json upload',
                  ['s3:PutObject'],
                  `arn:aws:s3:::${env.DATAFLOW_RUN_RESULTS_BUCKET}/${DBT_RUN_RESULTS_KEY_TEMPLATE.replace('{}', '20260601t1000')}`,
                ),
                ...keyCalls(input, 'dbt run_results.json upload', `arn:aws:s3:::${env.DATAFLOW_RUN_RESULTS_BUCKET}`, 's3', [
                  'kms:GenerateDataKey',
                ]),
              ]
            : []),
          // ... and the build's OpenLineage events (dbt/scripts/batch_build.py: lineage/openlineage/dt=/hr=/dbt.<run>.ndjson).
          ...(env.DATAFLOW_LINEAGE_BUCKET
            ? [
                ...calls(
                  'dbt lineage upload',
                  ['s3:PutObject'],
                  `arn:aws:s3:::${env.DATAFLOW_LINEAGE_BUCKET}/lineage/openlineage/dt=2026-06-01/hr=11/dbt.0f1c6a0e.ndjson`,
                ),
                ...keyCalls(input, 'dbt lineage upload', `arn:aws:s3:::${env.DATAFLOW_LINEAGE_BUCKET}`, 's3', ['kms:GenerateDataKey']),
              ]
            : []),
        ],
      },
      {
        role: roleOf(input, prop(td, 'ExecutionRoleArn')),
        calls: [
          ...calls('ecs image pull', ['ecr:GetAuthorizationToken'], '*'),
          ...calls('ecs image pull', ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'], repo),
          ...calls(
            'ecs awslogs',
            ['logs:CreateLogStream', 'logs:PutLogEvents'],
            logStreamArn(s, container.LogConfiguration.Options['awslogs-group']),
          ),
          // Task secrets (the lineage API key), read by ECS at start; a name-based reference stands for the full ARN.
          ...(container.Secrets ?? []).flatMap((secret) =>
            calls(
              `ecs secret ${secret.Name}`,
              ['secretsmanager:GetSecretValue'],
              /-[A-Za-z0-9]{6}$/.test(secret.ValueFrom) ? secret.ValueFrom : `${secret.ValueFrom}-AbCdEf`,
            ),
          ),
        ],
      },
    ];
  },
};

const firehose: Component = {
  name: 'firehose',
  instances: (input) =>
    input.stack.resources('AWS::KinesisFirehose::DeliveryStream').map(([id, ds]) => {
      const s = input.stack;
      const dest = s.resolve(prop(ds, 'ExtendedS3DestinationConfiguration')) as Record<string, unknown> & {
        CloudWatchLoggingOptions?: Record<string, string>;
      };
      const stream = s.str(prop(ds, 'KinesisStreamSourceConfiguration.KinesisStreamARN'));
      const bucket = String(dest.BucketARN);
      const src = `firehose ${id}`;
      const out = calls(src, ['kinesis:DescribeStream', 'kinesis:GetShardIterator', 'kinesis:GetRecords', 'kinesis:ListShards'], stream);
      out.push(...(input.index.keyOf(stream) ? calls(src, ['kms:Decrypt'], input.index.keyOf(stream)!) : []));
      out.push(...calls(src, ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], bucket));
      for (const prefix of [dest.Prefix, dest.ErrorOutputPrefix].filter(Boolean).map((p) => String(p).replace(/!\{[^}]+\}/g, 'x'))) {
        out.push(...calls(src, ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'], `${bucket}/${prefix}object.gz`));
      }
      const key = (dest.EncryptionConfiguration as { KMSEncryptionConfig?: { AWSKMSKeyARN: string } } | undefined)?.KMSEncryptionConfig
        ?.AWSKMSKeyARN;
      if (key) out.push(...calls(src, ['kms:GenerateDataKey', 'kms:Decrypt'], key, via('s3', s)));
      if (dest.CloudWatchLoggingOptions?.LogStreamName) {
        out.push(
          ...calls(
            src,
            ['logs:PutLogEvents'],
            logStreamArn(s, dest.CloudWatchLoggingOptions.LogGroupName, dest.CloudWatchLoggingOptions.LogStreamName),
          ),
        );
      }
      return { role: roleOf(input, dest.RoleARN), calls: out };
    }),
};

const flowLogs: Component = {
  name: 'vpc-flow-logs',
  instances: (input) =>
    input.stack.resources('AWS::EC2::FlowLog').map(([, fl]) => {
      const group = input.stack.str(prop(fl, 'LogGroupName'));
      return {
        role: roleOf(input, prop(fl, 'DeliverLogsPermissionArn')),
        calls: calls(
          'vpc flow log delivery',
          ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          logStreamArn(input.stack, group),
        ),
      };
    }),
};

const copyRole: Component = {
  name: 'redshift-copy',
  instances: (input) => {
    const s = input.stack;
    const found = single(s, 'AWS::IAM::Role', 'RedshiftCopyRole');
    if (!found) return [];
    const [roleId] = found;
    const staging = input.deployment.stacks
      .filter((x) => x.environment === s.environment)
      .flatMap((x) =>
        x
          .resources('AWS::S3::Bucket')
          .filter(([id]) => id.startsWith('LakeStaging'))
          .map(([id]) => x.str({ 'Fn::GetAtt': [id, 'Arn'] })),
      )[0];
    const src = 'load SQL COPY ... MANIFEST';
    return [
      {
        role: roleOf(input, { 'Fn::GetAtt': [roleId, 'Arn'] }),
        calls: [
          ...calls(src, ['s3:GetObject'], `${staging}/manifests/orders/dt=x/hr=x/manifest.json`),
          ...calls(src, ['s3:GetObject'], `${staging}/conformed/orders/dt=x/hr=x/part-0.parquet`),
          ...calls(src, ['s3:GetBucketLocation', 's3:ListBucket'], staging),
          ...keyCalls(input, src, staging, 's3', ['kms:Decrypt']),
        ],
      },
    ];
  },
};

/** CDK's custom resource Provider framework: its onEvent function invokes the user's function (aws-cdk-lib code). */
const providerFramework: Component = {
  name: 'custom-resource-provider',
  instances: (input) =>
    input.stack.resources('AWS::Lambda::Function').flatMap(([id, fn]) => {
      const target = (input.stack.resolve(prop(fn, 'Environment.Variables')) as Record<string, string> | undefined)
        ?.USER_ON_EVENT_FUNCTION_ARN;
      if (!target) return [];
      const src = 'cdk provider framework onEvent';
      return [
        {
          role: roleOf(input, prop(fn, 'Role')),
          calls: [
            ...calls(src, ['lambda:InvokeFunction'], target),
            ...calls(`${src} (waits for the function to be active)`, ['lambda:GetFunction'], target),
            ...calls(
              'runtime logs',
              ['logs:CreateLogStream', 'logs:PutLogEvents'],
              logStreamArn(input.stack, input.stack.str(prop(fn, 'LoggingConfig.LogGroup') ?? `/aws/lambda/${id}`)),
            ),
          ],
        },
      ];
    }),
};

export const SERVICE_COMPONENTS: readonly Component[] = [
  ...ORCHESTRATION_COMPONENTS,
  glueJobs,
  dbtTask,
  firehose,
  flowLogs,
  copyRole,
  providerFramework,
];
