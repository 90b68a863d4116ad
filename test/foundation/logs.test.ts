import { Template } from 'aws-cdk-lib/assertions';
import { allEnvironments, stacksOf } from '../helpers/synth';

const { stages } = allEnvironments();
const stacks = stages.flatMap((stage) => stacksOf(stage).map((stack) => ({ stage, stack })));

/** Does this log group name point at the given function (`/aws/lambda/<Ref fn>`)? */
function namesFunction(logGroupName: unknown, functionId: string): boolean {
  const s = JSON.stringify(logGroupName ?? '');
  return s.includes('/aws/lambda/') && s.includes(`{"Ref":"${functionId}"}`);
}

describe.each(stacks.map(({ stack, stage }) => [stack.stackName, stack, stage.config.logRetentionDays] as const))(
  'logging in %s',
  (_name, stack) => {
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, any>;
    const logGroups = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Logs::LogGroup');

    test('every Lambda function logs to an explicit log group (never an implicit, never-expiring one)', () => {
      const functions = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
      for (const [id, fn] of functions) {
        const explicit =
          fn.Properties?.LoggingConfig?.LogGroup !== undefined ||
          logGroups.some(([, lg]) => namesFunction(lg.Properties?.LogGroupName, id));
        expect({ id, explicit }).toEqual({ id, explicit: true });
      }
    });
  },
);

test('the dev lake (data deletion allowed) bounds the bucket-emptying function’s logs', () => {
  const dev = stages.find((s) => s.config.name === 'dev')!;
  const resources = Template.fromStack(dev.storage).toJSON().Resources as Record<string, any>;
  const fnIds = Object.entries(resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
    .map(([id]) => id);
  expect(fnIds).toHaveLength(1);
  const lg = Object.values(resources).find((r) => r.Type === 'AWS::Logs::LogGroup' && namesFunction(r.Properties.LogGroupName, fnIds[0]));
  expect(lg.Properties.RetentionInDays).toBe(dev.config.logRetentionDays);
  const autoDeletes = Object.values(resources).filter((r) => r.Type === 'Custom::S3AutoDeleteObjects');
  expect(autoDeletes).toHaveLength(4);
  for (const cr of autoDeletes) expect(cr.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^LakeAutoDeleteObjectsLogs/)]));
});
