import { Stage, Tags, type StageProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from './config';
import { findPlaceholders } from './config/placeholders';
import { Monitoring } from './constructs/monitoring';
import { PlaceholderGuard } from './constructs/placeholder-guard';
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

/** One deployable environment: `DataPlatform-<env>`, whose stacks carry the environment name in their ids. */
export class DataPlatformStage extends Stage {
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
    const tags = {
      project: config.tags.project,
      environment: config.name,
      owner: config.tags.owner,
      'cost-center': config.tags.costCenter,
    };
    // Stack tags (propagated by CloudFormation) plus resource tags (visible in the templates and to cost reports).
    const stackProps = (component: string, description: string) => ({
      config,
      stackName: `${config.prefix}-${config.name}-${component}`,
      description: `DataFlow ${config.name}: ${description}`,
      tags,
      terminationProtection: config.terminationProtection,
    });

    this.operations = new OperationsStack(this, `Operations-${config.name}`, stackProps('operations', 'alarm topics and operations'));
    this.storage = new StorageStack(this, `Storage-${config.name}`, {
      ...stackProps('storage', 'data lake zones and lake key'),
      logsKey: this.operations.logsKey.key,
    });

    this.warehouse = new WarehouseStack(this, `Warehouse-${config.name}`, {
      ...stackProps('warehouse', 'Redshift Serverless warehouse, private network and database setup'),
      lake: this.storage.lake,
      alerting: this.operations.alerting,
      logsKey: this.operations.logsKey.key,
    });

    this.streaming = new StreamingStack(this, `Streaming-${config.name}`, {
      ...stackProps('streaming', 'Kinesis streams, Firehose raw archive, validating stream processor'),
      lake: this.storage.lake,
      alerting: this.operations.alerting,
      logsKey: this.operations.logsKey.key,
    });

    this.batch = new BatchStack(this, `Batch-${config.name}`, {
      ...stackProps('batch', 'hourly batch: Step Functions extract, quality gate, Glue, Redshift load, dbt'),
      lake: this.storage.lake,
      alerting: this.operations.alerting,
      logsKey: this.operations.logsKey.key,
      warehouse: this.warehouse.target,
    });

    // Add component stacks above this line: the dashboard collects every stack's Monitoring.
    this.dashboard = new DashboardStack(this, `Dashboard-${config.name}`, {
      ...stackProps('dashboard', 'operations dashboard'),
      sections: this.node.findAll().filter((c): c is Monitoring => c instanceof Monitoring),
    });

    addRunbookOutputs(this);
    for (const [key, value] of Object.entries(tags)) Tags.of(this).add(key, value);
    // Example values synthesize (tests, snapshots, offline synth) but no stack of the environment deploys.
    const fields = findPlaceholders(config);
    [this.operations, this.storage, this.warehouse, this.streaming, this.batch, this.dashboard].forEach(
      (stack, i) => new PlaceholderGuard(stack, 'ExampleValues', { environment: config.name, fields, warn: i === 0 }),
    );
  }
}

export function stageId(env: string): string {
  return `DataPlatform-${env}`;
}
