import { Stack } from 'aws-cdk-lib';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as ce from 'aws-cdk-lib/aws-ce';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface CostGuardProps {
  /** Budget name and anomaly monitor name prefix, e.g. `dataflow-prod`. */
  readonly name: string;
  /** Monthly cost budget in USD. */
  readonly monthlyBudgetUsd: number;
  /** The cost allocation tag every resource of the environment carries (key and value), e.g. `environment=prod`. */
  readonly costTag: { readonly key: string; readonly value: string };
  /** Topic the budget alerts go to (the warning topic). */
  readonly topic: sns.ITopic;
  /** The topic's encryption key: AWS Budgets must be allowed to use it to publish. */
  readonly topicKey: kms.IKey;
  /**
   * Percentage of the budget at which actual spend alerts.
   * @default 80
   */
  readonly actualAlertPercent?: number;
  /**
   * Cost Anomaly Detection on the tagged costs, e-mailed daily when an anomaly's impact reaches `thresholdUsd`.
   * @default - no anomaly detection
   */
  readonly anomalyDetection?: { readonly thresholdUsd: number; readonly emails: readonly string[] };
}

/**
 * Cost guard rails of one environment: an AWS Budgets monthly budget on the environment's tagged costs that alerts
 * the warning topic at `actualAlertPercent` of actual spend and at 100% of forecast spend, and optionally a Cost
 * Anomaly Detection monitor on the same tag. The cost allocation tag must be activated in the billing console once
 * per account for both to see the costs.
 */
export class CostGuard extends Construct {
  public readonly budget: budgets.CfnBudget;
  public readonly anomalyMonitor?: ce.CfnAnomalyMonitor;
  public readonly anomalySubscription?: ce.CfnAnomalySubscription;

  constructor(scope: Construct, id: string, props: CostGuardProps) {
    super(scope, id);
    const account = Stack.of(this).account;
    const budgetsPrincipal = new iam.ServicePrincipal('budgets.amazonaws.com');
    const sameAccount = { StringEquals: { 'aws:SourceAccount': account } };

    props.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowBudgetAlerts',
        principals: [budgetsPrincipal],
        actions: ['sns:Publish'],
        resources: [props.topic.topicArn],
        conditions: sameAccount,
      }),
    );
    props.topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowBudgetAlertsToEncryptedTopic',
        principals: [budgetsPrincipal],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: sameAccount,
      }),
    );

    const subscribers = [{ subscriptionType: 'SNS', address: props.topic.topicArn }];
    this.budget = new budgets.CfnBudget(this, 'Budget', {
      budget: {
        budgetName: `${props.name}-monthly`,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: props.monthlyBudgetUsd, unit: 'USD' },
        costFilters: { TagKeyValue: [`user:${props.costTag.key}$${props.costTag.value}`] },
      },
      notificationsWithSubscribers: [
        {
          notification: {
            notificationType: 'ACTUAL',
            comparisonOperator: 'GREATER_THAN',
            threshold: props.actualAlertPercent ?? 80,
            thresholdType: 'PERCENTAGE',
          },
          subscribers,
        },
        {
          notification: { notificationType: 'FORECASTED', comparisonOperator: 'GREATER_THAN', threshold: 100, thresholdType: 'PERCENTAGE' },
          subscribers,
        },
      ],
    });

    if (props.anomalyDetection) {
      this.anomalyMonitor = new ce.CfnAnomalyMonitor(this, 'AnomalyMonitor', {
        monitorName: `${props.name}-costs`,
        monitorType: 'CUSTOM',
        monitorSpecification: JSON.stringify({ Tags: { Key: props.costTag.key, Values: [props.costTag.value], MatchOptions: ['EQUALS'] } }),
      });
      this.anomalySubscription = new ce.CfnAnomalySubscription(this, 'AnomalySubscription', {
        subscriptionName: `${props.name}-cost-anomalies`,
        frequency: 'DAILY',
        monitorArnList: [this.anomalyMonitor.attrMonitorArn],
        subscribers: props.anomalyDetection.emails.map((address) => ({ type: 'EMAIL', address })),
        thresholdExpression: JSON.stringify({
          Dimensions: {
            Key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE',
            MatchOptions: ['GREATER_THAN_OR_EQUAL'],
            Values: [String(props.anomalyDetection.thresholdUsd)],
          },
        }),
      });
    }
  }
}
