import * as path from 'node:path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { PlatformFunction, type PlatformFunctionProps } from '../../lib/constructs/platform-function';

const ENTRY = path.resolve(__dirname, '..', '..', 'lambda', 'warehouse-setup', 'handler.ts');

/** One platform function in its own stack, without bundling (the template is what matters here). */
function build(extra: Partial<PlatformFunctionProps> = {}) {
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'S');
  const key = new kms.Key(stack, 'Key');
  const fn = new PlatformFunction(stack, 'Fn', {
    entry: ENTRY,
    description: 'd',
    logsKey: key,
    logRetention: logs.RetentionDays.TWO_WEEKS,
    ...extra,
  });
  return { stack, key, fn, template: Template.fromStack(stack) };
}

describe('PlatformFunction defaults', () => {
  test('nodejs22.x on arm64, X-Ray, JSON logs into its own log group, source maps on', () => {
    const { template, stack, fn } = build();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      MemorySize: 1024,
      Timeout: 300,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: stack.getLogicalId(fn.logGroup.node.defaultChild as logs.CfnLogGroup) } },
      Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps' } },
    });
    template.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      { Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: Match.anyValue() }) } },
      0,
    );
  });

  test('log group: the given retention and key, retained unless told otherwise', () => {
    const { template, stack, key } = build();
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 14, KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] } },
      DeletionPolicy: 'Retain',
    });
    build({ removalPolicy: RemovalPolicy.DESTROY }).template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
  });

  test('the role writes only its own log group; ENI management only in a VPC', () => {
    const { template, stack, fn } = build();
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'WriteOwnLogs',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [stack.getLogicalId(fn.logGroup.node.defaultChild as logs.CfnLogGroup), 'Arn'] },
          },
        ]),
      },
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('ec2:CreateNetworkInterface');
    const vpcStack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'V');
    const vpc = new ec2.Vpc(vpcStack, 'Vpc');
    new PlatformFunction(vpcStack, 'Fn', {
      entry: ENTRY,
      description: 'd',
      logsKey: new kms.Key(vpcStack, 'K'),
      logRetention: logs.RetentionDays.ONE_DAY,
      vpc,
    });
    Template.fromStack(vpcStack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'ManageVpcInterfaces' })]) },
    });
  });

  test('options: environment key, Powertools variables, extra node flags, timeout and memory', () => {
    const key = (s: Stack) => new kms.Key(s, 'EnvKey');
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'O');
    new PlatformFunction(stack, 'Fn', {
      entry: ENTRY,
      description: 'd',
      logsKey: key(stack),
      logRetention: logs.RetentionDays.ONE_DAY,
      environmentKey: kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:eu-west-1:111111111111:key/abc'),
      environment: { A: 'b' },
      powertools: { serviceName: 'svc', metricsNamespace: 'Ns' },
      nodeOptions: ['--max-semi-space-size=128'],
      timeout: Duration.seconds(30),
      memorySize: 256,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      KmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/abc',
      Timeout: 30,
      MemorySize: 256,
      Environment: {
        Variables: {
          A: 'b',
          POWERTOOLS_SERVICE_NAME: 'svc',
          POWERTOOLS_METRICS_NAMESPACE: 'Ns',
          NODE_OPTIONS: '--max-semi-space-size=128 --enable-source-maps',
        },
      },
    });
  });
});
