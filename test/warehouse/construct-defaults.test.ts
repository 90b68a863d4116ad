import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { WarehouseNetwork } from '../../lib/constructs/warehouse-network';
import { RedshiftUsageLimit } from '../../lib/constructs/redshift-usage-limit';
import { assignDbRoles, RedshiftWarehouse } from '../../lib/constructs/redshift-warehouse';
import * as iam from 'aws-cdk-lib/aws-iam';

/** The documented `@default`s of the warehouse constructs, checked against what they synthesize. */
function stackWithAzs(): Stack {
  const app = new App({
    context: { 'availability-zones:account=111111111111:region=eu-west-1': ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
  });
  return new Stack(app, 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
}

function warehouse(stack: Stack, overrides: Partial<ConstructorParameters<typeof RedshiftWarehouse>[2]> = {}) {
  const key = new kms.Key(stack, 'LogsKey');
  const network = new WarehouseNetwork(stack, 'Net', { cidr: '10.0.0.0/20', logRetention: logs.RetentionDays.ONE_WEEK, logsKey: key });
  return new RedshiftWarehouse(stack, 'W', {
    name: 'dataflow-test',
    databaseName: 'dataflow',
    baseCapacityRpu: 8,
    maxCapacityRpu: 16,
    vpc: network.vpc,
    subnets: { subnets: network.subnets.subnets },
    stagingBucket: s3.Bucket.fromBucketName(stack, 'Staging', 'staging-bucket'),
    lakeKey: kms.Key.fromKeyArn(stack, 'Lake', 'arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-0000-0000-000000000000'),
    logsKey: key,
    logRetention: logs.RetentionDays.ONE_WEEK,
    ...overrides,
  });
}

describe('warehouse construct defaults', () => {
  test('WarehouseNetwork: three AZs by default on an environment-specific stack; RETAIN flow logs', () => {
    const stack = stackWithAzs();
    warehouse(stack);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::EC2::Subnet', 3);
    const flowLogGroups = Object.values(t.findResources('AWS::Logs::LogGroup')).filter((g) => g.Properties.LogGroupName === undefined);
    expect(flowLogGroups.map((g) => g.DeletionPolicy)).toEqual(['Retain']);
  });

  test('RedshiftWarehouse: admin user dataflow_admin, RETAIN namespace/workgroup/key/audit logs, COPY prefixes conformed/ and manifests/', () => {
    const stack = stackWithAzs();
    warehouse(stack);
    const t = Template.fromStack(stack);
    const ns = Object.values(t.findResources('AWS::RedshiftServerless::Namespace'))[0];
    expect(ns.Properties.AdminUsername).toBe('dataflow_admin');
    expect(ns.DeletionPolicy).toBe('Retain');
    expect(Object.values(t.findResources('AWS::RedshiftServerless::Workgroup'))[0].DeletionPolicy).toBe('Retain');
    const audit = Object.values(t.findResources('AWS::Logs::LogGroup')).filter((g) =>
      String(g.Properties.LogGroupName).startsWith('/aws/redshift/'),
    );
    expect(audit.map((g) => g.DeletionPolicy)).toEqual(['Retain', 'Retain', 'Retain']);
    const policy = JSON.stringify(t.findResources('AWS::IAM::Policy'));
    expect(policy).toContain('staging-bucket/conformed/*');
    expect(policy).toContain('staging-bucket/manifests/*');
  });

  test('RedshiftWarehouse: props cannot switch off the secure settings', () => {
    const stack = stackWithAzs();
    warehouse(stack, { removalPolicy: RemovalPolicy.DESTROY, copyPrefixes: ['conformed/orders/'] });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::RedshiftServerless::Workgroup', { PubliclyAccessible: false, EnhancedVpcRouting: true });
    t.hasResourceProperties('AWS::RedshiftServerless::Namespace', { ManageAdminPassword: true });
    expect(JSON.stringify(t.findResources('AWS::IAM::Policy'))).toContain('staging-bucket/conformed/orders/*');
  });

  test('RedshiftWarehouse rejects capacities Redshift Serverless does not accept', () => {
    expect(() => warehouse(stackWithAzs(), { baseCapacityRpu: 128, maxCapacityRpu: 64 })).toThrow(
      /maxCapacityRpu must be ≥ baseCapacityRpu/,
    );
    expect(() => warehouse(stackWithAzs(), { maxCapacityRpu: 2000 })).toThrow(/maxCapacityRpu must be 4 or a multiple of 8/);
  });

  test('RedshiftUsageLimit: RETAIN log group by default; rejects a non-positive limit', () => {
    const stack = stackWithAzs();
    const key = new kms.Key(stack, 'K');
    new RedshiftUsageLimit(stack, 'L', {
      workgroupArn: 'arn:aws:redshift-serverless:eu-west-1:111111111111:workgroup/x',
      monthlyRpuHours: 10,
      breachAction: 'log',
      logsKey: key,
      logRetention: logs.RetentionDays.ONE_WEEK,
    });
    expect(Object.values(Template.fromStack(stack).findResources('AWS::Logs::LogGroup')).map((g) => g.DeletionPolicy)).toEqual(['Retain']);
    expect(
      () =>
        new RedshiftUsageLimit(stack, 'Bad', {
          workgroupArn: 'x',
          monthlyRpuHours: 0,
          breachAction: 'log',
          logsKey: key,
          logRetention: logs.RetentionDays.ONE_WEEK,
        }),
    ).toThrow(/monthlyRpuHours must be a whole number ≥ 1/);
  });
});

test('assignDbRoles tags an IAM role with RedshiftDbRoles and refuses bad role names', () => {
  const stack = new Stack();
  const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  assignDbRoles(role, ['dataflow_loader']);
  Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { Tags: [{ Key: 'RedshiftDbRoles', Value: 'dataflow_loader' }] });
  expect(() => assignDbRoles(role, ['Bad-Role'])).toThrow(/lower-case identifiers/);
});
