import * as fs from 'node:fs';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { STREAM_NAMES } from '../../lambda/contracts/events';
import { RUNBOOK_DIR } from '../../lib/constructs/monitoring';
import { alarmNamedInRunbook, checkRunbook, type AppFacts } from '../helpers/runbook-check';
import { describeArgs, outputsRequest } from '../../scripts/stack-outputs';
import { allEnvironments, REPO_ROOT, stacksOf } from '../helpers/synth';

const { stages } = allEnvironments();
const alarms: { env: AppFacts['envs'][number]; name: string; runbook: string }[] = [];
const facts: AppFacts = {
  streams: STREAM_NAMES,
  envs: stages.map((stage) => {
    const templates = stacksOf(stage).map((s) => Template.fromStack(s).toJSON());
    const env = {
      name: stage.config.name,
      prefix: stage.config.prefix,
      stackPaths: stacksOf(stage).map((s) => s.node.path),
      alarmNames: [] as string[],
      outputs: templates.flatMap((t) => Object.keys(t.Outputs ?? {})),
    };
    for (const t of templates)
      for (const r of Object.values<{ Type: string; Properties: { AlarmName?: string; AlarmDescription?: string } }>(t.Resources))
        if (r.Type === 'AWS::CloudWatch::Alarm') {
          env.alarmNames.push(r.Properties.AlarmName!);
          alarms.push({
            env,
            name: r.Properties.AlarmName!,
            runbook: /docs\/runbooks\/([a-z0-9-]+)\.md/.exec(r.Properties.AlarmDescription!)![1],
          });
        }
    return env;
  }),
};
const runbooks = fs
  .readdirSync(RUNBOOK_DIR)
  .filter((f) => f.endsWith('.md'))
  .sort();
const read = (f: string) => fs.readFileSync(path.join(RUNBOOK_DIR, f), 'utf8');

describe('runbooks work against the synthesized app', () => {
  test('the app has what the checks compare with', () => {
    expect(runbooks.length).toBeGreaterThan(15);
    expect(facts.envs.map((e) => e.stackPaths.length)).toEqual([6, 6, 6]);
    expect(alarms.length).toBeGreaterThan(60);
    expect(facts.envs[0].outputs).toEqual(
      expect.arrayContaining(['LeaseTable', 'FailureQueueUrl', 'StateMachineArn', 'ScheduleDeadLetterQueueUrl', 'Workgroup']),
    );
  });

  test.each(runbooks)('%s: stack selectors, alarm names, outputs and placeholders are real', (file) => {
    expect(checkRunbook(file, read(file), facts)).toEqual([]);
  });

  test('every alarm is named by the runbook it links', () => {
    const missing = alarms
      .filter((a) => !alarmNamedInRunbook(a.name, a.env, facts.streams, read(`${a.runbook}.md`)))
      .map((a) => `${a.runbook}.md lacks ${a.name}`);
    expect([...new Set(missing)]).toEqual([]);
  });

  test('every runbook is linked by an alarm or a document', () => {
    const docs = [
      path.join(REPO_ROOT, 'README.md'),
      ...fs
        .readdirSync(path.join(REPO_ROOT, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => path.join(REPO_ROOT, 'docs', f)),
    ]
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    const linked = new Set(alarms.map((a) => `${a.runbook}.md`));
    expect(runbooks.filter((f) => !linked.has(f) && !docs.includes(`runbooks/${f}`))).toEqual([]);
  });

  test('the checker refuses what broke on-call before: a stack-name selector, placeholders for generated names, a wrong alarm name, a missing output', () => {
    const old = [
      "then `npx cdk deploy -c env=<env> '<prefix>-<env>-streaming'`.",
      '3. Lease table: `aws dynamodb scan --table-name <lease table>`.',
      '   aws sqs receive-message --queue-url <failure queue url> --max-number-of-messages 10',
      '**Alarm:** `<prefix>-<env>-warehouse-AtMaxCapacity` (severity: warning)',
      'the queue (output `FailureQueue`)',
    ].join('\n');
    expect(checkRunbook('old.md', old, facts)).toEqual([
      "old.md: `cdk deploy` selector '<prefix>-<env>-streaming' matches no stack path (e.g. DataPlatform-dev/Operations-dev)",
      'old.md: `<prefix>-<env>-warehouse-AtMaxCapacity` is not the name of an alarm',
      'old.md: output FailureQueue does not exist',
      'old.md: placeholder <lease table> names a generated resource; refer to its output (make outputs ENV=<env>)',
      'old.md: placeholder <failure queue url> names a generated resource; refer to its output (make outputs ENV=<env>)',
    ]);
    expect(alarmNamedInRunbook('dataflow-dev-warehouse-at-max-capacity', facts.envs[0], facts.streams, old)).toBe(false);
  });
});

describe('make outputs', () => {
  test.each(['dev', 'staging', 'prod'])('reads the stacks the app deploys for %s', (name) => {
    const stage = stages.find((s) => s.config.name === name)!;
    const req = outputsRequest(['--env', name]);
    expect(req.stacks).toEqual(stacksOf(stage).map((s) => s.stackName));
    expect(req.region).toBe(stage.config.region);
    expect(describeArgs(req.stacks[0], req.region)).toEqual([
      'cloudformation',
      'describe-stacks',
      '--stack-name',
      `dataflow-${name}-operations`,
      '--region',
      'eu-west-1',
      '--query',
      'Stacks[0].Outputs',
      '--output',
      'json',
    ]);
  });

  test('bad arguments name the variable and the flag', () => {
    expect(() => outputsRequest([])).toThrow('ENV (--env) is required');
    expect(() => outputsRequest(['--env', 'qa'])).toThrow(/ENV \(--env\).*Unknown environment "qa"/);
    expect(() => outputsRequest(['--env', 'dev', '--region', 'mars'])).toThrow(/REGION \(--region\)[^]*region: must be an AWS region/);
    expect(() => outputsRequest(['--env', 'dev', '--output', 'lease table'])).toThrow('OUTPUT (--output) must be an output name');
  });
});
