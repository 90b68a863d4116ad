import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

export interface ScheduleRoleProps {
  readonly description: string;
  /** Key of the schedule's SSE-KMS dead-letter queue. */
  readonly deadLetterKey: kms.IKey;
  /**
   * Only schedules of this schedule group may assume the role (`aws:SourceArn`).
   * @default - any schedule of the account
   */
  readonly scheduleGroupArn?: string;
}

/**
 * An EventBridge Scheduler role, written out so it can be granted the dead-letter queue's key: sending to an SSE-KMS
 * queue needs kms:GenerateDataKey through SQS, which the targets' default roles do not get. The target adds its own
 * statements (start the execution, send to the queue).
 */
export class ScheduleRole extends iam.Role {
  constructor(scope: Construct, id: string, props: ScheduleRoleProps) {
    const { account, region } = Stack.of(scope);
    super(scope, id, {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': account, ...(props.scheduleGroupArn ? { 'aws:SourceArn': props.scheduleGroupArn } : {}) },
        },
      }),
      description: props.description,
    });
    this.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DeadLetterQueueKey',
        actions: ['kms:GenerateDataKey'],
        resources: [props.deadLetterKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${region}.amazonaws.com` } },
      }),
    );
  }
}
