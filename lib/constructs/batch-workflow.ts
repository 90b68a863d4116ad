import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { nagText } from '../nag-text';
import { BatchFailurePath } from './batch-workflow-failure';
import type { BatchWorkflowProps } from './batch-workflow-props';
import { dbtStep, glueStep, lambdaStep, LEASE_RETRY } from './batch-workflow-tasks';
import {
  BATCH_STATES as S,
  BATCH_TIMEOUT_SECONDS,
  DBT_EXIT_CODE_STEP,
  mapItemState,
  PREDECESSOR_LOADING,
  type BatchStateId,
} from '../../lambda/contracts/workflow';

/**
 * The hourly batch as a Step Functions state machine (JSONPath, logging ALL, X-Ray, a timeout):
 *
 *   Plan → Acquire window lease → Extract (Map) → Quality gate (Map) → Glue conform
 *   → Parallel ┬ Acquire features lease (the day) → Glue customer_features → Release features lease
 *              └ Acquire warehouse lease → Load (Map) → dbt build (Fargate) → exit code check
 *   → Release leases → Publish → customer features ok?
 *
 * customer_features reads only committed conformed partitions (those with a manifest) and writes only its day's
 * analytics partition, under the day's lease, so it runs beside the warehouse branch instead of in front of it:
 * gold does not wait for it, nor fail because of it. Leases of an execution that ends without its release steps
 * (timeout, abort, runtime error, a failed release) are freed by the LeaseRelease rule. Transient errors
 * are retried with exponential backoff and full jitter; anything else is caught by a per-state handler that records
 * the failed state, releases the leases, notifies on-call (window, state, error, console link) and ends in Fail.
 * Inside the Parallel, a branch records its failure as its result instead of failing, so the other branch is never
 * stopped half-way (e.g. a COPY transaction mid-flight); the failure is routed once both branches are done. A
 * failed customer_features run still lets gold be built and its metrics published, then notifies and fails.
 */
