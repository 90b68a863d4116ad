/**
 * Security properties every stack must keep, as checks over one environment's synthesized stacks. Each returns its
 * findings (`<stack>/<logical id>: what is wrong`), empty when the environment complies. References are resolved
 * across stacks (lib/readiness/templates.ts), so a key or subnet imported from another stack counts as what it is.
 */
import type { LoadedStack } from '../../lib/readiness/templates';

const at = (value: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o === undefined || o === null ? undefined : (o as Record<string, unknown>)[k]), value);
const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const each = (stacks: LoadedStack[], types: readonly string[]) =>
  stacks.flatMap((s) =>
    types.flatMap((type) => s.resources(type).map(([id, r]) => ({ s, id, r, name: `${s.id.split('/').pop()}/${id}` }))),
  );

/** Where each kind of resource names the key that encrypts it at rest. */
const KEY_PATHS: Record<string, readonly string[]> = {
  'AWS::S3::Bucket': ['BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault.KMSMasterKeyID'],
  'AWS::SQS::Queue': ['KmsMasterKeyId'],
  'AWS::SNS::Topic': ['KmsMasterKeyId'],
  'AWS::Kinesis::Stream': ['StreamEncryption.KeyId'],
  'AWS::KinesisFirehose::DeliveryStream': ['ExtendedS3DestinationConfiguration.EncryptionConfiguration.KMSEncryptionConfig.AWSKMSKeyARN'],
  'AWS::DynamoDB::Table': ['SSESpecification.KMSMasterKeyId'],
  'AWS::Logs::LogGroup': ['KmsKeyId'],
  'AWS::SecretsManager::Secret': ['KmsKeyId'],
  'AWS::RedshiftServerless::Namespace': ['KmsKeyId'],
  'AWS::Scheduler::Schedule': ['KmsKeyArn'],
  'AWS::StepFunctions::StateMachine': ['EncryptionConfiguration.KmsKeyId'],
  'AWS::Lambda::Function': ['KmsKeyArn'],
  'AWS::Glue::SecurityConfiguration': [
    'EncryptionConfiguration.S3Encryptions.0.KmsKeyArn',
    'EncryptionConfiguration.CloudWatchEncryption.KmsKeyArn',
    'EncryptionConfiguration.JobBookmarksEncryption.KmsKeyArn',
  ],
};

/**
 * Data at rest is encrypted with one of the platform's own customer-managed keys, never an AWS-managed or foreign
 * one. The exception: buckets that receive S3 server access logs, which S3 can deliver only to SSE-S3 buckets.
 * A Lambda function's key covers its environment variables only, so functions without any are left out.
 */
export function unencryptedAtRest(stacks: LoadedStack[]): string[] {
  const keys = new Set(each(stacks, ['AWS::KMS::Key']).flatMap(({ s, id }) => [s.str({ Ref: id }), s.str({ 'Fn::GetAtt': [id, 'Arn'] })]));
  const logTargets = new Set(
    each(stacks, ['AWS::S3::Bucket']).flatMap(({ s, r }) =>
      list(at(r.Properties, 'LoggingConfiguration.DestinationBucketName')).map((b) => s.str(b)),
    ),
  );
  return each(stacks, Object.keys(KEY_PATHS)).flatMap(({ s, id, r, name }) => {
    if (r.Type === 'AWS::S3::Bucket' && logTargets.has(s.str({ Ref: id }))) return [];
    if (r.Type === 'AWS::Lambda::Function' && at(r.Properties, 'Environment.Variables') === undefined) return [];
    return KEY_PATHS[r.Type]
      .map((path) => ({ path, key: at(r.Properties, path) }))
      .filter(({ key }) => key === undefined || !keys.has(s.str(key)))
      .map(({ path, key }) => `${name}: ${path} is ${key === undefined ? 'not set' : `${s.str(key)}, not a key of the platform`}`);
  });
}

