import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadEnvironmentConfig, selectEnvironments } from './config';
import { DataPlatformStage } from './data-platform-stage';

/**
 * Builds the CDK app: one `DataPlatform-<env>` stage per selected environment (`-c env=dev|staging|prod|all`),
 * with cdk-nag's AwsSolutions pack validating every stack.
 */
export function buildApp(props: AppProps = {}): { app: App; stages: DataPlatformStage[] } {
  const app = new App(props);
  const ctx = (key: string) => {
    const v = app.node.tryGetContext(key);
    return v === undefined || v === null ? undefined : String(v);
  };
  const stages = selectEnvironments(ctx('env')).map(
    (name) => new DataPlatformStage(app, { config: loadEnvironmentConfig(name, { account: ctx('account'), region: ctx('region') }) }),
  );
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stages };
}
