import { App, RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loadEnvironmentConfig, parseEnvironmentConfig, type EnvironmentConfig } from '../../lib/config';
import { resolveEnvironment } from '../../lib/environment';
import { OperationsStack } from '../../lib/stacks/operations-stack';

const withRemoval = (policy: 'retain' | 'destroy', allowDataDeletion: boolean): EnvironmentConfig =>
  parseEnvironmentConfig({ ...loadEnvironmentConfig('dev'), removal: { policy, allowDataDeletion } }, 'dev');

describe('resolveEnvironment', () => {
  test.each([
    ['destroy', true, RemovalPolicy.DESTROY],
    // The double gate: asking for destroy without allowing data deletion retains.
    ['destroy', false, RemovalPolicy.RETAIN],
    ['retain', true, RemovalPolicy.RETAIN],
    ['retain', false, RemovalPolicy.RETAIN],
  ] as const)('removal policy %s with allowDataDeletion %s resolves to %s', (policy, allow, expected) => {
    expect(resolveEnvironment(withRemoval(policy, allow)).removalPolicy).toBe(expected);
  });

  test('the shipped environments: only dev destroys', () => {
    expect(['dev', 'staging', 'prod'].map((e) => resolveEnvironment(loadEnvironmentConfig(e)).removalPolicy)).toEqual([
      RemovalPolicy.DESTROY,
      RemovalPolicy.RETAIN,
      RemovalPolicy.RETAIN,
    ]);
  });

  test('names, log retention and function defaults come from the config', () => {
    const config = loadEnvironmentConfig('staging');
    const env = resolveEnvironment(config);
    expect(env.prefix).toBe(`${config.prefix}-staging`);
    expect(env.nameOf('hourly-batch')).toBe(`${config.prefix}-staging-hourly-batch`);
    expect(env.logRetention).toBe(config.logRetentionDays);
    expect(env.functionDefaults).toEqual({ logRetention: config.logRetentionDays, removalPolicy: RemovalPolicy.RETAIN });
  });

  test('a stack built from destroy without allowDataDeletion retains its resources', () => {
    const stack = new OperationsStack(new App(), 'Ops', { config: withRemoval('destroy', false) });
    const policies = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key')).map((k) => k.DeletionPolicy);
    expect(policies).toHaveLength(2);
    expect(policies).toEqual(['Retain', 'Retain']);
  });
});