/** The resource policy of each kind of resource, where it names its targets, and the actions a TLS deny must cover. */
const POLICIES: readonly { type: string; policy: string; targets: string; actions: readonly string[] }[] = [
  { type: 'AWS::S3::Bucket', policy: 'AWS::S3::BucketPolicy', targets: 'Bucket', actions: ['s3:*'] },
  { type: 'AWS::SQS::Queue', policy: 'AWS::SQS::QueuePolicy', targets: 'Queues', actions: ['sqs:*'] },
  { type: 'AWS::SNS::Topic', policy: 'AWS::SNS::TopicPolicy', targets: 'Topics', actions: ['sns:*', 'sns:Publish'] },
];

interface Statement {
  Effect?: string;
  Principal?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}
const statementsOf = (document: unknown): Statement[] => list(at(document, 'Statement')) as Statement[];

const deniesPlainHttp = (st: Statement, actions: readonly string[]): boolean =>
  st.Effect === 'Deny' &&
  (st.Principal === '*' || at(st.Principal, 'AWS') === '*') &&
  list(st.Action).some((a) => actions.includes(String(a))) &&
  String(at(st.Condition, 'Bool.aws:SecureTransport')) === 'false';

/** Every bucket, queue and topic has a resource policy that denies any request not made over TLS. */
export function plaintextTransport(stacks: LoadedStack[]): string[] {
  return POLICIES.flatMap(({ type, policy, targets, actions }) => {
    const protectedTargets = new Set(
      each(stacks, [policy])
        .filter(({ r }) => statementsOf(r.Properties?.PolicyDocument).some((st) => deniesPlainHttp(st, actions)))
        .flatMap(({ s, r }) => list(r.Properties?.[targets]).map((t) => s.str(t))),
    );
    return each(stacks, [type])
      .filter(({ s, id }) => !protectedTargets.has(s.str({ Ref: id })))
      .map(({ name }) => `${name}: no ${policy} denies requests without TLS`);
  });
}

/** AWS managed policies a role may carry: CDK's custom-resource providers use the basic Lambda logging policy. */
const MANAGED_POLICIES_ALLOWED = ['service-role/AWSLambdaBasicExecutionRole'];

/** The identity policies of a role: inline, and the AWS::IAM::Policy and ManagedPolicy resources attached to it. */
function identityStatements(stacks: LoadedStack[]): { name: string; st: Statement }[] {
  const inline = each(stacks, ['AWS::IAM::Role']).flatMap(({ r, name }) =>
    list(r.Properties?.Policies).flatMap((p) => statementsOf(at(p, 'PolicyDocument')).map((st) => ({ name, st }))),
  );
  const attached = each(stacks, ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']).flatMap(({ r, name }) =>
    statementsOf(r.Properties?.PolicyDocument).map((st) => ({ name, st })),
  );
  return [...inline, ...attached];
}

/**
 * Least privilege in the shape of every grant: no role allows every action of a service (`*`, `s3:*`) or uses
 * NotAction/NotResource to allow by exclusion; roles are assumed by AWS services only, never by an account or
 * anyone; no AWS managed policy but CDK's provider logging policy. (Which actions on which resources each
 * component really needs is the IAM readiness check's job: test/readiness/iam.test.ts.)
 */
export function broadGrants(stacks: LoadedStack[]): string[] {
  const wildcards = identityStatements(stacks)
    .filter(({ st }) => st.Effect === 'Allow')
    .flatMap(({ name, st }) => [
      ...list(st.Action)
        .map(String)
        .filter((a) => a === '*' || a.endsWith(':*'))
        .map((a) => `${name}: allows ${a}`),
      ...(st.NotAction !== undefined || st.NotResource !== undefined ? [`${name}: allows by NotAction/NotResource`] : []),
    ]);
  const roles = each(stacks, ['AWS::IAM::Role']).flatMap(({ s, r, name }) => [
    ...statementsOf(r.Properties?.AssumeRolePolicyDocument)
      .filter(
        (st) =>
          st.Effect === 'Allow' &&
          (typeof st.Principal !== 'object' || st.Principal === null || Object.keys(st.Principal).some((k) => k !== 'Service')),
      )
      .map((st) => `${name}: can be assumed by ${JSON.stringify(s.resolve(st.Principal))}`),
    ...list(r.Properties?.ManagedPolicyArns)
      .map((arn) => s.str(arn))
      .filter((arn) => !MANAGED_POLICIES_ALLOWED.some((allowed) => arn.endsWith(`:policy/${allowed}`)))
      .map((arn) => `${name}: carries the managed policy ${arn}`),
  ]);
  return [...wildcards, ...roles];
}

