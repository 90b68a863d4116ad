import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue';
import { ScheduleRole } from './schedule-role';

export interface WarehouseSnapshotsProps {
  /** The Redshift Serverless namespace to snapshot (its name; lower case). */
  readonly namespaceName: string;
  /** ARN of that namespace (scopes the schedule role's `CreateSnapshot`). */
  readonly namespaceArn: string;
  /** Days each snapshot is kept (Redshift accepts 1–3653). */
  readonly retentionDays: number;
  /** Encrypts the schedule's input and its dead-letter queue. */
  readonly key: kms.IKey;
  /**
   * When the snapshot is taken.
   * @default cron(30 2 * * ? *) — daily at 02:30 UTC, between hourly batch runs
   */
  readonly expression?: string;
}

/**
 * Daily manual snapshots of the warehouse namespace with a finite retention, taken by EventBridge Scheduler calling
 * `redshift-serverless:CreateSnapshot` directly (CloudFormation has no scheduled-snapshot resource for Redshift
 * Serverless). They complement the automatic recovery points (every 30 minutes, kept 24 hours): bronze/silver can
 * be reloaded from the lake, but the SCD2 history in gold exists only in the warehouse. A snapshot the schedule
 * could not take lands in the dead-letter queue; alarm on `deadLetters`.
 */
export class WarehouseSnapshots extends Construct {
  public readonly schedule: scheduler.Schedule;
  /** Invocations the scheduler could not deliver (snapshot not taken). */
  public readonly deadLetters: sqs.Queue;
  public readonly retentionDays: number;

  constructor(scope: Construct, id: string, props: WarehouseSnapshotsProps) {
    super(scope, id);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1 || props.retentionDays > 3653) {
      throw new Error(`WarehouseSnapshots: retentionDays must be a whole number of days in 1–3653 (got ${props.retentionDays})`);
    }
    this.retentionDays = props.retentionDays;
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', { key: props.key, of: 'the snapshot schedule' });
    const role = new ScheduleRole(this, 'ScheduleRole', {
      description: 'Takes the daily warehouse snapshot; sends undeliverable calls to the dead-letter queue',
      deadLetterKey: props.key,
    });
    this.schedule = new scheduler.Schedule(this, 'Daily', {
      description: `Daily snapshot of the warehouse namespace ${props.namespaceName}, kept ${props.retentionDays} days`,
      schedule: scheduler.ScheduleExpression.expression(props.expression ?? 'cron(30 2 * * ? *)'),
      key: props.key,
      target: new targets.Universal({
        service: 'redshiftserverless',
        action: 'createSnapshot',
        input: scheduler.ScheduleTargetInput.fromObject({
          NamespaceName: props.namespaceName,
          // The execution id is lower-case alphanumeric: a valid, unique snapshot name suffix.
          SnapshotName: `${props.namespaceName}-daily-${scheduler.ContextAttribute.executionId}`,
          RetentionPeriod: props.retentionDays,
        }),
        policyStatements: [
          new iam.PolicyStatement({
            actions: ['redshift-serverless:CreateSnapshot'],
            resources: [props.namespaceArn],
          }),
        ],
        retryAttempts: 3,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: this.deadLetters,
        role,
      }),
    });
  }
}
