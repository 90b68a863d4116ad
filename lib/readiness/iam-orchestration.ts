/**
 * Components whose calls come from the orchestration's definitions: the state machine (the service integrations
 * of its ASL Task states) and the schedules (their targets).
 */
import { calls, keyCalls, prop, roleOf, type Component, type ComponentCall, type ComponentInput } from './iam-component';
import type { CfnResource } from './template';

type Asl = { States: Record<string, AslState> };
type AslState = {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  ItemProcessor?: Asl;
  Iterator?: Asl;
  Branches?: Asl[];
};
function* tasks(asl: Asl): Generator<[string, AslState]> {
  for (const [name, st] of Object.entries(asl.States)) {
    if (st.Type === 'Task') yield [name, st];
    for (const sub of [st.ItemProcessor, st.Iterator, ...(st.Branches ?? [])]) if (sub) yield* tasks(sub);
  }
}

/** Step Functions service integrations → the requests the state machine's role makes for them. */
const INTEGRATIONS: Record<string, (input: ComponentInput, state: string, p: Record<string, unknown>) => ComponentCall[]> = {
  'arn:aws:states:::lambda:invoke': (_, state, p) => calls(`asl ${state}`, ['lambda:InvokeFunction'], String(p.FunctionName)),
  'arn:aws:states:::glue:startJobRun.sync': ({ stack: s }, state, p) =>
    calls(
      `asl ${state}`,
      ['glue:StartJobRun', 'glue:GetJobRun', 'glue:GetJobRuns', 'glue:BatchStopJobRun'],
      `arn:aws:glue:${s.region}:${s.account}:job/${String(p.JobName)}`,
    ),
  'arn:aws:states:::ecs:runTask.sync': (input, state, p) => {
    const s = input.stack;
    // TaskDefinition is the family (latest active revision) or a revision's ARN.
    const [tdId, td] =
      s
        .resources('AWS::ECS::TaskDefinition')
        .find(([id, t]) => [s.str({ Ref: id }), s.str(prop(t, 'Family'))].includes(String(p.TaskDefinition))) ?? [];
    if (!td || !tdId) throw new Error(`${s.id}: ${state} runs a task definition not in the stack`);
    const cluster = String(p.Cluster).split('/').pop();
    const passed = { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' };
    return [
      ...calls(`asl ${state}`, ['ecs:RunTask'], s.str({ Ref: tdId })),
      // The .sync pattern watches (and on abort stops) the task it started, in its cluster.
      ...calls(
        `asl ${state} (.sync)`,
        ['ecs:DescribeTasks', 'ecs:StopTask'],
        `arn:aws:ecs:${s.region}:${s.account}:task/${cluster}/0123456789abcdef`,
        {
          'ecs:cluster': `arn:aws:ecs:${s.region}:${s.account}:cluster/${cluster}`,
        },
      ),
      ...['TaskRoleArn', 'ExecutionRoleArn'].flatMap((r) => calls(`asl ${state}`, ['iam:PassRole'], s.str(prop(td, r)), passed)),
      ...calls(
        `asl ${state} (.sync)`,
        ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        `arn:aws:events:${s.region}:${s.account}:rule/StepFunctionsGetEventsForECSTaskRule`,
      ),
    ];
  },
  'arn:aws:states:::sns:publish': (input, state, p) => [
    ...calls(`asl ${state}`, ['sns:Publish'], String(p.TopicArn)),
    ...keyCalls(input, `asl ${state}`, String(p.TopicArn), 'sns', ['kms:GenerateDataKey', 'kms:Decrypt']),
  ],
};

/**
 * The KMS calls made on a state machine's customer-managed key for the role working with its executions (the
 * execution role, or a caller starting them), in the state machine's encryption context; none without such a key.
 */
function executionKeyCalls(input: ComponentInput, source: string, stateMachineArn: string): ComponentCall[] {
  const s = input.stack;
  const sm = s.resources('AWS::StepFunctions::StateMachine').find(([id]) => s.str({ Ref: id }) === stateMachineArn)?.[1];
  const key = sm && prop(sm, 'EncryptionConfiguration.KmsKeyId');
  return key === undefined
    ? []
    : calls(source, ['kms:Decrypt', 'kms:GenerateDataKey'], s.str(key), {
        'kms:EncryptionContext:aws:states:stateMachineArn': stateMachineArn,
      });
}

const stateMachine: Component = {
  name: 'state-machine',
  instances: (input) =>
    input.stack.resources('AWS::StepFunctions::StateMachine').map(([id, sm]) => {
      const s = input.stack;
      const asl = JSON.parse(input.stack.str(prop(sm, 'DefinitionString'))) as Asl;
      const out: ComponentCall[] = [];
      for (const [name, st] of tasks(asl)) {
        const resource = st.Resource ?? '';
        // A Task whose resource is a function ARN invokes it directly (LambdaInvoke with payloadResponseOnly).
        const integration = resource.startsWith('arn:aws:lambda:')
          ? () => calls(`asl ${name}`, ['lambda:InvokeFunction'], resource)
          : INTEGRATIONS[resource];
        if (!integration) throw new Error(`${input.stack.id}: state ${name} uses ${st.Resource}, which the IAM check does not map yet`);
        out.push(...integration(input, name, st.Parameters ?? {}));
      }
      if (prop(sm, 'LoggingConfiguration.Destinations')) {
        const delivery = [
          'logs:CreateLogDelivery',
          'logs:GetLogDelivery',
          'logs:UpdateLogDelivery',
          'logs:DeleteLogDelivery',
          'logs:ListLogDeliveries',
        ];
        out.push(
          ...calls(
            'runtime log delivery',
            [...delivery, 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups'],
            '*',
          ),
        );
        const key = prop(sm, 'EncryptionConfiguration.KmsKeyId');
        // With a customer-managed key, the logs it delivers are encrypted with a data key of that key.
        if (key !== undefined)
          out.push(
            ...calls('runtime log encryption', ['kms:GenerateDataKey'], s.str(key), {
              'kms:EncryptionContext:SourceArn': `arn:aws:logs:${s.region}:${s.account}:*`,
            }),
          );
      }
      out.push(...executionKeyCalls(input, 'runtime execution data', s.str({ Ref: id })));
      if (prop(sm, 'TracingConfiguration.Enabled')) {
        out.push(
          ...calls(
            'runtime tracing',
            ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
            '*',
          ),
        );
      }
      return { role: roleOf(input, prop(sm, 'RoleArn')), calls: out };
    }),
};

/**
 * EventBridge Scheduler universal targets (`arn:aws:scheduler:::aws-sdk:<service>:<action>`): the API call each one
 * makes, on the resource its input names.
 */
const UNIVERSAL_TARGETS: Readonly<Record<string, (input: ComponentInput, targetInput: Record<string, unknown>) => ComponentCall[]>> = {
  'redshiftserverless:createSnapshot': (input, targetInput) => {
    const s = input.stack;
    const namespace = s
      .resources('AWS::RedshiftServerless::Namespace')
      .find(([, ns]) => s.str(prop(ns, 'NamespaceName')) === targetInput.NamespaceName);
    if (!namespace)
      throw new Error(
        `${s.id}: the snapshot schedule names namespace ${String(targetInput.NamespaceName)}, which the stack does not define`,
      );
    return calls(
      'schedule target',
      ['redshift-serverless:CreateSnapshot'],
      s.str({ 'Fn::GetAtt': [namespace[0], 'Namespace.NamespaceArn'] }),
    );
  },
};

/** The call a schedule's target makes: a state machine start, or a universal target's API call. */
function scheduleTargetCalls(input: ComponentInput, sch: CfnResource): ComponentCall[] {
  const s = input.stack;
  const arn = s.str(prop(sch, 'Target.Arn'));
  const universal = /^arn:aws:scheduler:::aws-sdk:(.+)$/.exec(arn);
  if (!universal) return [...calls('schedule target', ['states:StartExecution'], arn), ...executionKeyCalls(input, 'schedule target', arn)];
  const target = UNIVERSAL_TARGETS[universal[1]];
  if (!target) throw new Error(`${s.id}: schedule target ${universal[1]} is not mapped by the IAM check`);
  return target(input, JSON.parse(s.str(prop(sch, 'Target.Input'))) as Record<string, unknown>);
}

const schedule: Component = {
  name: 'schedule',
  instances: (input) =>
    input.stack.resources('AWS::Scheduler::Schedule').map(([, sch]) => {
      const s = input.stack;
      const out = scheduleTargetCalls(input, sch);
      const dlq = prop(sch, 'Target.DeadLetterConfig.Arn');
      if (dlq !== undefined)
        out.push(
          ...calls('schedule dead letters', ['sqs:SendMessage'], s.str(dlq)),
          ...keyCalls(input, 'schedule dead letters', s.str(dlq), 'sqs', ['kms:GenerateDataKey', 'kms:Decrypt']),
        );
      if (prop(sch, 'KmsKeyArn') !== undefined)
        out.push(...calls('schedule input encryption', ['kms:Decrypt'], s.str(prop(sch, 'KmsKeyArn'))));
      return { role: roleOf(input, prop(sch, 'Target.RoleArn')), calls: out };
    }),
};

/** The state machine and the schedules. */
export const ORCHESTRATION_COMPONENTS: readonly Component[] = [stateMachine, schedule];
