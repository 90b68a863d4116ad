import { Stage, Tags, type StageProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from './config';
import { OperationsStack } from './stacks/operations-stack';
import { StorageStack } from './stacks/storage-stack';

export interface DataPlatformStageProps extends StageProps {
  readonly config: EnvironmentConfig;
}

/** One deployable environment: `DataPlatform-<env>`, whose stacks carry the environment name in their ids. */
export class DataPlatformStage extends Stage {
  public readonly config: EnvironmentConfig;
  public readonly operations: OperationsStack;
  public readonly storage: StorageStack;

  constructor(scope: Construct, props: DataPlatformStageProps) {
    const { config } = props;
    super(scope, stageId(config.name), {
      ...props,
      env: { account: config.account, region: config.region },
    });
    this.config = config;
    const stackName = (component: string) => `${config.prefix}-${config.name}-${component}`;

    this.operations = new OperationsStack(this, `Operations-${config.name}`, {
      config,
      stackName: stackName('operations'),
      description: `DataFlow ${config.name}: alarm topics and operations`,
    });
    this.storage = new StorageStack(this, `Storage-${config.name}`, {
      config,
      stackName: stackName('storage'),
      description: `DataFlow ${config.name}: data lake zones and lake key`,
    });

    Tags.of(this).add('project', config.tags.project);
    Tags.of(this).add('environment', config.name);
    Tags.of(this).add('owner', config.tags.owner);
    Tags.of(this).add('cost-center', config.tags.costCenter);
  }
}

export function stageId(env: string): string {
  return `DataPlatform-${env}`;
}
