import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { StackAssets } from '../../lib/readiness/assembly';
import { checkAssets } from '../../lib/readiness/assets';
import { checkGlueArguments } from '../../lib/readiness/glue-arguments';
import { checkGuard } from '../../lib/readiness/guard';
import { runReadinessChecks } from '../../lib/readiness';
import { checkNagHonesty } from '../../lib/readiness/nag-honesty';
import { checkRuntimeConfig } from '../../lib/readiness/runtime-config';
import { GUARD_ACKNOWLEDGEMENTS } from '../../lib/guard-rules';
import { idsOf, synthesizedApp, withTemplate } from './synth';

const input = synthesizedApp();
const ENVS = ['dev', 'staging', 'prod'];
const BATCH = /\/Batch-/;
const STREAMING = /\/Streaming-/;
const messages = (r: { findings: readonly { stack: string; resource: string; message: string }[] }) =>
  r.findings.map((f) => `${f.stack} ${f.resource}: ${f.message}`);

describe('the synthesized app (all three environments)', () => {
  test('covers every environment', () => {
    for (const env of ENVS) expect([...input.templates.keys()]).toContain(`DataPlatform-${env}/Batch-${env}`);
  });

  test.each(['guard', 'nag-honesty', 'runtime-config', 'assets', 'glue-arguments'])(
    '%s: evaluates something and finds nothing',
    (check) => {
      const result = runReadinessChecks(input.templates, input.assets).find((r) => r.check === check)!;
      expect(messages(result)).toEqual([]);
      expect(result.evaluated).toBeGreaterThan(0);
    },
  );
});

describe('guard (Control Tower proactive controls)', () => {
  const result = checkGuard(input.templates);

  test('every violation is acknowledged with the reason of its rule', () => {
    expect(result.acknowledged.length).toBeGreaterThan(0);
    for (const a of result.acknowledged) expect(a.reason).toMatch(/^CT\.[A-Z0-9]+\.PR\.\d+: .{40,}/);
  });

  test('a violation the list does not cover is a finding', () => {
    const withoutObjectLock = GUARD_ACKNOWLEDGEMENTS.filter((a) => a.rule !== 's3_bucket_object_lock_enabled_check');
    const found = checkGuard(input.templates, withoutObjectLock).findings;
    expect(found.map((f) => f.resource)).toEqual(expect.arrayContaining([expect.stringMatching(/Lake\/Raw\/Resource$/)]));
    expect(found.every((f) => f.message.startsWith('s3_bucket_object_lock_enabled_check'))).toBe(true);
  });

  test('a resource that breaks a control outside the list is a finding', () => {
    const templates = withTemplate(input, /DataPlatform-dev\/Batch-dev/, (t) => {
      const dbt = idsOf(t, 'AWS::ECS::TaskDefinition', 'DbtTask')[0];
      for (const c of t.Resources[dbt].Properties.ContainerDefinitions) delete c.User;
    });
    expect(messages(checkGuard(templates))).toEqual([expect.stringMatching(/Dbt\/Task\/Resource: ecs_task_definition_nonroot_user_check/)]);
  });
});

