import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { Alerting } from '../constructs/alerting';
import { CostGuard } from '../constructs/cost-guard';
import { LogsKey } from '../constructs/logs-key';
import { Monitoring } from '../constructs/monitoring';
import { resolveEnvironment } from '../environment';

export interface OperationsStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/** Alerting foundation of an environment: the alarm topics every other stack's alarms notify. */
export class OperationsStack extends Stack {
  public readonly alerting: Alerting;
  public readonly monitoring: Monitoring;
  /** Encrypts every log group of the environment; pass it as `encryptionKey` to each `logs.LogGroup`. */
  public readonly logsKey: LogsKey;
  /** The environment's monthly budget (and cost anomaly detection where configured). */
  public readonly costGuard: CostGuard;

  constructor(scope: Construct, id: string, props: OperationsStackProps) {
    super(scope, id, props);
    const { config } = props;
    const { prefix, removalPolicy } = resolveEnvironment(config);
    this.alerting = new Alerting(this, 'Alerting', {
      namePrefix: prefix,
      criticalEmails: config.alarms.criticalEmails,
      warningEmails: config.alarms.warningEmails,
      removalPolicy,
    });
    this.logsKey = new LogsKey(this, 'LogsKey', { removalPolicy });
    this.monitoring = new Monitoring(this, 'Monitoring', { topics: this.alerting, runbookBaseUrl: config.runbookBaseUrl });

    this.costGuard = new CostGuard(this, 'CostGuard', {
      name: prefix,
      monthlyBudgetUsd: config.cost.monthlyBudgetUsd,
      costTag: { key: 'environment', value: config.name },
      topic: this.alerting.warning,
      topicKey: this.alerting.key,
      anomalyDetection:
        config.cost.anomalyAlertUsd === undefined
          ? undefined
          : { thresholdUsd: config.cost.anomalyAlertUsd, emails: config.alarms.warningEmails },
    });

    // If the page itself cannot be delivered, on-call must hear about it through the other channel.
    this.monitoring.addAlarm('CriticalTopicDeliveryFailures', {
      runbook: 'alarm-delivery-failures',
      summary: 'Notifications on the critical alarm topic are failing to deliver: on-call may not be paged.',
      severity: 'warning',
      metric: this.alerting.critical.metricNumberOfNotificationsFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
