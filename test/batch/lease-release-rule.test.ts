/** The deployed wiring of the lease release: the rule's pattern against sample events, target retries/DLQ, grants. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { GLUE_MAX_CONCURRENT_RUNS, MAX_BACKFILL_CONCURRENCY } from '../../lib/config';
import { GLUE_CONCURRENCY_RETRY } from '../../lib/constructs/batch-workflow-tasks';
import { synthesizedBatchAsl } from '../../scripts/local/batch/asl';
import { allEnvironments } from '../helpers/synth';
import { matchesPattern } from '../helpers/event-pattern';

const { stages } = allEnvironments();
const dev = stages.find((s) => s.config.name === 'dev')!;
const t = Template.fromStack(dev.batch);
const SM = 'arn:aws:states:eu-west-1:111111111111:stateMachine:dataflow-dev-hourly-batch';
const smLogicalId = dev.batch.getLogicalId(dev.batch.workflow.stateMachine.node.defaultChild as never);

/** The rule's EventPattern with the state machine reference resolved to SM. */
function pattern(): Record<string, unknown> {
  const rules = t.findResources('AWS::Events::Rule', { Properties: { Description: Match.stringLikeRegexp('release the leases') } });
  expect(Object.keys(rules)).toHaveLength(1);
  const raw = JSON.stringify((Object.values(rules)[0] as { Properties: { EventPattern: unknown } }).Properties.EventPattern);
  return JSON.parse(raw.replace(JSON.stringify({ Ref: smLogicalId }), JSON.stringify(SM)));
}

const event = (status: string, stateMachineArn = SM) => ({
  version: '0',
  'detail-type': 'Step Functions Execution Status Change',
  source: 'aws.states',
  detail: { executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:x`, stateMachineArn, status, input: '{}' },
});

test.each(['FAILED', 'TIMED_OUT', 'ABORTED'])('the rule matches an execution of the batch that ended %s', (status) => {
  expect(matchesPattern(pattern(), event(status))).toBe(true);
});

test.each(['SUCCEEDED', 'RUNNING', 'PENDING_REDRIVE'])(
  'the rule ignores %s (the state machine released its own leases, or still holds them)',
  (status) => {
    expect(matchesPattern(pattern(), event(status))).toBe(false);
  },
);

test('the rule ignores other state machines and other event types', () => {
  expect(matchesPattern(pattern(), event('FAILED', SM.replace('dataflow-dev', 'dataflow-staging')))).toBe(false);
  expect(matchesPattern(pattern(), { ...event('FAILED'), 'detail-type': 'Step Functions State Machine Status Change' })).toBe(false);
  expect(matchesPattern(pattern(), { ...event('FAILED'), source: 'aws.batch' })).toBe(false);
});

test('the matcher itself rejects what it should (a pattern without the status filter matches SUCCEEDED)', () => {
  const loose = pattern();
  delete (loose.detail as Record<string, unknown>).status;
  expect(matchesPattern(loose, event('SUCCEEDED'))).toBe(true);
});

test('delivery: the release Lambda is the target, with retries and a dead-letter queue; Lambda retries into the same queue', () => {
  t.hasResourceProperties('AWS::Events::Rule', {
    Targets: [
      Match.objectLike({
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 21600 },
        DeadLetterConfig: { Arn: Match.anyValue() },
      }),
    ],
  });
  t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
    MaximumRetryAttempts: 2,
    DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
  });
  const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((a) =>
    JSON.stringify((a as { Properties: { AlarmDescription: unknown } }).Properties.AlarmDescription),
  );
  expect(alarms.some((d) => d.includes('docs/runbooks/batch-lease-release-failed.md'))).toBe(true);
});

test('the release Lambda may only delete leases (the one call it makes) and dead-letter a failed invocation', () => {
  const policies = Object.values(t.findResources('AWS::IAM::Policy')) as {
    Properties: { PolicyDocument: { Statement: { Sid?: string; Action: string | string[] }[] } };
  }[];
  const releasePolicy = policies.find((p) => p.Properties.PolicyDocument.Statement.some((s) => s.Sid === 'ReleaseLeases'));
  expect(releasePolicy).toBeDefined();
  const bySid = Object.fromEntries(
    releasePolicy!.Properties.PolicyDocument.Statement.filter((s) => s.Sid).map((s) => [s.Sid, [s.Action].flat().sort()]),
  );
  expect(bySid).toMatchObject({
    ReleaseLeases: ['dynamodb:DeleteItem'],
    LeaseTableKey: ['kms:Decrypt', 'kms:GenerateDataKey'],
    FailedInvocations: ['sqs:SendMessage'],
    FailedInvocationsKey: ['kms:Decrypt', 'kms:GenerateDataKey'],
  });
  const all = releasePolicy!.Properties.PolicyDocument.Statement.flatMap((s) => [s.Action].flat());
  expect(all.filter((a) => /^(dynamodb|sqs|kms):/.test(a)).sort()).toEqual([
    'dynamodb:DeleteItem',
    'kms:Decrypt',
    'kms:Decrypt',
    'kms:GenerateDataKey',
    'kms:GenerateDataKey',
    'sqs:SendMessage',
  ]);
});

test('Glue ConcurrentRunsExceededException is waited out with its own long backoff, on both Glue states', () => {
  const states = synthesizedBatchAsl('dev').States as Record<string, { Branches?: { States: Record<string, { Retry?: unknown[] }> }[] }>;
  const glue = [states['Glue conform'], states['Features and warehouse'].Branches![0].States['Glue customer features']] as {
    Retry: Record<string, unknown>[];
  }[];
  for (const state of glue) {
    expect(state.Retry[0]).toEqual({
      ErrorEquals: ['Glue.ConcurrentRunsExceededException'],
      IntervalSeconds: 60,
      MaxAttempts: GLUE_CONCURRENCY_RETRY.maxAttempts,
      BackoffRate: 2,
      MaxDelaySeconds: 600,
      JitterStrategy: 'FULL',
    });
    // not also in the short generic retrier, which would otherwise give up first
    expect(state.Retry.slice(1).flatMap((r) => r.ErrorEquals as string[])).not.toContain('Glue.ConcurrentRunsExceededException');
  }
  expect(GLUE_CONCURRENCY_RETRY.maxAttempts).toBeGreaterThanOrEqual(10);
});

test('the Glue jobs accept exactly the concurrency the backfill CLI is capped at (one shared constant)', () => {
  for (const name of ['dataflow-dev-conform', 'dataflow-dev-customer-features']) {
    t.hasResourceProperties('AWS::Glue::Job', { Name: name, ExecutionProperty: { MaxConcurrentRuns: GLUE_MAX_CONCURRENT_RUNS } });
  }
  expect(MAX_BACKFILL_CONCURRENCY).toBeLessThanOrEqual(GLUE_MAX_CONCURRENT_RUNS);
});
