import { Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { BATCH_STATES as S, failureState } from '../../lambda/contracts/workflow';
import { lambdaStep } from './batch-workflow-tasks';

export interface BatchFailurePathProps {
  /** Environment name shown in notifications. */
  readonly environment: string;
  /** Releases the leases (`action: release`). */
  readonly control: lambda.IFunction;
  /** Receives the failure notification (on-call). */
  readonly onCall: sns.ITopic;
  /** Runbook the notification links. @default - no link */
  readonly runbookUrl?: string;
}

type Catchable = sfn.TaskStateBase | sfn.Map | sfn.Parallel;

/**
 * The workflow's failure path, built into the workflow's scope: record the failed state → release the leases →
 * notify on-call (window, state, error, console link, runbook) → Fail. Inside the Parallel, a branch records its
 * failure as its result instead, so the other branch is never stopped half-way.
 */
export class BatchFailurePath {
  /** Notifies on-call, then fails the execution. */
  public readonly notify: tasks.SnsPublish;
  /** Releases the execution's leases, then notifies (a failed release notifies too). */
  public readonly releaseOnFailure: tasks.LambdaInvoke;

  constructor(
    private readonly scope: Construct,
    props: BatchFailurePathProps,
  ) {
    const region = Stack.of(scope).region;
    const owner = sfn.JsonPath.stringAt('$$.Execution.Id');
    // States.Format treats {, }, ' and \\ as syntax: a URL holding one would break the definition.
    if (props.runbookUrl && /[{}'\\]/.test(props.runbookUrl))
      throw new Error(`BatchWorkflow: runbookUrl must not contain { } ' or \\ (got ${props.runbookUrl})`);
    const runbook = props.runbookUrl ? ` | Runbook: ${props.runbookUrl}` : '';
    this.notify = new tasks.SnsPublish(scope, S.notify, {
      topic: props.onCall,
      subject: `DataFlow hourly batch failed (${props.environment})`,
      message: sfn.TaskInput.fromText(
        sfn.JsonPath.format(
          `DataFlow hourly batch (${props.environment}) failed. Window: {} | Failed state: {} | Error: {} | Details: {} | Execution: https://{}.console.aws.amazon.com/states/home?region={}#/v2/executions/details/{}${runbook}`,
          sfn.JsonPath.stringAt('$.failureInfo.window'),
          sfn.JsonPath.stringAt('$.failureInfo.state'),
          sfn.JsonPath.stringAt('$.failureInfo.error'),
          sfn.JsonPath.stringAt('$.failureInfo.details'),
          region,
          region,
          owner,
        ),
      ),
      resultPath: sfn.JsonPath.DISCARD,
    });
    this.notify.addRetry({
      errors: ['SNS.ThrottledException', 'SNS.InternalErrorException', 'SNS.KMSThrottlingException'],
      maxAttempts: 5,
      jitterStrategy: sfn.JitterType.FULL,
    });
    this.notify.next(new sfn.Fail(scope, S.failed, { errorPath: '$.failureInfo.error', causePath: '$.failureInfo.details' }));
    this.releaseOnFailure = lambdaStep(
      scope,
      S.releaseAfterFailure,
      props.control,
      { action: 'release', 'names.$': 'States.Array($.plan.leases.window, $.plan.leases.warehouse, $.plan.leases.features)', owner },
      sfn.JsonPath.DISCARD,
    );
    this.releaseOnFailure.addCatch(this.notify, { resultPath: sfn.JsonPath.DISCARD });
    this.releaseOnFailure.next(this.notify);
  }

  /** Catches any error of `state` into `$.failure` and takes the failure path (without releasing before planning). */
  public catching<T extends Catchable>(state: T, name: string, planned = true): T {
    const record = new sfn.Pass(this.scope, failureState(name), { parameters: failureRecord(name, planned), resultPath: '$.failureInfo' });
    record.next(planned ? this.releaseOnFailure : this.notify);
    state.addCatch(record, { resultPath: '$.failure' });
    return state;
  }

  /** Inside a Parallel branch: the same record, with `failed: true`, becomes the branch's result. */
  public branchFailure(name: string): sfn.Pass {
    return new sfn.Pass(this.scope, failureState(name), { parameters: { failed: true, ...failureRecord(name) } });
  }

  /** Catches any error of a state inside a Parallel branch into the branch's failure result. */
  public catchingInBranch<T extends sfn.TaskStateBase | sfn.Map>(state: T, name: string): T {
    state.addCatch(this.branchFailure(name), { resultPath: '$.failure' });
    return state;
  }
}

/** What a failure handler records from the caught error (`$.failure`): the notification's fields. */
function failureRecord(state: string, planned = true): Record<string, string> {
  return {
    state,
    ...(planned ? { 'window.$': '$.plan.window.start' } : { window: 'not planned (see execution input)' }),
    'error.$': '$.failure.Error',
    'details.$': 'States.JsonToString($.failure)',
  };
}
