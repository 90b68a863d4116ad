/**
 * Grants the IAM check accepts although no modelled call uses them, and roles it does not model — each with the
 * reason it is kept. A grant matches when its role's logical id starts with `role`, its action equals `action`
 * and (if given) its resource matches `resource`.
 */
export interface GrantAck {
  readonly role: string;
  readonly action: string;
  readonly resource?: RegExp;
  readonly reason: string;
}

export interface RoleAck {
  readonly role: string;
  readonly reason: string;
}

const CDK_ASSET_READ =
  'Added by CDK when the Glue job reads its code assets (Asset.grantRead); the job only gets the script, the package zip and customer_rules.yml.';
const ESM_READ =
  'Added by the CDK Kinesis event source (Stream.grantRead); the event source mapping polls with DescribeStream(Summary), ListShards, GetShardIterator and GetRecords.';
const ESM_DLQ =
  "Added by the CDK on-failure destination (SqsDlq: Queue.grantSendMessages, with the queue key's encrypt grant); Lambda sends with SendMessage, GenerateDataKey and Decrypt.";
const STREAM_READ =
  'Added by the CDK Firehose source (Stream.grantRead); Firehose itself uses DescribeStream, GetShardIterator, GetRecords and ListShards.';

export const GRANT_ACKS: readonly GrantAck[] = [
  {
    role: 'WorkflowStateMachineRole',
    action: 'lambda:InvokeFunction',
    resource: /:\*$/,
    reason:
      'tasks.LambdaInvoke grants every version/alias of the function (`<arn>:*`) beside the unqualified ARN the state machine invokes.',
  },
  {
    role: 'SetupProviderframeworkonEventServiceRole',
    action: 'lambda:InvokeFunction',
    resource: /:\*$/,
    reason:
      'The CDK Provider framework grants every version/alias of the setup function (`<arn>:*`) beside the unqualified ARN it invokes.',
  },
  ...['s3:GetBucket*', 's3:List*'].map((action) => ({
    role: 'GlueRole',
    action,
    resource: /cdk-[a-z0-9]+-assets-/,
    reason: CDK_ASSET_READ,
  })),
  { role: 'GlueRole', action: 's3:GetObject*', resource: /cdk-[a-z0-9]+-assets-[^/]*$/, reason: CDK_ASSET_READ },
  ...['kinesis:DescribeStreamConsumer', 'kinesis:ListStreams', 'kinesis:SubscribeToShard'].map((action) => ({
    role: 'ProcessorRole',
    action,
    reason: ESM_READ,
  })),
  ...['sqs:GetQueueAttributes', 'sqs:GetQueueUrl'].map((action) => ({ role: 'ProcessorRole', action, reason: ESM_DLQ })),
  ...['kms:Encrypt', 'kms:ReEncrypt*'].map((action) => ({ role: 'ProcessorRole', action, resource: /:key\/ingestkey/, reason: ESM_DLQ })),
  ...['kinesis:DescribeStreamConsumer', 'kinesis:DescribeStreamSummary', 'kinesis:ListStreams', 'kinesis:SubscribeToShard'].map(
    (action) => ({
      role: 'Archive',
      action,
      reason: STREAM_READ,
    }),
  ),
  {
    role: 'DbtTaskTaskRole',
    action: 'redshift-serverless:GetWorkgroup',
    reason:
      "dbt-redshift's serverless IAM login (redshift_connector) can look the workgroup up to resolve its endpoint; not observable offline, so kept.",
  },
];

export const ROLE_ACKS: readonly RoleAck[] = [
  {
    role: 'CustomS3AutoDeleteObjectsCustomResourceProviderRole',
    reason: 'CDK-owned provider of autoDeleteObjects (dev only): its code and policy come with aws-cdk-lib.',
  },
  {
    role: 'CustomVpcRestrictDefaultSGCustomResourceProviderRole',
    reason: 'CDK-owned provider of restrictDefaultSecurityGroup: its code and policy come with aws-cdk-lib.',
  },
  {
    role: 'AWS679f53fac002430cb0da5b7982bd2287ServiceRole',
    reason: "CDK AwsCustomResource singleton (Redshift usage limit): its calls are the resource's declared SDK calls, granted by CDK.",
  },
];

/** `*` grants of actions that support resource-level permissions, kept with a reason. */
export const WILDCARD_ACKS: readonly Omit<GrantAck, 'resource'>[] = [
  ...['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'].map(
    (action) => ({
      role: 'ExtractRole',
      action,
      reason:
        "Lambda manages the VPC function's network interfaces with its role; their ids are Lambda's, not known at deploy (as in AWSLambdaVPCAccessExecutionRole).",
    }),
  ),
  ...['ecs:DescribeTasks', 'ecs:StopTask'].map((action) => ({
    role: 'WorkflowStateMachineRole',
    action,
    reason:
      "Written by CDK's EcsRunTask (.sync) for the dbt task; the task id exists only at run time (an ecs:cluster condition would scope it to the batch cluster).",
  })),
];
