/**
 * What `Ref` and `Fn::GetAtt` return for each resource type, as concrete strings: the name property when the
 * template sets one, otherwise a stable generated name (the logical id in lower case, as CloudFormation would
 * derive one), and the ARN AWS builds from it.
 */
import type { CfnResource, LoadedStack } from './templates';

interface TypeShape {
  /** The property holding the physical name, if the type has one. */
  readonly nameProp?: string;
  /** What `Ref` returns. @default the name */
  readonly ref?: (name: string, s: LoadedStack) => string;
  /** ARN for `Fn::GetAtt <Arn>` (and the attributes below). */
  readonly arn?: (name: string, s: LoadedStack) => string;
  /** Further attributes. */
  readonly atts?: Record<string, (name: string, s: LoadedStack) => string>;
}

const at = (service: string, rest: (n: string) => string) => (n: string, s: LoadedStack) =>
  `arn:aws:${service}:${s.region}:${s.account}:${rest(n)}`;

const SHAPES: Record<string, TypeShape> = {
  'AWS::S3::Bucket': { nameProp: 'BucketName', arn: (n) => `arn:aws:s3:::${n}` },
  'AWS::KMS::Key': { arn: at('kms', (n) => `key/${n}`) },
  'AWS::IAM::Role': { nameProp: 'RoleName', arn: (n, s) => `arn:aws:iam::${s.account}:role/${n}` },
  'AWS::SQS::Queue': {
    nameProp: 'QueueName',
    ref: (n, s) => `https://sqs.${s.region}.amazonaws.com/${s.account}/${n}`,
    arn: at('sqs', (n) => n),
    atts: { QueueName: (n) => n, QueueUrl: (n, s) => `https://sqs.${s.region}.amazonaws.com/${s.account}/${n}` },
  },
  'AWS::SNS::Topic': { nameProp: 'TopicName', ref: at('sns', (n) => n), atts: { TopicArn: at('sns', (n) => n), TopicName: (n) => n } },
  'AWS::DynamoDB::Table': { nameProp: 'TableName', arn: at('dynamodb', (n) => `table/${n}`) },
  'AWS::Lambda::Function': { nameProp: 'FunctionName', arn: at('lambda', (n) => `function:${n}`) },
  'AWS::Logs::LogGroup': { nameProp: 'LogGroupName', arn: at('logs', (n) => `log-group:${n}:*`) },
  'AWS::StepFunctions::StateMachine': {
    nameProp: 'StateMachineName',
    ref: at('states', (n) => `stateMachine:${n}`),
    arn: at('states', (n) => `stateMachine:${n}`),
    atts: { Name: (n) => n },
  },
  'AWS::Glue::Job': { nameProp: 'Name' },
  'AWS::Glue::Database': { nameProp: 'DatabaseInput.Name' },
  'AWS::Glue::SecurityConfiguration': { nameProp: 'Name' },
  'AWS::ECS::Cluster': { nameProp: 'ClusterName', arn: at('ecs', (n) => `cluster/${n}`) },
  'AWS::ECS::TaskDefinition': {
    nameProp: 'Family',
    ref: at('ecs', (n) => `task-definition/${n}:1`),
    atts: { TaskDefinitionArn: at('ecs', (n) => `task-definition/${n}:1`) },
  },
  'AWS::SecretsManager::Secret': { nameProp: 'Name', ref: at('secretsmanager', (n) => `secret:${n}-AbCdEf`) },
  'AWS::Kinesis::Stream': { nameProp: 'Name', arn: at('kinesis', (n) => `stream/${n}`) },
  'AWS::KinesisFirehose::DeliveryStream': { nameProp: 'DeliveryStreamName', arn: at('firehose', (n) => `deliverystream/${n}`) },
  'AWS::Scheduler::Schedule': { nameProp: 'Name', arn: at('scheduler', (n) => `schedule/default/${n}`) },
  'AWS::Events::Rule': { nameProp: 'Name', arn: at('events', (n) => `rule/${n}`) },
  'AWS::CloudWatch::Alarm': { nameProp: 'AlarmName', arn: at('cloudwatch', (n) => `alarm:${n}`) },
  'AWS::RedshiftServerless::Workgroup': {
    nameProp: 'WorkgroupName',
    atts: {
      'Workgroup.WorkgroupArn': at('redshift-serverless', (n) => `workgroup/${n}-id`),
      'Workgroup.WorkgroupName': (n) => n,
      'Workgroup.Endpoint.Address': (n, s) => `${n}.${s.account}.${s.region}.redshift-serverless.amazonaws.com`,
    },
  },
  'AWS::RedshiftServerless::Namespace': {
    nameProp: 'NamespaceName',
    atts: { 'Namespace.NamespaceArn': at('redshift-serverless', (n) => `namespace/${n}-id`), 'Namespace.NamespaceName': (n) => n },
  },
};

function nameOf(lid: string, res: CfnResource, s: LoadedStack): string {
  const prop = SHAPES[res.Type]?.nameProp;
  const raw = prop?.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], res.Properties);
  return raw === undefined ? lid.toLowerCase() : s.str(raw);
}

export function physicalRef(lid: string, res: CfnResource, s: LoadedStack): string {
  const shape = SHAPES[res.Type];
  const name = nameOf(lid, res, s);
  return shape?.ref ? shape.ref(name, s) : name;
}

export function physicalAtt(lid: string, attr: string, res: CfnResource, s: LoadedStack): string {
  const shape = SHAPES[res.Type] ?? {};
  const name = nameOf(lid, res, s);
  const fn = shape.atts?.[attr] ?? (attr === 'Arn' ? shape.arn : undefined);
  // Attributes this evaluator does not model (security group ids, endpoints) stay recognisable placeholders.
  return fn ? fn(name, s) : `${lid}.${attr}`;
}
