import { Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RELEASE_ON_STATUS } from '../../lambda/contracts/workflow';
import type { BatchFunction } from './batch-function';
import { DeadLetterQueue } from './dead-letter-queue';

export interface LeaseReleaseProps {
  /** The batch state machine whose ended executions are cleaned up after. */
  readonly stateMachine: sfn.IStateMachine;
  /** The release Lambda (`lambda/batch/handlers/release.ts`). */
  readonly function: BatchFunction;
  /** The lease table (conditional deletes only). */
  readonly leaseTable: dynamodb.ITable;
  /** The lease table's key; also encrypts the dead-letter queue. */
  readonly key: kms.IKey;
}

/**
 * Releases the leases of a batch execution that ended FAILED, TIMED_OUT or ABORTED — endings where the state
 * machine's own release step did not run (timeout, abort, `States.Runtime`) or failed. An EventBridge rule on the
 * state machine's "Execution Status Change" events invokes the release Lambda; EventBridge retries delivery, Lambda
 * retries a failed invocation twice, and an event that still could not be handled lands in `deadLetters` (alarm it).
 * The release is a conditional delete per lease (owner = execution ARN), so repeats and races are harmless.
 */
export class LeaseRelease extends Construct {
  public readonly rule: events.Rule;
  /** Events whose leases could not be released (delivery or handler failure). */
  public readonly deadLetters: sqs.Queue;

  constructor(scope: Construct, id: string, props: LeaseReleaseProps) {
    super(scope, id);
    const fn = props.function;
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', { key: props.key, of: 'the lease release' });
    // EventBridge writes undeliverable events to the encrypted queue as itself.
    props.key.grant(new iam.ServicePrincipal('events.amazonaws.com'), 'kms:GenerateDataKey', 'kms:Decrypt');

    // A failed invocation's record goes to the same queue. Granted here, written out (SqsDestination's grant would
    // add kms:GenerateDataKey* / kms:ReEncrypt*): the sender needs SendMessage and the queue key's data key.
    const queue = this.deadLetters;
    const onFailure: lambda.IDestination = { bind: () => ({ destination: queue.queueArn }) };
    fn.function.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6), onFailure });
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'FailedInvocations', actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
    );
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'FailedInvocationsKey',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );

    this.rule = new events.Rule(this, 'ExecutionEnded', {
      description: 'Batch execution ended FAILED / TIMED_OUT / ABORTED: release the leases it still holds',
      eventPattern: leaseReleasePattern(props.stateMachine.stateMachineArn),
      targets: [
        new targets.LambdaFunction(fn.function, { deadLetterQueue: this.deadLetters, retryAttempts: 8, maxEventAge: Duration.hours(6) }),
      ],
    });

    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'ReleaseLeases', actions: ['dynamodb:DeleteItem'], resources: [props.leaseTable.tableArn] }),
    );
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'LeaseTableKey',
        // A conditional delete reads the item (Decrypt); DynamoDB asks for a data key on writes to a CMK table.
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }
}

/** The rule's pattern: this state machine's executions that ended in a status its own steps cannot clean up. */
export function leaseReleasePattern(stateMachineArn: string): events.EventPattern {
  return {
    source: ['aws.states'],
    detailType: ['Step Functions Execution Status Change'],
    detail: { stateMachineArn: [stateMachineArn], status: [...RELEASE_ON_STATUS] },
  };
}