describe('nag-honesty (acknowledged claims hold in the template)', () => {
  test('removing the ecs:cluster condition breaks the state machine role claim', () => {
    const templates = withTemplate(input, BATCH, (t) => {
      for (const id of idsOf(t, 'AWS::IAM::Policy', 'WorkflowStateMachineRole'))
        for (const s of t.Resources[id].Properties.PolicyDocument.Statement)
          if ([s.Action].flat().includes('ecs:StopTask')) delete s.Condition;
    });
    const found = messages(checkNagHonesty(templates));
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/ecs:DescribeTasks\/StopTask without an ecs:cluster condition/);
  });

  test('granting ecs:StopTask on "*" without a condition breaks the IAM5 claim', () => {
    const templates = withTemplate(input, /DataPlatform-prod\/Batch-prod/, (t) => {
      const id = idsOf(t, 'AWS::IAM::Policy', 'WorkflowStateMachineRole')[0];
      t.Resources[id].Properties.PolicyDocument.Statement.push({
        Effect: 'Allow',
        Action: ['ecs:StopTask', 'xray:PutTraceSegments'],
        Resource: '*',
      });
    });
    expect(messages(checkNagHonesty(templates))).toEqual([
      expect.stringMatching(/ecs:StopTask is granted on "\*" without a condition/),
      expect.stringMatching(/ecs:DescribeTasks\/StopTask without an ecs:cluster condition/),
    ]);
  });

  test('re-opening the endpoint security group to the VPC CIDR breaks the source-groups-only claim', () => {
    const templates = withTemplate(input, /DataPlatform-staging\/Batch-staging/, (t) => {
      const sg = idsOf(t, 'AWS::EC2::SecurityGroup', 'EndpointSecurityGroup')[0];
      t.Resources[sg].Properties.SecurityGroupIngress = [{ CidrIp: '10.0.0.0/16', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }];
    });
    expect(messages(checkNagHonesty(templates))).toEqual([expect.stringMatching(/EndpointSecurityGroup.*admits a CIDR range/)]);
  });

  test('a queue without a DLQ that nothing dead-letters into breaks the SQS3 claim', () => {
    const templates = withTemplate(input, /DataPlatform-dev\/Batch-dev/, (t) => {
      for (const id of idsOf(t, 'AWS::Scheduler::Schedule', '')) delete t.Resources[id].Properties.Target.DeadLetterConfig;
    });
    expect(messages(checkNagHonesty(templates))).toEqual([expect.stringMatching(/ScheduleDeadLetters.*no dead-letter destination/)]);
  });

  test('a log group without a key breaks the Guard log-group claim', () => {
    const templates = withTemplate(input, /DataPlatform-dev\/Streaming-dev/, (t) => {
      delete t.Resources[idsOf(t, 'AWS::Logs::LogGroup', 'ProcessorLogs')[0]].Properties.KmsKeyId;
    });
    expect(messages(checkNagHonesty(templates))).toEqual([expect.stringMatching(/ProcessorLogs.*without KmsKeyId/)]);
  });

  test('an identity policy allowing kms:CreateGrant breaks the disabled CT.KMS.PR.3 claim', () => {
    const templates = withTemplate(input, /DataPlatform-dev\/Batch-dev/, (t) => {
      const id = idsOf(t, 'AWS::IAM::Policy', 'ControlRole')[0];
      t.Resources[id].Properties.PolicyDocument.Statement.push({
        Effect: 'Allow',
        Action: 'kms:CreateGrant',
        Resource: { 'Fn::GetAtt': ['Key961B73FD', 'Arn'] },
      });
    });
    expect(messages(checkNagHonesty(templates))).toEqual([expect.stringMatching(/allows kms:CreateGrant/)]);
  });
});

describe('assets (image platform, pinned base images, Lambda runtime)', () => {
  const dbtImage = (assets: ReadonlyMap<string, StackAssets>, stack: string) => Object.entries(assets.get(stack)!.dockerImages)[0];

  test('the dbt image is built for linux/arm64, as its ARM64 task', () => {
    for (const env of ENVS) expect(dbtImage(input.assets, `DataPlatform-${env}/Batch-${env}`)[1].platform).toBe('linux/arm64');
  });

  test('an image asset without a platform is a finding', () => {
    const assets = new Map(
      [...input.assets].map(([stack, a]) => [
        stack,
        { ...a, dockerImages: Object.fromEntries(Object.entries(a.dockerImages).map(([h, d]) => [h, { ...d, platform: undefined }])) },
      ]),
    );
    const found = messages(checkAssets(input.templates, assets));
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/built for the deploying machine's platform \(no platform set\), task runs ARM64/);
  });

  test.each([
    ['FROM public.ecr.aws/docker/library/python:latest', ['public.ecr.aws/docker/library/python:latest']],
    ['FROM python', ['python']],
    ['FROM python:3.11-slim AS build\nFROM build', []],
    ['FROM python:slim', ['python:slim']],
  ])('a Dockerfile %j has unpinned base images %j', (dockerfile, unpinned) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-docker-'));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), `${dockerfile}\nRUN true\n`);
    const stack = 'DataPlatform-dev/Batch-dev';
    const [hash, image] = dbtImage(input.assets, stack);
    const assets = new Map(input.assets).set(stack, {
      ...input.assets.get(stack)!,
      dockerImages: { [hash]: { ...image, directory: dir, dockerFile: 'Dockerfile' } },
    });
    const templates = new Map([[stack, input.templates.get(stack)!]]);
    expect(messages(checkAssets(templates, assets))).toEqual(unpinned.map((u) => expect.stringContaining(`base image ${u} is not pinned`)));
  });

  test('an x86_64 function or another runtime is a finding; the aws-cdk-lib handlers are acknowledged', () => {
    const templates = withTemplate(input, /DataPlatform-dev\/Batch-dev/, (t) => {
      t.Resources[idsOf(t, 'AWS::Lambda::Function', 'LoadFunction')[0]].Properties.Architectures = ['x86_64'];
      t.Resources[idsOf(t, 'AWS::Lambda::Function', 'ControlFunction')[0]].Properties.Runtime = 'nodejs20.x';
    });
    const result = checkAssets(templates, input.assets);
    expect(messages(result)).toEqual([
      expect.stringMatching(/Control\/Function.*runtime nodejs20.x, expected nodejs22.x/),
      expect.stringMatching(/Load\/Function.*architecture x86_64, expected arm64/),
    ]);
    expect(result.acknowledged.length).toBeGreaterThan(0);
  });
});

