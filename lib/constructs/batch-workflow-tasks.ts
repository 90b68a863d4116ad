import { Duration } from 'aws-cdk-lib';
import type * as glue from 'aws-cdk-lib/aws-glue';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { DBT_RUN_RESULTS_KEY_TEMPLATE } from '../../lambda/contracts/lake-keys';
import type { BatchWorkflowProps } from './batch-workflow-props';
import { ClusterScopedEcsRunTask } from './cluster-scoped-run-task';
import { LEASE_HELD_ERROR } from '../../lambda/contracts/workflow';

/** Lambda / SDK errors worth retrying: the service or a dependency was briefly unavailable or throttled. */
export const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
  'TransientError',
  'ThrottlingException',
  'SlowDown',
  'ServiceUnavailable',
  'InternalError',
  'InternalServerException',
  'ProvisionedThroughputExceededException',
  'TimeoutError',
];
/** Glue StartJobRun errors that are transient (a failed job run, `States.TaskFailed`, is not). */
export const GLUE_TRANSIENT_ERRORS = ['Glue.ThrottlingException', 'Glue.InternalServiceException', 'Glue.OperationTimeoutException'];
/**
 * The job already runs its maximum of concurrent runs (backfills, a rerun beside the schedule): wait for a slot.
 * A run takes minutes, so this backs off further and for longer than the other transient errors (up to ~1 hour).
 */
export const GLUE_CONCURRENCY_RETRY = {
  error: 'Glue.ConcurrentRunsExceededException',
  interval: Duration.seconds(60),
  maxAttempts: 10,
  backoffRate: 2,
  maxDelay: Duration.minutes(10),
};
/** ECS RunTask errors that are transient. */
export const ECS_TRANSIENT_ERRORS = ['ECS.AmazonECSException', 'ECS.ServerException', 'ECS.ThrottlingException'];
/** Another execution holds the lease: wait for it with backoff (up to ~15 minutes). */
export const LEASE_RETRY: sfn.RetryProps = {
  errors: [LEASE_HELD_ERROR],
  interval: Duration.seconds(30),
  maxAttempts: 5,
  backoffRate: 2,
  maxDelay: Duration.minutes(8),
  jitterStrategy: sfn.JitterType.FULL,
};

/** A batch Lambda step: the payload plus the execution name, transient errors retried with full jitter. */
export function lambdaStep(
  scope: Construct,
  stateId: string,
  fn: lambda.IFunction,
  payload: Record<string, unknown>,
  resultPath?: string,
): tasks.LambdaInvoke {
  const step = new tasks.LambdaInvoke(scope, stateId, {
    lambdaFunction: fn,
    // The execution name rides along as the handlers' `execution` log key.
    payload: sfn.TaskInput.fromObject({ ...payload, 'execution.$': '$$.Execution.Name' }),
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    // Lambda's own limit plus a minute: a hung invocation surfaces as States.Timeout, not as a stuck run.
    taskTimeout: sfn.Timeout.duration(Duration.minutes(16)),
    resultPath,
  });
  step.addRetry({
    errors: LAMBDA_TRANSIENT_ERRORS,
    interval: Duration.seconds(2),
    maxAttempts: 4,
    backoffRate: 2,
    maxDelay: Duration.seconds(60),
    jitterStrategy: sfn.JitterType.FULL,
  });
  return step;
}

/** A Glue job run the workflow waits for; a full job and transient API errors are retried, a failed run is not. */
export function glueStep(scope: Construct, stateId: string, job: glue.IJob, args: Record<string, string>): tasks.GlueStartJobRun {
  const step = new tasks.GlueStartJobRun(scope, stateId, {
    glueJobName: job.jobName,
    integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    arguments: sfn.TaskInput.fromObject(args),
    // The job's own timeout (45 min by default) plus queueing margin.
    taskTimeout: sfn.Timeout.duration(Duration.minutes(60)),
    resultPath: sfn.JsonPath.DISCARD,
  });
  step.addRetry({
    errors: [GLUE_CONCURRENCY_RETRY.error],
    interval: GLUE_CONCURRENCY_RETRY.interval,
    maxAttempts: GLUE_CONCURRENCY_RETRY.maxAttempts,
    backoffRate: GLUE_CONCURRENCY_RETRY.backoffRate,
    maxDelay: GLUE_CONCURRENCY_RETRY.maxDelay,
    jitterStrategy: sfn.JitterType.FULL,
  });
  step.addRetry({
    errors: GLUE_TRANSIENT_ERRORS,
    interval: Duration.seconds(30),
    maxAttempts: 3,
    backoffRate: 2,
    maxDelay: Duration.minutes(5),
    jitterStrategy: sfn.JitterType.FULL,
  });
  return step;
}

/** The dbt build on Fargate for the plan's day and window (its run results go to the lake under the window's key). */
export function dbtStep(scope: Construct, stateId: string, dbt: BatchWorkflowProps['dbt']): ClusterScopedEcsRunTask {
  const step = new ClusterScopedEcsRunTask(scope, stateId, {
    integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    cluster: dbt.cluster,
    taskDefinition: dbt.taskDefinition,
    launchTarget: new tasks.EcsFargateLaunchTarget(),
    subnets: dbt.subnets,
    securityGroups: dbt.securityGroups,
    assignPublicIp: false,
    containerOverrides: [
      {
        containerDefinition: dbt.container,
        environment: [
          { name: 'DBT_AS_OF_DATE', value: sfn.JsonPath.stringAt('$.plan.asOfDate') },
          {
            name: 'DBT_RUN_RESULTS_KEY',
            value: sfn.JsonPath.format(DBT_RUN_RESULTS_KEY_TEMPLATE, sfn.JsonPath.stringAt('$.plan.windowId')),
          },
        ],
      },
    ],
    taskTimeout: sfn.Timeout.duration(Duration.minutes(45)),
    resultPath: '$.transform',
  });
  step.addRetry({
    errors: ECS_TRANSIENT_ERRORS,
    interval: Duration.seconds(10),
    maxAttempts: 3,
    backoffRate: 2,
    jitterStrategy: sfn.JitterType.FULL,
  });
  return step;
}
