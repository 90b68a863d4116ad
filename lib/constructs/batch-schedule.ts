import { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';

export interface BatchScheduleProps {
  readonly scheduleName: string;
  /** EventBridge Scheduler expression, e.g. `cron(5 * * * ? *)`. */
  readonly expression: string;
  readonly enabled: boolean;
  /** The batch state machine each invocation starts. */
  readonly stateMachine: sfn.IStateMachine;
  /** Encrypts the schedule's input. */
  readonly key: kms.IKey;
  /** Starts that could not be delivered after the retries (each is a window not started). */
  readonly deadLetters: sqs.IQueue;
  /** The role the schedule starts executions as (see `ScheduleRole`). */
  readonly role: iam.IRole;
}

/**
 * The hourly batch schedule: starts an execution with the scheduled time as its only input (the execution derives
 * its window from it), retried three times within an hour, then sent to the dead-letter queue.
 */
export class BatchSchedule extends scheduler.Schedule {
  constructor(scope: Construct, id: string, props: BatchScheduleProps) {
    super(scope, id, {
      scheduleName: props.scheduleName,
      description: 'Starts the hourly batch with the scheduled time; the execution derives its window from it',
      schedule: scheduler.ScheduleExpression.expression(props.expression),
      enabled: props.enabled,
      key: props.key,
      target: new targets.StepFunctionsStartExecution(props.stateMachine, {
        input: scheduler.ScheduleTargetInput.fromObject({ scheduledTime: scheduler.ContextAttribute.scheduledTime }),
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
        deadLetterQueue: props.deadLetters,
        role: props.role,
      }),
    });
  }
}