/**
 * Subnets without public IPs on launch and without a default route through an internet gateway. (A default route
 * through a NAT gateway keeps a subnet private: it is how the extract reaches an OLTP database with a public endpoint.)
 */
function privateSubnets(stacks: LoadedStack[]): Set<string> {
  const gateways = new Set(each(stacks, ['AWS::EC2::InternetGateway']).map(({ s, id }) => s.str({ Ref: id })));
  const openTables = new Set(
    each(stacks, ['AWS::EC2::Route'])
      .filter(({ r }) => r.Properties?.DestinationCidrBlock === '0.0.0.0/0' || r.Properties?.DestinationIpv6CidrBlock === '::/0')
      .filter(
        ({ s, r }) =>
          r.Properties?.GatewayId !== undefined &&
          (gateways.has(s.str(r.Properties.GatewayId)) || s.str(r.Properties.GatewayId).startsWith('igw-')),
      )
      .map(({ s, r }) => s.str(r.Properties?.RouteTableId)),
  );
  const tableOf = new Map(
    each(stacks, ['AWS::EC2::SubnetRouteTableAssociation']).map(({ s, r }) => [
      s.str(r.Properties?.SubnetId),
      s.str(r.Properties?.RouteTableId),
    ]),
  );
  return new Set(
    each(stacks, ['AWS::EC2::Subnet'])
      .filter(({ r }) => r.Properties?.MapPublicIpOnLaunch !== true)
      .map(({ s, id }) => s.str({ Ref: id }))
      .filter((subnet) => !openTables.has(tableOf.get(subnet) ?? '')),
  );
}

/** The ECS network settings anywhere in a state machine definition (states nest in Parallel and Map). */
function awsvpcConfigurations(node: unknown, path: string): { path: string; vpc: unknown }[] {
  if (node === null || typeof node !== 'object') return [];
  const here = at(node, 'NetworkConfiguration.AwsvpcConfiguration');
  const below = Object.entries(node).flatMap(([k, v]) => awsvpcConfigurations(v, `${path}.${k}`));
  return here === undefined ? below : [{ path, vpc: here }, ...below];
}

/** Network placements: where, the subnet ids, and whether a public IP is requested. */
function placements(stacks: LoadedStack[]): { where: string; subnets: string[]; publicIp: boolean }[] {
  const direct = (type: string, path: string) =>
    each(stacks, [type])
      .filter(({ r }) => at(r.Properties, path) !== undefined)
      .map(({ s, r, name }) => ({ where: name, subnets: list(s.resolve(at(r.Properties, path))).map(String), publicIp: false }));
  const tasks = each(stacks, ['AWS::StepFunctions::StateMachine']).flatMap(({ s, r, name }) =>
    awsvpcConfigurations(JSON.parse(s.str(r.Properties?.DefinitionString)), 'States').map(({ path, vpc }) => ({
      where: `${name} ${path}`,
      subnets: list(at(vpc, 'Subnets')).map(String),
      publicIp: at(vpc, 'AssignPublicIp') === 'ENABLED',
    })),
  );
  return [
    ...direct('AWS::Lambda::Function', 'VpcConfig.SubnetIds'),
    ...direct('AWS::EC2::VPCEndpoint', 'SubnetIds'),
    ...direct('AWS::RedshiftServerless::Workgroup', 'SubnetIds'),
    ...tasks,
  ];
}

/** Everything placed in a VPC sits in the platform's private subnets, without a public IP. Returns the placements checked, too. */
export function publicPlacements(stacks: LoadedStack[]): { checked: number; findings: string[] } {
  const privateIds = privateSubnets(stacks);
  const all = placements(stacks);
  const findings = all.flatMap(({ where, subnets, publicIp }) => [
    ...(subnets.length === 0 ? [`${where}: no subnets`] : []),
    ...subnets
      .filter((subnet) => !privateIds.has(subnet))
      .map((subnet) => `${where}: subnet ${subnet} is not a private subnet of the platform`),
    ...(publicIp ? [`${where}: assigns a public IP`] : []),
  ]);
  return { checked: all.length, findings };
}
