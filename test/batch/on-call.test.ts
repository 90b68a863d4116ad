import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { loadEnvironmentConfig } from '../../lib/config';
import { DataPlatformStage } from '../../lib/data-platform-stage';
import { cdkJsonContext } from '../helpers/synth';

const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
const stage = new DataPlatformStage(app, { config: loadEnvironmentConfig('prod') });
const batch = Template.fromStack(stage.batch);
const definition = JSON.stringify(
  batch.toJSON().Resources[stage.batch.getLogicalId(stage.batch.workflow.stateMachine.node.defaultChild as never)].Properties
    .DefinitionString,
);

describe('the batch gives on-call something to act on', () => {
  test('the schedule’s dead-letter queue alarms as soon as it holds a message, linking its runbook', () => {
    batch.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'dataflow-prod-batch-schedule-dead-letters',
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [stage.batch.getLogicalId(stage.batch.scheduleDeadLetters.node.defaultChild as never), 'QueueName'] },
        },
      ],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmDescription: Match.stringLikeRegexp('docs/runbooks/batch-schedule-dead-letters\\.md$'),
    });
  });

  test('the failure notification links the batch-failure runbook', () => {
    expect(definition).toContain(`| Runbook: ${stage.config.runbookBaseUrl}docs/runbooks/batch-execution-failed.md`);
  });

  test('the dbt task gets the window’s run_results key and may put only there and to the lineage lake copy (plus the lake key via S3)', () => {
    expect(definition).toContain(
      '\\"Name\\":\\"DBT_RUN_RESULTS_KEY\\",\\"Value.$\\":\\"States.Format(\'dbt-runs/window={}/run_results.json\', $.plan.windowId)\\"',
    );
    const role = stage.batch.getLogicalId(stage.batch.dbt.taskDefinition.taskRole.node.defaultChild as never);
    const policies = Object.values(batch.findResources('AWS::IAM::Policy')).filter((p: any) =>
      p.Properties.Roles.some((r: any) => r.Ref === role),
    ) as any[];
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    const put = statements.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('s3:')));
    // Puts only: the window's run results, and the build's OpenLineage events (the lineage lake copy).
    expect(put.map((s: any) => [s.Sid, s.Action])).toEqual([
      ['RunResults', 's3:PutObject'],
      ['LineageLakeCopy', 's3:PutObject'],
    ]);
    expect(JSON.stringify(put[0].Resource)).toMatch(/-staging-.*\/dbt-runs\/\*/);
    expect(JSON.stringify(put[1].Resource)).toMatch(/-staging-.*\/lineage\/\*/);
    const kms = statements.find((s: any) => s.Sid === 'RunResultsKey');
    expect(kms.Action).toBe('kms:GenerateDataKey');
    expect(kms.Condition).toEqual({ StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } });
    batch.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({ Environment: Match.arrayWith([Match.objectLike({ Name: 'DATAFLOW_RUN_RESULTS_BUCKET' })]) }),
      ],
    });
  });
});