describe('runtime-config (what the stack writes parses with the runtime schema)', () => {
  test('every batch function and the stream processor are checked in every environment', () => {
    // control, extract, quality, load, release and the stream processor.
    expect(checkRuntimeConfig(input.templates).evaluated).toBe(6 * ENVS.length);
  });

  test('a misspelt variable is a finding', () => {
    const templates = withTemplate(input, /DataPlatform-prod\/Batch-prod/, (t) => {
      const vars = t.Resources[idsOf(t, 'AWS::Lambda::Function', 'QualityFunction')[0]].Properties.Environment.Variables;
      vars.BATCH_CONFG = vars.BATCH_CONFIG;
      delete vars.BATCH_CONFIG;
    });
    expect(messages(checkRuntimeConfig(templates))).toEqual([
      expect.stringMatching(/Quality.*BATCH_CONFIG is not set \(variables: BATCH_CONFG, NODE_OPTIONS\)/),
    ]);
  });

  test('a missing field is a finding naming the field', () => {
    const templates = withTemplate(input, /DataPlatform-dev\/Batch-dev/, (t) => {
      const vars = t.Resources[idsOf(t, 'AWS::Lambda::Function', 'ControlFunction')[0]].Properties.Environment.Variables;
      vars.BATCH_CONFIG = JSON.parse(JSON.stringify(vars.BATCH_CONFIG).replace('leaseTtlSeconds', 'leaseTtl'));
    });
    expect(messages(checkRuntimeConfig(templates))).toEqual([
      expect.stringMatching(/BATCH_CONFIG does not parse as 'batch-control'.*leaseTtlSeconds/),
    ]);
  });

  test('stream processor settings that break the schema are a finding', () => {
    const templates = withTemplate(input, STREAMING, (t) => {
      const vars = t.Resources[idsOf(t, 'AWS::Lambda::Function', 'ProcessorFunction')[0]].Properties.Environment.Variables;
      vars.PROCESSOR_SETTINGS = JSON.parse(JSON.stringify(vars.PROCESSOR_SETTINGS).replace('madZThreshold', 'madZ'));
    });
    const found = messages(checkRuntimeConfig(templates));
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/PROCESSOR_SETTINGS does not parse as 'stream-processor'.*anomaly\.madZThreshold/);
  });

  test('a topic reference that does not deploy as an ARN is a finding naming the field', () => {
    const templates = withTemplate(input, /DataPlatform-prod\/Streaming-prod/, (t) => {
      const vars = t.Resources[idsOf(t, 'AWS::Lambda::Function', 'ProcessorFunction')[0]].Properties.Environment.Variables;
      const parts = vars.PROCESSOR_SETTINGS['Fn::Join'][1] as unknown[];
      const topic = parts.findIndex((p) => JSON.stringify(p).includes('Fn::GetStackOutput'));
      expect(topic).toBeGreaterThan(0);
      parts[topic] = { Ref: idsOf(t, 'AWS::SQS::Queue', 'ProcessorFailureQueue')[0] };
    });
    expect(messages(checkRuntimeConfig(templates))).toEqual([
      expect.stringMatching(/Processor.*PROCESSOR_SETTINGS does not parse as 'stream-processor'.*resources\.alertTopicArn/),
    ]);
  });
});

describe('glue-arguments (what is passed matches what each script reads)', () => {
  const conformStart = (t: Record<string, any>) => idsOf(t, 'AWS::StepFunctions::StateMachine', 'Workflow')[0];

  test('an argument the script needs but nobody passes is a finding', () => {
    const templates = withTemplate(input, /DataPlatform-dev\/Batch-dev/, (t) => {
      const sm = t.Resources[conformStart(t)].Properties;
      sm.DefinitionString = JSON.parse(JSON.stringify(sm.DefinitionString).replace(/--window_start\.\$/g, '--window_begin.$'));
    });
    expect(messages(checkGlueArguments(templates, input.assets))).toEqual([
      expect.stringMatching(/Conform.*--window_start is required by the script but not passed by state 'Glue conform'/),
      expect.stringMatching(/Conform.*--window_begin is passed by state 'Glue conform'.*the script does not read it/),
    ]);
  });

  test('a default argument dropped from the job is a finding', () => {
    const templates = withTemplate(input, /DataPlatform-prod\/Batch-prod/, (t) => {
      delete t.Resources[idsOf(t, 'AWS::Glue::Job', 'GlueCustomerFeatures')[0]].Properties.DefaultArguments['--rules_path'];
    });
    expect(messages(checkGlueArguments(templates, input.assets))).toEqual([
      expect.stringMatching(/CustomerFeatures.*--rules_path is required by the script/),
    ]);
  });
});
