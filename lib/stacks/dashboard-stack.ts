import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import type { Monitoring } from '../constructs/monitoring';
import { OperationsDashboard } from '../constructs/operations-dashboard';
import { resolveEnvironment } from '../environment';

export interface DashboardStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  /** Every component's monitoring, in the order the dashboard shows them. */
  readonly sections: readonly Monitoring[];
}

/** The environment's operations dashboard. Deployed last; depends on no other stack's exports. */
export class DashboardStack extends Stack {
  public readonly dashboard: OperationsDashboard;

  constructor(scope: Construct, id: string, props: DashboardStackProps) {
    super(scope, id, props);
    this.dashboard = new OperationsDashboard(this, 'Operations', {
      dashboardName: resolveEnvironment(props.config).nameOf('operations'),
      sections: props.sections,
      runbookBaseUrl: props.config.runbookBaseUrl,
    });
  }
}
