import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as glue from 'aws-cdk-lib/aws-glue';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { BATCH_METRICS_NAMESPACE, SERVICES, type BatchMetricName } from '../../lambda/contracts/metrics';
import type { IAlarmTopics } from './alerting';
import { Monitoring } from './monitoring';

export interface BatchAlarmsProps {
  readonly topics: IAlarmTopics;
  /** Base URL of the runbooks, ending with `/`. */
  readonly runbookBaseUrl: string;
  readonly stateMachine: sfn.IStateMachine;
  /** The Glue jobs by their physical names. */
  readonly glueJobs: Readonly<{ conform: { job: glue.IJob; name: string }; customerFeatures: { job: glue.IJob; name: string } }>;
  /** Ended executions whose leases could not be released. */
  readonly leaseReleaseDeadLetters: sqs.IQueue;
  /** Schedule invocations that could not start an execution. */
  readonly scheduleDeadLetters: sqs.IQueue;
  /** Whether the hourly schedule runs: the freshness alarm exists only then. */
  readonly scheduleEnabled: boolean;
  /** No successful gold build for this long pages on-call. */
  readonly freshnessSlaMinutes: number;
}

/** The hourly batch's alarms (each with its runbook) and its section of the operations dashboard. */
export class BatchAlarms extends Monitoring {
  constructor(scope: Construct, id: string, props: BatchAlarmsProps) {
    super(scope, id, { topics: props.topics, runbookBaseUrl: props.runbookBaseUrl, title: 'Hourly batch' });
    const sm = props.stateMachine;
    const fiveMin = { period: Duration.minutes(5), statistic: 'Sum' };
    const once = {
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    };
    this.addAlarm('ExecutionsFailed', {
      runbook: 'batch-execution-failed',
      summary: 'An hourly batch execution failed: its window is not loaded and gold is not refreshed.',
      metric: sm.metricFailed(fiveMin),
      ...once,
    });
    this.addAlarm('ExecutionsTimedOut', {
      runbook: 'batch-execution-timed-out',
      summary: 'An hourly batch execution hit its timeout: its window is not loaded (its leases are released by the lease-release rule).',
      metric: sm.metricTimedOut(fiveMin),
      ...once,
    });
    this.addAlarm('ExecutionsAborted', {
      runbook: 'batch-execution-aborted',
      summary: 'An hourly batch execution was aborted (by a person or an API call) before it finished.',
      severity: 'warning',
      metric: sm.metricAborted(fiveMin),
      ...once,
    });
    this.addAlarm('LeaseReleaseFailed', {
      runbook: 'batch-lease-release-failed',
      summary: 'The leases of a failed / timed-out / aborted batch execution could not be released: later runs wait until they expire.',
      metric: props.leaseReleaseDeadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      ...once,
    });
    for (const [id, { job, name }] of [
      ['GlueConformFailed', props.glueJobs.conform],
      ['GlueCustomerFeaturesFailed', props.glueJobs.customerFeatures],
    ] as const) {
      this.addAlarm(id, {
        runbook: 'batch-glue-job-failed',
        summary: `Glue job ${name} failed a run.`,
        metric: job.metricFailure({ period: Duration.minutes(5), statistic: 'Sum' }),
        ...once,
      });
    }
    this.addAlarm('ScheduleDeadLetters', {
      runbook: 'batch-schedule-dead-letters',
      summary: 'The schedule could not start an hourly batch execution (after its retries): that window was not processed.',
      metric: props.scheduleDeadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const batchMetric = (metricName: BatchMetricName, statistic: string, period: Duration) =>
      new cloudwatch.Metric({
        namespace: BATCH_METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: SERVICES.batchControl },
        statistic,
        period,
      });
    if (props.scheduleEnabled) {
      this.addAlarm('FreshnessSla', {
        runbook: 'batch-freshness-sla',
        summary: `No successful gold build in ${props.freshnessSlaMinutes} minutes: analysts see stale data (missing data breaches).`,
        metric: batchMetric('GoldBuildSucceeded', 'Sum', Duration.minutes(props.freshnessSlaMinutes)),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
    }
    const quality = new cloudwatch.MathExpression({
      expression: `SELECT MIN(${'QualityScore' satisfies BatchMetricName}) FROM "${BATCH_METRICS_NAMESPACE}" GROUP BY Dataset`,
      label: 'QualityScore',
      period: Duration.hours(1),
    });
    this.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Batch executions',
        left: [sm.metricSucceeded(fiveMin), sm.metricFailed(fiveMin), sm.metricTimedOut(fiveMin)],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Gold freshness (minutes after window end)',
        left: [batchMetric('DataFreshnessMinutes', 'Maximum', Duration.hours(1))],
        width: 8,
      }),
      new cloudwatch.GraphWidget({ title: 'Quality score by dataset', left: [quality], width: 8 }),
    );
  }
}
