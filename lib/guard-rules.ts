import { Validations, type Stage } from 'aws-cdk-lib';

/** Namespace of the `@cdklabs/cdk-validator-cfnguard` plugin's rule ids in acknowledgements and reports. */
export const GUARD_PLUGIN = 'cdk-validator-cfnguard';

/**
 * A Control Tower proactive control (bundled in `@cdklabs/cdk-validator-cfnguard`) that some resources do not meet
 * on purpose, with the reason. Each one is backed by a template assertion in lib/readiness/nag-honesty.ts.
 */
export interface GuardAcknowledgement {
  /** cfn-guard rule name, e.g. `s3_bucket_object_lock_enabled_check`. */
  readonly rule: string;
  /** The Control Tower control id, for people. */
  readonly control: string;
  /** Which resources: matched against the construct path below the stage with the environment suffix removed. */
  readonly where: RegExp;
  readonly reason: string;
}

const LOG_GROUPS = /\/(Logs|FunctionLogs|ProviderLogs|FlowLogs|RestrictDefaultSgLogs|AutoDeleteObjectsLogs|AuditLog-[a-z]+)\/Resource$/;

export const GUARD_ACKNOWLEDGEMENTS: readonly GuardAcknowledgement[] = [
  {
    rule: 'cloudwatch_log_group_encrypted_check',
    control: 'CT.CLOUDWATCH.PR.3',
    where: LOG_GROUPS,
    reason:
      "KmsKeyId is set to the environment's logs CMK, passed as a Fn::GetStackOutput cross-stack reference that the rule does not resolve.",
  },
  {
    rule: 'cloudwatch_log_group_retention_period_check',
    control: 'CT.CLOUDWATCH.PR.2',
    where: LOG_GROUPS,
    reason:
      "Operational logs keep the environment's configured finite retention (logRetentionDays: 14/30/90 days); the data itself lives in the lake and warehouse.",
  },
  {
    rule: 'lambda_inside_vpc_check',
    control: 'CT.LAMBDA.PR.3',
    where: /^Batch\/Extract\/Function\/Resource$/,
    reason:
      'The extract runs in the warehouse VPC: its VpcConfig subnets come from the warehouse stack as Fn::GetStackOutput references, which the rule does not resolve.',
  },
  {
    rule: 'lambda_inside_vpc_check',
    control: 'CT.LAMBDA.PR.3',
    where:
      /^(Batch\/(Control|Quality|Load|Release)\/Function|Streaming\/Processor\/Function|Warehouse\/Setup\/(Function|Provider\/framework-onEvent)|Warehouse\/AWS679f53fac002430cb0da5b7982bd2287|Warehouse\/Custom::VpcRestrictDefaultSGCustomResourceProvider\/Handler|Storage\/Custom::S3AutoDeleteObjectsCustomResourceProvider\/Handler)(\/Resource)?$/,
    reason:
      'These functions call only AWS service APIs (IAM-authorised, TLS) and no private-network resource; only the extract, which reads the OLTP database, runs in the VPC.',
  },
  {
    rule: 'ecs_containers_readonly_access_check',
    control: 'CT.ECS.PR.9',
    where: /^Batch\/Dbt\/Task\/Resource$/,
    reason: 'dbt writes its target/ and logs/ directories inside the project directory of the image at run time.',
  },
  {
    rule: 's3_bucket_default_encryption_kms_check',
    control: 'CT.S3.PR.10',
    where: /^Storage\/Lake\/AccessLogs\/Resource$/,
    reason: 'The server access log target bucket: S3 log delivery supports only SSE-S3 (AES256) on the target bucket.',
  },
  {
    rule: 's3_bucket_logging_enabled_check',
    control: 'CT.S3.PR.2',
    where: /^Storage\/Lake\/AccessLogs\/Resource$/,
    reason: 'This is the access log bucket itself; logging it to itself would loop.',
  },
  {
    rule: 's3_bucket_versioning_enabled_check',
    control: 'CT.S3.PR.11',
    where: /^Storage\/Lake\/(AccessLogs|Quarantine)\/Resource$/,
    reason: 'Access logs are written once by S3 and expire by lifecycle; quarantine objects are write-once per window with unique keys.',
  },
  {
    rule: 's3_bucket_object_lock_enabled_check',
    control: 'CT.S3.PR.9',
    where: /^Storage\/Lake\/(AccessLogs|Raw|Staging|Quarantine)\/Resource$/,
    reason: 'Re-running a window overwrites its partition objects and lifecycle rules expire old data; Object Lock would block both.',
  },
  {
    rule: 's3_event_notifications_enabled_check',
    control: 'CT.S3.PR.4',
    where: /^Storage\/Lake\/(AccessLogs|Raw|Staging|Quarantine)\/Resource$/,
    reason: 'Nothing consumes object events: the batch is driven by its hourly schedule and the stream by Kinesis.',
  },
  {
    rule: 'sqs_dlq_check',
    control: 'CT.SQS.PR.3',
    where:
      /^(Batch\/ScheduleDeadLetters|Streaming\/Processor\/FailureQueue|Batch\/LeaseRelease\/DeadLetters|Warehouse\/Snapshots\/DeadLetters)\/Resource$/,
    reason:
      'These queues are themselves dead-letter destinations (of the batch schedule, the stream event source mapping, the lease-release rule and the snapshot schedule); each has an alarm on its depth.',
  },
];

/**
 * Rules switched off in the validator (their failures name no resource, so they cannot be acknowledged per
 * construct), with the reason; also backed by template assertions in lib/readiness/nag-honesty.ts.
 */
export const GUARD_DISABLED_RULES: readonly Omit<GuardAcknowledgement, 'where'>[] = [
  {
    rule: 'kms_create_grant_aws_service_check',
    control: 'CT.KMS.PR.3',
    reason:
      'Key policies allow kms:CreateGrant (kms:*) only to the account root, delegating to IAM, and no IAM policy in this app allows kms:CreateGrant (nor kms:*); AWS services create their own grants.',
  },
];

/** Construct path below the stage with the environment suffix of the stack id removed: `Batch/Dbt/Task/Resource`. */
export function guardPath(constructPath: string): string {
  const [, stack, ...rest] = constructPath.split('/');
  return [stack?.replace(/-[a-z0-9]+$/, ''), ...rest].join('/');
}

/** Records every acknowledgement of the list on the constructs it covers in a stage. */
export function acknowledgeGuardRules(stage: Stage): void {
  for (const construct of stage.node.findAll()) {
    const at = guardPath(construct.node.path);
    for (const ack of GUARD_ACKNOWLEDGEMENTS.filter((a) => a.where.test(at))) {
      Validations.of(construct).acknowledge({ id: `${GUARD_PLUGIN}::${ack.rule}`, reason: `${ack.control}: ${ack.reason}` });
    }
  }
}
