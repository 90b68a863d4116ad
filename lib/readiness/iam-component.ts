/**
 * A runtime component of the platform for the IAM check: the role it runs as and every AWS request it makes,
 * derived from its code (recorded SDK calls, the state machine's ASL, the Glue scripts' paths) and from its
 * template (log group, tracing, VPC, event sources).
 */
import type { Authorization, RecordedCall, ResourceIndex } from './iam-actions';
import type { Deployment, RoleInfo } from './policies';
import type { CfnResource, LoadedStack } from './templates';

/** One request a component makes, with where the evaluator learned of it. */
export interface ComponentCall extends Authorization {
  /** e.g. `sdk PutObjectCommand`, `asl Notify on-call`, `runtime logs`, `glue-script conform`. */
  readonly source: string;
}

export interface ComponentInput {
  readonly deployment: Deployment;
  readonly stack: LoadedStack;
  readonly index: ResourceIndex;
  /** The recorded SDK calls of a component (from recorded-calls.json). */
  readonly recorded: (component: string) => readonly RecordedCall[];
}

export interface ComponentInstance {
  readonly role: RoleInfo;
  readonly calls: readonly ComponentCall[];
}

export interface Component {
  /** Name used in findings and in recorded-calls.json, e.g. `batch-extract`. */
  readonly name: string;
  /** The component's instances in one stack (none if the stack does not hold it; several, e.g. one per stream). */
  readonly instances: (input: ComponentInput) => ComponentInstance[];
}

export const prop = (r: CfnResource, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], r.Properties);

/** The stack's one resource of a type whose logical id starts with a prefix, if it has one. */
export function single(s: LoadedStack, type: string, prefix: string): [string, CfnResource] | undefined {
  const hits = s.resources(type).filter(([id]) => id.startsWith(prefix));
  if (hits.length > 1) throw new Error(`${s.id}: ${hits.length} ${type} resources named ${prefix}*`);
  return hits[0];
}

export function roleOf(input: ComponentInput, roleArn: unknown): RoleInfo {
  const arn = input.stack.str(roleArn);
  const role = input.deployment.roles.get(arn);
  if (!role) throw new Error(`${input.stack.id}: role ${arn} is not in the deployment`);
  return role;
}

/** A log group's log-stream ARN (what logs:CreateLogStream / PutLogEvents authorize against). */
export const logStreamArn = (s: LoadedStack, logGroupName: string, stream = 'stream') =>
  `arn:aws:logs:${s.region}:${s.account}:log-group:${logGroupName}:log-stream:${stream}`;

/**
 * What the Lambda runtime does with the function's role: write its log group, send trace segments (active
 * tracing), manage its network interfaces (in a VPC), read its Kinesis event sources and send to on-failure queues.
 */
export function lambdaRuntimeCalls(input: ComponentInput, functionId: string): ComponentCall[] {
  const { stack: s, index } = input;
  const fn = s.template.Resources![functionId];
  const calls: ComponentCall[] = [];
  const group = prop(fn, 'LoggingConfig.LogGroup');
  const groupName = group !== undefined ? s.str(group) : `/aws/lambda/${s.str({ Ref: functionId })}`;
  for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents'])
    calls.push({ source: 'runtime logs', action, resource: logStreamArn(s, groupName) });
  if (prop(fn, 'TracingConfig.Mode') === 'Active') {
    for (const action of ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'])
      calls.push({ source: 'runtime tracing', action, resource: '*' });
  }
  if (prop(fn, 'VpcConfig') !== undefined) {
    for (const action of [
      'ec2:CreateNetworkInterface',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSubnets',
      'ec2:DeleteNetworkInterface',
      'ec2:AssignPrivateIpAddresses',
      'ec2:UnassignPrivateIpAddresses',
    ]) {
      calls.push({ source: 'runtime vpc', action, resource: '*' });
    }
  }
  const fnName = s.str({ Ref: functionId });
  for (const [id, esm] of s.resources('AWS::Lambda::EventSourceMapping')) {
    if (s.str(prop(esm, 'FunctionName')) !== fnName) continue;
    const source = s.str(prop(esm, 'EventSourceArn'));
    for (const action of [
      'kinesis:DescribeStream',
      'kinesis:DescribeStreamSummary',
      'kinesis:GetRecords',
      'kinesis:GetShardIterator',
      'kinesis:ListShards',
    ]) {
      calls.push({ source: `event source ${id}`, action, resource: source });
    }
    const key = index.keyOf(source);
    if (key) calls.push({ source: `event source ${id}`, action: 'kms:Decrypt', resource: key });
    const onFailure = prop(esm, 'DestinationConfig.OnFailure.Destination');
    if (onFailure !== undefined) {
      const queue = s.str(onFailure);
      calls.push({ source: `on-failure ${id}`, action: 'sqs:SendMessage', resource: queue });
      const qkey = index.keyOf(queue);
      if (qkey)
        for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) calls.push({ source: `on-failure ${id}`, action, resource: qkey });
    }
  }
  // Asynchronous invocations (e.g. from an EventBridge rule) that fail after their retries go to the function's
  // on-failure destination, sent with the function's role.
  for (const [id, config] of s.resources('AWS::Lambda::EventInvokeConfig')) {
    if (s.str(prop(config, 'FunctionName')) !== fnName) continue;
    const onFailure = prop(config, 'DestinationConfig.OnFailure.Destination');
    if (onFailure === undefined) continue;
    const queue = s.str(onFailure);
    calls.push({ source: `on-failure ${id}`, action: 'sqs:SendMessage', resource: queue });
    const qkey = index.keyOf(queue);
    const viaSqs = { 'kms:ViaService': `sqs.${s.region}.amazonaws.com`, 'kms:CallerAccount': s.account };
    if (qkey)
      for (const action of ['kms:GenerateDataKey', 'kms:Decrypt'])
        calls.push({ source: `on-failure ${id}`, action, resource: qkey, context: viaSqs });
  }
  return calls;
}

/** Replaces every placeholder the recording used with the deployed value, anywhere in a call's input. */
export function bind(calls: readonly RecordedCall[], bindings: Readonly<Record<string, string>>): RecordedCall[] {
  const sub = (v: unknown): unknown => {
    if (typeof v === 'string') return Object.entries(bindings).reduce((acc, [from, to]) => acc.split(from).join(to), v);
    if (Array.isArray(v)) return v.map(sub);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sub(x)]));
    return v;
  };
  return calls.map((c) => ({ command: c.command, input: sub(c.input) as Record<string, unknown> }));
}

/** One call per action on one resource, from `source`. */
export const calls = (source: string, actions: readonly string[], resource: string, context?: Record<string, string>): ComponentCall[] =>
  actions.map((action) => ({ source, action, resource, ...(context ? { context } : {}) }));
/** The KMS context of a call a service makes on a key for its caller. */
export const via = (service: string, s: LoadedStack) => ({
  'kms:ViaService': `${service}.${s.region}.amazonaws.com`,
  'kms:CallerAccount': s.account,
});
/** The KMS calls a service makes on the key of `resource` for its caller (none when the resource has no key). */
export const keyCalls = (input: ComponentInput, source: string, resource: string, service: string, actions: readonly string[]) => {
  const key = input.index.keyOf(resource);
  return key ? calls(source, actions, key, via(service, input.stack)) : [];
};
/** `s3://bucket/key` → the object ARN. */
export const s3Arn = (uri: string) => `arn:aws:s3:::${uri.replace(/^s3:\/\//, '')}`;
