import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadEnvironmentConfig, selectEnvironments } from './config';
import { DataPlatformStage } from './data-platform-stage';
import { acknowledgeGuardRules } from './guard-rules';
import { StrictGuardValidator } from './guard-validator';

/**
 * Builds the CDK app: one `DataPlatform-<env>` stage per selected environment (`-c env=dev|staging|prod|all`),
 * validated by cdk-nag's AwsSolutions pack and by the AWS Control Tower proactive controls (cfn-guard rules bundled in
 * `@cdklabs/cdk-validator-cfnguard`, run offline), each exception acknowledged in lib/guard-rules.ts.
 */
export function buildApp(props: AppProps = {}): { app: App; stages: DataPlatformStage[] } {
  const app = new App(props);
  const ctx = (key: string) => {
    const v: unknown = app.node.tryGetContext(key);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new Error(`context ${key} must be a string, got ${JSON.stringify(v)}`);
  };
  const stages = selectEnvironments(ctx('env')).map(
    (name) => new DataPlatformStage(app, { config: loadEnvironmentConfig(name, { account: ctx('account'), region: ctx('region') }) }),
  );
  for (const stage of stages) acknowledgeGuardRules(stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new StrictGuardValidator());
  return { app, stages };
}
