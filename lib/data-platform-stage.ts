import { Stage, Tags, type Environment, type StageProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from './config';
import { findPlaceholders } from './config/placeholders';
import { Monitoring } from './constructs/monitoring';
import { PlaceholderGuard } from './constructs/placeholder-guard';
import { resolveEnvironment } from './environment';
import { addRunbookOutputs } from './stack-outputs';
import { DashboardStack } from './stacks/dashboard-stack';
import { OperationsStack } from './stacks/operations-stack';
import { BatchStack } from './stacks/batch-stack';
import { StorageStack } from './stacks/storage-stack';
import { StreamingStack } from './stacks/streaming-stack';
import { WarehouseStack } from './stacks/warehouse-stack';

export interface DataPlatformStageProps extends StageProps {
  readonly config: EnvironmentConfig;
}

/** The stacks of one environment. */
export interface PlatformStacks {
  readonly operations: OperationsStack;
  readonly storage: StorageStack;
  readonly streaming: StreamingStack;
  readonly warehouse: WarehouseStack;
  readonly batch: BatchStack;
  readonly dashboard: DashboardStack;
}

/** One deployable environment: `DataPlatform-<env>`, whose stacks carry the environment name in their ids. */
export class DataPlatformStage extends Stage implements PlatformStacks {
  public readonly config: EnvironmentConfig;
  public readonly operations: OperationsStack;
  public readonly storage: StorageStack;
  public readonly streaming: StreamingStack;
  public readonly warehouse: WarehouseStack;
  public readonly batch: BatchStack;
  public readonly dashboard: DashboardStack;

  constructor(scope: Construct, props: DataPlatformStageProps) {
    const { config } = props;
    super(scope, stageId(config.name), {
      ...props,
      env: { account: config.account, region: config.region },
    });
    this.config = config;
    ({
      operations: this.operations,
      storage: this.storage,
      warehouse: this.warehouse,
      streaming: this.streaming,
      batch: this.batch,
      dashboard: this.dashboard,
    } = addPlatformStacks(this, config));
  }
}

/**
 * The environment's stacks, wired together and tagged, created in `scope`: the environment's Stage for `cdk deploy`,
 * or an app directly (the integration test, whose runner compares top-level stacks).
 */
export function addPlatformStacks(scope: Construct, config: EnvironmentConfig, env?: Environment): PlatformStacks {
  const tags = {
    project: config.tags.project,
    environment: config.name,
    owner: config.tags.owner,
    'cost-center': config.tags.costCenter,
  };
  const { nameOf } = resolveEnvironment(config);
  // Stack tags (propagated by CloudFormation) plus resource tags (visible in the templates and to cost reports).
  const stackProps = (component: string, description: string) => ({
    config,
    env,
    stackName: nameOf(component),
    description: `DataFlow ${config.name}: ${description}`,
    tags,
    terminationProtection: config.terminationProtection,
  });

  const operations = new OperationsStack(scope, `Operations-${config.name}`, stackProps('operations', 'alarm topics and operations'));
  const storage = new StorageStack(scope, `Storage-${config.name}`, {
    ...stackProps('storage', 'data lake zones and lake key'),
    logsKey: operations.logsKey.key,
  });

  const warehouse = new WarehouseStack(scope, `Warehouse-${config.name}`, {
    ...stackProps('warehouse', 'Redshift Serverless warehouse, private network and database setup'),
    lake: storage.lake,
    alerting: operations.alerting,
    logsKey: operations.logsKey.key,
  });

  const streaming = new StreamingStack(scope, `Streaming-${config.name}`, {
    ...stackProps('streaming', 'Kinesis streams, Firehose raw archive, validating stream processor'),
    lake: storage.lake,
    alerting: operations.alerting,
    logsKey: operations.logsKey.key,
  });

  const batch = new BatchStack(scope, `Batch-${config.name}`, {
    ...stackProps('batch', 'hourly batch: Step Functions extract, quality gate, Glue, Redshift load, dbt'),
    lake: storage.lake,
    alerting: operations.alerting,
    logsKey: operations.logsKey.key,
    warehouse: warehouse.target,
  });

  // Add component stacks above this line: the dashboard collects every stack's Monitoring.
  const components = [operations, storage, warehouse, streaming, batch];
  const dashboard = new DashboardStack(scope, `Dashboard-${config.name}`, {
    ...stackProps('dashboard', 'operations dashboard'),
    sections: components.flatMap((s) => s.node.findAll()).filter((c): c is Monitoring => c instanceof Monitoring),
  });

  const stacks: PlatformStacks = { operations, storage, warehouse, streaming, batch, dashboard };
  addRunbookOutputs(stacks);
  for (const stack of [...components, dashboard]) for (const [key, value] of Object.entries(tags)) Tags.of(stack).add(key, value);
  // Example values synthesize (tests, snapshots, offline synth) but no stack of the environment deploys.
  const fields = findPlaceholders(config);
  [...components, dashboard].forEach(
    (stack, i) => new PlaceholderGuard(stack, 'ExampleValues', { environment: config.name, fields, warn: i === 0 }),
  );
  return stacks;
}

export function stageId(env: string): string {
  return `DataPlatform-${env}`;
}
