import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { requiredArguments } from '../../lib/readiness/glue-arguments';
import { unpinnedBaseImages } from '../../lib/readiness/assets';
import { actionSupportsResources } from '../../lib/readiness/nag-honesty';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { StrictGuardValidator } from '../../lib/guard-validator';
import { REPO_ROOT } from '../helpers/synth';

describe('reading a Glue script for the arguments it requires', () => {
  test('conform.py: the names of the module-level ARGS list it passes to job_context', () => {
    const script = fs.readFileSync(path.join(REPO_ROOT, 'glue-scripts', 'jobs', 'conform.py'), 'utf8');
    expect(requiredArguments(script).sort()).toEqual([
      'staging_root',
      'stream_late_hours',
      'stream_specs',
      'table_specs',
      'tables',
      'window_start',
    ]);
  });

  test('a list written in the call', () => {
    expect(requiredArguments('args, spark, job = job_context(sys.argv, "app", ["a", \'b\'])')).toEqual(['a', 'b']);
  });

  test('a script without job_context, with an undefined list or an unquoted item, is refused', () => {
    expect(() => requiredArguments('print(1)')).toThrow(/no job_context/);
    expect(() => requiredArguments('job_context(argv, "app", MISSING)')).toThrow(/MISSING is not defined/);
    expect(() => requiredArguments('EXTRA = ["b"]\njob_context(argv, "app", ["a", *EXTRA])')).toThrow(
      /cannot read argument list item \*EXTRA/,
    );
  });
});

test('base images: version tags and digests are pinned; latest, no tag or a word tag are not', () => {
  expect(unpinnedBaseImages('FROM python:3.11.14-slim-bookworm\nFROM alpine@sha256:abc\n')).toEqual([]);
  expect(unpinnedBaseImages('FROM --platform=linux/arm64 python:latest\nFROM node\nFROM debian:bookworm')).toEqual([
    'python:latest',
    'node',
    'debian:bookworm',
  ]);
});

test('IAM actions: resource-level support is read from the service authorization data', () => {
  expect(actionSupportsResources('ecs:StopTask')).toBe(true);
  expect(actionSupportsResources('xray:PutTraceSegments')).toBe(false);
  expect(actionSupportsResources('logs:DescribeResourcePolicies')).toBe(false);
});

test('the Guard plugin fails synth on an unacknowledged violation even when another is acknowledged', () => {
  const app = new App();
  const stack = new Stack(app, 'Probe');
  const acked = new s3.Bucket(stack, 'Acknowledged');
  new s3.Bucket(stack, 'NotAcknowledged');
  Validations.of(acked).acknowledge({ id: 'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check', reason: 'probe' });
  Validations.of(app).addPlugins(new StrictGuardValidator());
  expect(() => app.synth()).toThrow(/CT\.S3\.PR\.9[^\n]*\n\s*Probe\/NotAcknowledged\/Resource/);
});

test('without the strict wrapper the same app synthesizes (why the wrapper exists)', () => {
  const app = new App();
  const stack = new Stack(app, 'Probe');
  const acked = new s3.Bucket(stack, 'Acknowledged');
  new s3.Bucket(stack, 'NotAcknowledged');
  Validations.of(acked).acknowledge({ id: 'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check', reason: 'probe' });
  Validations.of(app).addPlugins(new CfnGuardValidator({ controlTowerRulesEnabled: true }));
  expect(() => app.synth()).not.toThrow();
});
