/**
 * What an environment deploys, read from its synthesized templates: the quantities the monthly bill depends on
 * (stream capacity, function memory, Glue workers, warehouse RPUs, endpoints, keys, alarms…).
 */
type Resource = { readonly Type: string; readonly Properties?: Record<string, unknown> };
type Template = { readonly Resources?: Record<string, Resource> };

export interface StreamShape {
  readonly mode: 'provisioned' | 'on-demand';
  /** Provisioned shards (on-demand streams start at 4 shards; not billed per shard). */
  readonly shards: number;
}

export interface PlatformShape {
  readonly streams: readonly StreamShape[];
  readonly deliveryStreams: number;
  /** Memory (MB) of the function(s) fed by the Kinesis event source mappings. */
  readonly streamProcessorMemoryMb: number;
  /** Memory (MB) of every other function. */
  readonly otherFunctionMemoryMb: readonly number[];
  /** DPUs of each Glue job (workers × DPU per worker). */
  readonly glueJobDpus: readonly number[];
  readonly warehouseBaseRpu: number;
  readonly fargateTask: { readonly vcpu: number; readonly memoryGb: number } | undefined;
  /** States in the batch state machine definition. */
  readonly stateMachineStates: number;
  readonly kmsKeys: number;
  readonly alarms: number;
  readonly dashboards: number;
  readonly logGroups: number;
  /** AZ-attachments of interface VPC endpoints (one per endpoint and subnet). */
  readonly interfaceEndpointAzs: number;
  readonly natGateways: number;
  readonly secrets: number;
  readonly dynamoTables: number;
}

const DPU_PER_WORKER: Record<string, number> = { 'G.025X': 0.25, 'G.1X': 1, 'G.2X': 2, 'G.4X': 4, 'G.8X': 8 };

/** The text of a (possibly `Fn::Join`ed) definition string; tokens become empty strings. */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'Fn::Join' in value) {
    const [sep, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    return parts.map(flatten).join(sep);
  }
  return '';
}

/** Reads the cost-relevant shape of every resource in the given templates (one environment). */
export function shapeFromTemplates(templates: Iterable<Template>): PlatformShape {
  const resources = [...templates].flatMap((t) => Object.entries(t.Resources ?? {}));
  const ofType = (type: string) => resources.filter(([, r]) => r.Type === type);
  const props = (r: Resource) => r.Properties ?? {};

  const mappedFunctions = new Set(ofType('AWS::Lambda::EventSourceMapping').map(([, r]) => JSON.stringify(props(r).FunctionName)));
  const functions = ofType('AWS::Lambda::Function').map(([id, r]) => ({
    mapped: [...mappedFunctions].some((ref) => ref.includes(`"${id}"`)),
    memory: Number(props(r).MemorySize ?? 128),
  }));
  const taskDefinition = ofType('AWS::ECS::TaskDefinition')[0]?.[1];
  const machine = ofType('AWS::StepFunctions::StateMachine')[0]?.[1];

  return {
    streams: ofType('AWS::Kinesis::Stream').map(([, r]) => {
      const onDemand = (props(r).StreamModeDetails as { StreamMode?: string } | undefined)?.StreamMode === 'ON_DEMAND';
      return { mode: onDemand ? 'on-demand' : 'provisioned', shards: onDemand ? 0 : Number(props(r).ShardCount ?? 1) };
    }),
    deliveryStreams: ofType('AWS::KinesisFirehose::DeliveryStream').length,
    streamProcessorMemoryMb: Math.max(0, ...functions.filter((f) => f.mapped).map((f) => f.memory)),
    otherFunctionMemoryMb: functions.filter((f) => !f.mapped).map((f) => f.memory),
    glueJobDpus: ofType('AWS::Glue::Job').map(
      ([, r]) => Number(props(r).NumberOfWorkers ?? 1) * (DPU_PER_WORKER[String(props(r).WorkerType)] ?? 1),
    ),
    warehouseBaseRpu: Math.max(0, ...ofType('AWS::RedshiftServerless::Workgroup').map(([, r]) => Number(props(r).BaseCapacity ?? 128))),
    fargateTask: taskDefinition
      ? { vcpu: Number(props(taskDefinition).Cpu) / 1024, memoryGb: Number(props(taskDefinition).Memory) / 1024 }
      : undefined,
    stateMachineStates: machine ? (flatten(props(machine).DefinitionString).match(/"Type":"/g) ?? []).length : 0,
    kmsKeys: ofType('AWS::KMS::Key').length,
    alarms: ofType('AWS::CloudWatch::Alarm').length,
    dashboards: ofType('AWS::CloudWatch::Dashboard').length,
    logGroups: ofType('AWS::Logs::LogGroup').length,
    interfaceEndpointAzs: ofType('AWS::EC2::VPCEndpoint')
      .filter(([, r]) => props(r).VpcEndpointType === 'Interface')
      .reduce((n, [, r]) => n + ((props(r).SubnetIds as unknown[] | undefined)?.length ?? 1), 0),
    natGateways: ofType('AWS::EC2::NatGateway').length,
    secrets: ofType('AWS::SecretsManager::Secret').length,
    dynamoTables: ofType('AWS::DynamoDB::Table').length + ofType('AWS::DynamoDB::GlobalTable').length,
  };
}
