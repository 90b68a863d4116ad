/**
 * dev and staging are not snapshotted: they are prod's stacks built from other config values. What may differ is
 * asserted here: which resources exist (only where the config decides it), removal policies, log retention and the
 * alarm thresholds derived from config. Capacity, lifecycle and schedule values are asserted per stack in
 * test/{foundation,streaming,warehouse,batch}.
 */
import type { EnvironmentConfig } from '../../lib/config';
import {
  destroysData,
  STACK_KEYS,
  synthEnvironments,
  templateOf,
  type CfnResource,
  type CfnTemplate,
  type EnvironmentTemplates,
} from './platform';

const environments = synthEnvironments('all');
const byName = (name: string) => environments.find((e) => e.config.name === name)!;
const prod = byName('prod');

/** Resources whose existence the config decides, and how many of them it asks for. */
const CONFIG_DECIDED: readonly { what: string; matches: (id: string, type: string) => boolean; count: (c: EnvironmentConfig) => number }[] =
  [
    {
      what: 'alarm e-mail subscriptions',
      matches: (_, type) => type === 'AWS::SNS::Subscription',
      count: (c) => c.alarms.criticalEmails.length + c.alarms.warningEmails.length,
    },
    {
      what: 'cost anomaly monitor and its subscription',
      matches: (id) => id.includes('CostGuardAnomaly'),
      count: (c) => (c.cost.anomalyAlertUsd === undefined ? 0 : 2),
    },
    // Four emptying custom resources plus their provider's function, role and log group.
    {
      what: 'lake buckets emptied on stack deletion',
      matches: (id) => id.includes('AutoDeleteObjects'),
      count: (c) => (destroysData(c) ? 7 : 0),
    },
    {
      what: 'OLTP path over VPC peering',
      matches: (_, type) => type === 'AWS::EC2::VPCPeeringConnection',
      count: (c) => (c.oltp.network.mode === 'vpc-peering' ? 1 : 0),
    },
    {
      what: 'OLTP path over a transit gateway',
      matches: (_, type) => type === 'AWS::EC2::TransitGatewayAttachment',
      count: (c) => (c.oltp.network.mode === 'transit-gateway' ? 1 : 0),
    },
    { what: 'batch freshness SLA alarm', matches: (id) => id.includes('FreshnessSla'), count: (c) => (c.schedule.enabled ? 1 : 0) },
  ];

/**
 * A resource's identity across environments: its type and logical id without the stage path that some ids embed
 * (`…DataPlatformdevBatchdev…`) and without the hashes CDK derives from that path.
 */
function identity(env: string, id: string, type: string): string {
  return `${type} ${id.replace(new RegExp(`DataPlatform${env}([A-Z][a-z]+)${env}`, 'g'), 'DataPlatform$1').replace(/[0-9A-F]{8,}/g, '')}`;
}

/** The identities of the resources every environment has (those the config does not decide). */
function commonResources(env: EnvironmentTemplates, template: CfnTemplate): string[] {
  return Object.entries(template.Resources)
    .filter(([id, r]) => !CONFIG_DECIDED.some((d) => d.matches(id, r.Type)))
    .map(([id, r]) => identity(env.config.name, id, r.Type))
    .sort();
}

describe.each(['dev', 'staging'])('%s has the resources of prod', (name) => {
  const env = byName(name);

  test.each(STACK_KEYS)('%s: the same resources, but for those the config decides', (stack) => {
    expect(commonResources(env, templateOf(env, stack))).toEqual(commonResources(prod, templateOf(prod, stack)));
  });
});

test('a resource only one environment has is a difference', () => {
  const template = structuredClone(templateOf(byName('dev'), 'batch'));
  template.Resources.DebugQueue1234ABCD = { Type: 'AWS::SQS::Queue' };
  expect(commonResources(byName('dev'), template)).not.toEqual(commonResources(prod, templateOf(prod, 'batch')));
  expect(identity('dev', 'EndpointSecurityGroupfromDataPlatformdevBatchdevDbtSecurityGroupD2C5B7274437C150BA3', 'T')).toBe(
    identity('prod', 'EndpointSecurityGroupfromDataPlatformprodBatchprodDbtSecurityGroupBE4976CE443D0607F1E', 'T'),
  );
});

const all = (env: EnvironmentTemplates): [string, CfnResource][] => [...env.templates.values()].flatMap((t) => Object.entries(t.Resources));

describe.each(environments.map((e) => [e.config.name, e] as const))('%s', (_name, env) => {
  const { config } = env;

  test.each(CONFIG_DECIDED.map((d) => [d.what, d] as const))('%s: as many as the config asks for', (_what, decided) => {
    expect(all(env).filter(([id, r]) => decided.matches(id, r.Type))).toHaveLength(decided.count(config));
  });

  /** What holds data, or the keys and logs needed to read and audit it. */
  const DATA = [
    'AWS::S3::Bucket',
    'AWS::KMS::Key',
    'AWS::DynamoDB::Table',
    'AWS::Kinesis::Stream',
    'AWS::RedshiftServerless::Namespace',
    'AWS::SecretsManager::Secret',
    'AWS::Logs::LogGroup',
  ];
  /** The logs of CDK's default-security-group housekeeping function: removed with the stack in every environment. */
  const ALWAYS_REMOVED = /RestrictDefaultSgLogs/;

  test('data is retained, unless the config says destroy and allows data deletion', () => {
    const policy = destroysData(config) ? 'Delete' : 'Retain';
    const data = all(env).filter(([id, r]) => DATA.includes(r.Type) && !ALWAYS_REMOVED.test(id));
    expect(data.length).toBeGreaterThan(20);
    for (const [id, r] of data)
      expect({ id, policies: [r.DeletionPolicy, r.UpdateReplacePolicy] }).toEqual({ id, policies: [policy, policy] });
  });

  test('every log group keeps its events for the configured days', () => {
    const groups = all(env).filter(([, r]) => r.Type === 'AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThan(15);
    for (const [id, r] of groups) expect({ id, days: r.Properties?.RetentionInDays }).toEqual({ id, days: config.logRetentionDays });
  });

  test('alarm thresholds that follow the config', () => {
    const alarm = (name: string) => all(env).find(([id, r]) => r.Type === 'AWS::CloudWatch::Alarm' && id.includes(name))?.[1].Properties;
    expect(alarm('AtMaxCapacity')).toMatchObject({
      Threshold: config.warehouse.maxCapacityRpu,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    if (config.schedule.enabled) expect(alarm('FreshnessSla')).toMatchObject({ Period: config.schedule.freshnessSlaMinutes * 60 });
  });
});
