/**
 * The Glue jobs as IAM components: the calls each job's role makes for the S3 prefixes its script reads and writes
 * (glue-scripts/jobs/*.py), its logs and the lake key.
 */
import { calls, keyCalls, logStreamArn, prop, roleOf, s3Arn, type Component, type ComponentCall } from './iam-component';

/** The staging prefixes each Glue script reads and writes (glue-scripts/jobs/*.py), by job name suffix. */
export const GLUE_JOB_PATHS: Readonly<Record<string, { readonly reads: readonly string[]; readonly writes: readonly string[] }>> = {
  // conform reads the quality gate's manifests and parts, the stream objects and its earlier summaries.
  conform: { reads: ['oltp/', 'stream/', 'manifests/'], writes: ['conformed/', 'manifests/'] },
  // customer_features reads only committed conformed partitions: those a COPY manifest lists.
  'customer-features': { reads: ['conformed/', 'manifests/'], writes: ['analytics/'] },
};

/** The Glue jobs: the S3 paths their scripts read and write, their logs, the lake key. */
export const glueJobs: Component = {
  name: 'glue-jobs',
  instances: (input) =>
    input.stack.resources('AWS::Glue::Job').map(([id, job]) => {
      const s = input.stack;
      const name = s.str(prop(job, 'Name'));
      const paths = Object.entries(GLUE_JOB_PATHS).find(([suffix]) => name.endsWith(`-${suffix}`))?.[1];
      if (!paths) throw new Error(`${s.id}: Glue job ${name} has no entry in GLUE_JOB_PATHS`);
      const args = s.resolve(prop(job, 'DefaultArguments')) as Record<string, string>;
      const root = s3Arn(args['--staging_root']);
      const src = `glue-script ${name}`;
      const out: ComponentCall[] = [];
      for (const p of paths.reads) {
        out.push(
          ...calls(src, ['s3:ListBucket'], root, { 's3:prefix': `${p}x/` }),
          ...calls(src, ['s3:GetObject'], `${root}/${p}x/part.parquet`),
        );
        out.push(...keyCalls(input, src, root, 's3', ['kms:Decrypt']));
      }
      for (const p of paths.writes) {
        out.push(
          ...calls(src, ['s3:ListBucket'], root, { 's3:prefix': `${p}x/` }),
          ...calls(src, ['s3:PutObject', 's3:DeleteObject'], `${root}/${p}x/part.parquet`),
        );
        out.push(...keyCalls(input, src, root, 's3', ['kms:GenerateDataKey']));
      }
      const files = [
        s.str(prop(job, 'Command.ScriptLocation')),
        ...Object.values(args)
          .flatMap((v) => v.split(','))
          .filter((v) => v.startsWith('s3://') && /\.\w+$/.test(v)),
      ];
      for (const f of files) out.push(...calls(`glue job ${id} code`, ['s3:GetObject'], s3Arn(f)));
      if (args['--continuous-log-logGroup'])
        out.push(
          ...calls(
            'glue continuous logs',
            ['logs:CreateLogStream', 'logs:PutLogEvents'],
            logStreamArn(s, args['--continuous-log-logGroup']),
          ),
        );
      if (args['--enable-metrics'] !== undefined)
        out.push(...calls('glue job metrics', ['cloudwatch:PutMetricData'], '*', { 'cloudwatch:namespace': 'Glue' }));
      const secName = prop(job, 'SecurityConfiguration');
      if (secName !== undefined) {
        const [, sec] = s.resources('AWS::Glue::SecurityConfiguration').find(([sid]) => s.str({ Ref: sid }) === s.str(secName))!;
        const cwKey = prop(sec, 'EncryptionConfiguration.CloudWatchEncryption.KmsKeyArn');
        const group = `/aws-glue/jobs/${s.str(secName)}-role/${roleOf(input, prop(job, 'Role')).arn.split('/').pop()}/output`;
        if (cwKey !== undefined) {
          out.push(
            ...calls(
              'glue encrypted logs',
              ['logs:CreateLogGroup', 'logs:AssociateKmsKey'],
              `arn:aws:logs:${s.region}:${s.account}:log-group:${group}`,
            ),
          );
          out.push(...calls('glue encrypted logs', ['logs:CreateLogStream', 'logs:PutLogEvents'], logStreamArn(s, group)));
          out.push(...calls('glue encrypted logs', ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'], s.str(cwKey)));
        }
      }
      return { role: roleOf(input, prop(job, 'Role')), calls: out };
    }),
};
