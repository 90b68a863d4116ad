import { App, Stage } from 'aws-cdk-lib';
import { ENVIRONMENT_NAMES, loadEnvironmentConfig, type EnvironmentName } from '../../lib/config';
import { OperationsStack } from '../../lib/stacks/operations-stack';
import { StorageStack } from '../../lib/stacks/storage-stack';
import { WarehouseStack } from '../../lib/stacks/warehouse-stack';
import { cdkJsonContext } from '../helpers/synth';

/**
 * The warehouse stack with just the stacks it depends on (operations, storage), per environment, wired exactly as
 * in DataPlatformStage — so the warehouse tests do not depend on other components' stacks.
 */
export function warehouseApp(outdir?: string) {
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] }, ...(outdir ? { outdir } : {}) });
  const stacks = {} as Record<EnvironmentName, WarehouseStack>;
  const storageStacks = {} as Record<EnvironmentName, StorageStack>;
  for (const name of ENVIRONMENT_NAMES) {
    const config = loadEnvironmentConfig(name);
    const stage = new Stage(app, `DataPlatform-${name}`, { env: { account: config.account, region: config.region } });
    const stackName = (c: string) => `${config.prefix}-${config.name}-${c}`;
    const operations = new OperationsStack(stage, `Operations-${name}`, { config, stackName: stackName('operations') });
    const storage = new StorageStack(stage, `Storage-${name}`, {
      config,
      stackName: stackName('storage'),
      logsKey: operations.logsKey.key,
    });
    storageStacks[name] = storage;
    stacks[name] = new WarehouseStack(stage, `Warehouse-${name}`, {
      config,
      stackName: stackName('warehouse'),
      lake: storage.lake,
      alerting: operations.alerting,
      logsKey: operations.logsKey.key,
    });
  }
  return { app, stacks, storageStacks };
}