export class BatchWorkflow extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly logGroup: logs.LogGroup;
  public readonly timeout: Duration;
  /** Encrypts the definition and the execution history. */
  public readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: BatchWorkflowProps) {
    super(scope, id);
    this.timeout = props.timeout ?? Duration.seconds(BATCH_TIMEOUT_SECONDS);
    this.key = props.key;
    const owner = sfn.JsonPath.stringAt('$$.Execution.Id');
    const window = '$.plan.window';
    const step = (stateId: string, fn: lambda.IFunction, payload: Record<string, unknown>, resultPath?: string) =>
      lambdaStep(this, stateId, fn, payload, resultPath);
    const failure = new BatchFailurePath(this, {
      environment: props.environment,
      control: props.control,
      onCall: props.onCall,
      runbookUrl: props.runbookUrl,
    });
    const catching = failure.catching.bind(failure);
    const catchingInBranch = failure.catchingInBranch.bind(failure);

    // ---- happy path
    const planStep = catching(step(S.plan, props.control, { action: 'plan', 'input.$': '$' }, '$.plan'), S.plan, false);
    const acquireWindow = catching(
      step(S.acquireWindow, props.control, { action: 'acquire', 'name.$': '$.plan.leases.window', owner }, sfn.JsonPath.DISCARD).addRetry(
        LEASE_RETRY,
      ),
      S.acquireWindow,
    );
    const perTable = (stateId: BatchStateId, itemsPath: string, fn: lambda.IFunction, resultPath: string, maxConcurrency: number) =>
      new sfn.Map(this, stateId, {
        itemsPath,
        itemSelector: { 'table.$': '$$.Map.Item.Value', 'window.$': window },
        maxConcurrency,
        resultPath,
      }).itemProcessor(step(mapItemState(stateId), fn, { 'table.$': '$.table', 'window.$': '$.window' }));
    const extract = catching(perTable(S.extract, '$.plan.tables', props.extract, '$.extracts', props.extractConcurrency ?? 4), S.extract);
    const quality = catching(perTable(S.quality, '$.plan.tables', props.quality, '$.quality', 4), S.quality);

    const conform = catching(glueStep(this, S.conform, props.conformJob, { '--window_start.$': `${window}.start` }), S.conform);
    // The day's features are written by one execution at a time (backfills run several hours of a day at once).
    const acquireFeatures = catchingInBranch(
      step(
        S.acquireFeatures,
        props.control,
        { action: 'acquire', 'name.$': '$.plan.leases.features', owner },
        sfn.JsonPath.DISCARD,
      ).addRetry({
        ...LEASE_RETRY,
        // Another execution of the day runs the job (minutes): wait up to ~40 minutes for it.
        maxAttempts: 10,
        maxDelay: Duration.minutes(5),
      }),
      S.acquireFeatures,
    );
    const features = catchingInBranch(glueStep(this, S.features, props.featuresJob, { '--as_of_date.$': '$.plan.asOfDate' }), S.features);
    const releaseFeatures = catchingInBranch(
      step(
        S.releaseFeatures,
        props.control,
        { action: 'release', 'names.$': 'States.Array($.plan.leases.features)', owner },
        sfn.JsonPath.DISCARD,
      ),
      S.releaseFeatures,
    );

    const acquireWarehouse = catchingInBranch(
      step(
        S.acquireWarehouse,
        props.control,
        { action: 'acquire', 'name.$': '$.plan.leases.warehouse', owner, 'after.$': '$.plan.predecessor' },
        sfn.JsonPath.DISCARD,
      )
        .addRetry(LEASE_RETRY)
        // A backfill's window loads after its predecessor: polled each minute, up to the timeout less 30 min for its own load and dbt.
        .addRetry({
          errors: [PREDECESSOR_LOADING],
          interval: Duration.minutes(1),
          backoffRate: 1,
          maxAttempts: Math.max(1, this.timeout.toMinutes() - 30),
        }),
      S.acquireWarehouse,
    );
    const load = catchingInBranch(perTable(S.load, '$.plan.warehouseTables', props.load, '$.loads', 2), S.load);

    const transform = dbtStep(this, S.dbt, props.dbt);
    catchingInBranch(transform, S.dbt);
    const dbtFailed = new sfn.Pass(this, S.dbtFailed, {
      parameters: { Error: 'DbtBuildFailed', 'Cause.$': 'States.JsonToString($.transform.Containers)' },
      resultPath: '$.failure',
    }).next(failure.branchFailure(DBT_EXIT_CODE_STEP));
    const exitOk = sfn.Condition.and(
      sfn.Condition.isPresent('$.transform.Containers[0].ExitCode'),
      sfn.Condition.numberEquals('$.transform.Containers[0].ExitCode', 0),
    );
    const warehouseBuilt = new sfn.Pass(this, S.warehouseBuilt, { parameters: { failed: false, 'loads.$': '$.loads' } });
    const featuresBuilt = new sfn.Pass(this, S.featuresBuilt, { parameters: { failed: false } });
    const branches = catching(
      new sfn.Parallel(this, S.branches, {
        resultSelector: { 'features.$': '$[0]', 'warehouse.$': '$[1]' },
        resultPath: '$.branches',
      })
        .branch(acquireFeatures.next(features).next(releaseFeatures).next(featuresBuilt))
        .branch(
          acquireWarehouse
            .next(load)
            .next(transform)
            .next(new sfn.Choice(this, S.dbtExitCode).when(exitOk, warehouseBuilt).otherwise(dbtFailed)),
        ),
      S.branches,
    );
    type Branch = 'features' | 'warehouse';
    /** A failed branch's record is already a failure record: it becomes $.failureInfo as it is. */
    const branchFailed = (branch: Branch, stateId: string) =>
      new sfn.Pass(this, stateId, { inputPath: `$.branches.${branch}`, resultPath: '$.failureInfo' });

    const release = catching(
      step(
        S.release,
        props.control,
        {
          action: 'release',
          'names.$': 'States.Array($.plan.leases.window, $.plan.leases.warehouse, $.plan.leases.features)',
          owner,
          'loaded.$': '$.plan.windowId',
        },
        sfn.JsonPath.DISCARD,
      ),
      S.release,
    );
    const publish = catching(
      step(S.publish, props.control, { action: 'publish', 'window.$': window, 'loads.$': '$.branches.warehouse.loads' }, '$.published'),
      S.publish,
    );
    const failedFlag = (branch: Branch) => sfn.Condition.booleanEquals(`$.branches.${branch}.failed`, true);
    const featuresOk = new sfn.Choice(this, S.featuresOk)
      .when(failedFlag('features'), branchFailed('features', S.featuresBranchFailed).next(failure.notify))
      .otherwise(new sfn.Succeed(this, S.goldBuilt));
    const warehouseOk = new sfn.Choice(this, S.warehouseOk)
      .when(failedFlag('warehouse'), branchFailed('warehouse', S.warehouseBranchFailed).next(failure.releaseOnFailure))
      .otherwise(release.next(publish).next(featuresOk));

    const definition = planStep.next(acquireWindow).next(extract).next(quality).next(conform).next(branches).next(warehouseOk);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${props.name}-hourly-batch`,
      retention: props.logRetention,
      encryptionKey: props.logsKey,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: `${props.name}-hourly-batch`,
      comment: 'DataFlow hourly batch: OLTP extract → quality gate → Glue → Redshift load → dbt → metrics',
      queryLanguage: sfn.QueryLanguage.JSON_PATH,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: this.timeout,
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      // Also grants the role the key (execution data, log data keys) and lets CloudWatch Logs delivery decrypt.
      encryptionConfiguration: new sfn.CustomerManagedEncryptionConfiguration(props.key),
    });
    const clusterTasks = Stack.of(this).formatArn({
      service: 'ecs',
      resource: 'task',
      resourceName: `${props.dbt.cluster.clusterName}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    Validations.of(this.stateMachine.role).acknowledge(
      ...[props.control, props.extract, props.quality, props.load].map((fn) => ({
        id: `AwsSolutions-IAM5[Resource::${nagText(this, fn.functionArn)}:*]`,
        reason: 'Invoking the batch Lambda at any of its versions/aliases (Step Functions LambdaInvoke grants the qualified ARN).',
      })),
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray tracing and CloudWatch Logs delivery (logs:*LogDelivery, logs:DescribeResourcePolicies) support no resource-level permissions.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${nagText(this, clusterTasks)}]`,
        reason:
          'ecs:DescribeTasks/StopTask for the .sync dbt task: any task of the dbt cluster (task ids are not known before the run), with an ecs:cluster condition on the same cluster.',
      },
    );
  }

  /** Lets `grantee` use the key as starting or reading executions needs (besides the states:* action), in this state machine's context only. */
  public grantKeyUse(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'BatchStateMachineKey',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [this.key.keyArn],
        conditions: { StringEquals: { 'kms:EncryptionContext:aws:states:stateMachineArn': this.stateMachine.stateMachineArn } },
      }),
    );
  }
}

export type { BatchWorkflowProps };
