/** What cannot be rebuilt is protected in every environment as its config says (template assertions per env). */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { parseEnvironmentConfig } from '../../lib/config';
import { allEnvironments, stacksOf } from '../helpers/synth';

const { stages } = allEnvironments();
const stage = (env: string) => stages.find((s) => s.config.name === env)!;

describe.each(['dev', 'staging', 'prod'])('%s', (env) => {
  const s = stage(env);
  const config = s.config;

  test('quarantine is versioned, with noncurrent versions expiring after the configured days (like the other zones)', () => {
    const t = Template.fromStack(s.storage);
    const buckets = t.findResources('AWS::S3::Bucket', {
      Properties: { Tags: Match.arrayWith([{ Key: 'dataflow:zone', Value: 'quarantine' }]) },
    });
    expect(Object.keys(buckets)).toHaveLength(1);
    const q = Object.values(buckets)[0] as { Properties: Record<string, any> };
    expect(q.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    for (const rule of q.Properties.LifecycleConfiguration.Rules) {
      expect(rule.NoncurrentVersionExpiration).toEqual({ NoncurrentDays: config.lake.noncurrentVersionExpirationDays });
    }
  });

  test('daily warehouse snapshots with the configured retention, and an alarm when one is not taken', () => {
    const t = Template.fromStack(s.warehouse);
    const schedules = Object.values(t.findResources('AWS::Scheduler::Schedule')) as { Properties: Record<string, any> }[];
    const snap = schedules.find((x) =>
      JSON.stringify(x.Properties.Target.Arn).includes(':scheduler:::aws-sdk:redshiftserverless:createSnapshot'),
    );
    expect(snap).toBeDefined();
    const input = JSON.parse(snap!.Properties.Target.Input);
    expect(input).toMatchObject({ NamespaceName: `dataflow-${env}`, RetentionPeriod: config.warehouse.snapshotRetentionDays });
    expect(input.SnapshotName).toBe(`dataflow-${env}-daily-<aws.scheduler.execution-id>`);
    expect(snap!.Properties.Target.DeadLetterConfig).toBeDefined();
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'redshift-serverless:CreateSnapshot' })]) },
    });
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((a) =>
      JSON.stringify((a as { Properties: { AlarmDescription: unknown } }).Properties.AlarmDescription),
    );
    expect(alarms.some((d) => d.includes('docs/runbooks/warehouse-restore.md'))).toBe(true);
  });

  test('lease table: point-in-time recovery; retained unless the environment allows data deletion', () => {
    const t = Template.fromStack(s.batch);
    const destroy = config.removal.policy === 'destroy' && config.removal.allowDataDeletion;
    t.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: destroy ? 'Delete' : 'Retain',
      UpdateReplacePolicy: destroy ? 'Delete' : 'Retain',
      Properties: Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
    });
  });

  test('termination protection on every stack as configured', () => {
    for (const stack of stacksOf(s))
      expect([stack.stackName, stack.terminationProtection]).toEqual([stack.stackName, config.terminationProtection]);
  });
});

test('staging and prod are protected and retain their leases; dev is not', () => {
  expect(stage('prod').config.terminationProtection).toBe(true);
  expect(stage('staging').config.terminationProtection).toBe(true);
  expect(stage('dev').config.terminationProtection).toBe(false);
  expect(Template.fromStack(stage('prod').batch).findResources('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' })).not.toEqual({});
});

test('prod cannot switch termination protection off; retention days are bounded', () => {
  const raw = structuredClone(ENVIRONMENTS.prod) as Record<string, any>;
  raw.terminationProtection = false;
  expect(() => parseEnvironmentConfig(raw, 'prod')).toThrow(/terminationProtection: must be true for prod/);
  const dev = structuredClone(ENVIRONMENTS.dev) as Record<string, any>;
  dev.warehouse.snapshotRetentionDays = 0;
  expect(() => parseEnvironmentConfig(dev, 'dev')).toThrow(/warehouse\.snapshotRetentionDays: must be ≥ 1 days/);
});
