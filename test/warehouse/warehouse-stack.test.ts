import { Stack } from 'aws-cdk-lib';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadEnvironmentConfig } from '../../lib/config';
import { ENVIRONMENT_NAMES } from '../../lib/config';
import { warehouseApp } from './warehouse-app';

const { app, stacks, storageStacks } = warehouseApp();
const template = (env: keyof typeof stacks) => Template.fromStack(stacks[env]);

describe.each(ENVIRONMENT_NAMES)('WarehouseStack (%s)', (env) => {
  const config = loadEnvironmentConfig(env);
  const t = template(env);

  test('workgroup: private, enhanced VPC routing, require_ssl, capacity from config (never the 128 RPU default)', () => {
    t.hasResourceProperties('AWS::RedshiftServerless::Workgroup', {
      WorkgroupName: `dataflow-${env}`,
      PubliclyAccessible: false,
      EnhancedVpcRouting: true,
      BaseCapacity: config.warehouse.baseCapacityRpu,
      MaxCapacity: config.warehouse.maxCapacityRpu,
      ConfigParameters: Match.arrayWith([{ ParameterKey: 'require_ssl', ParameterValue: 'true' }]),
      SubnetIds: Match.anyValue(),
    });
    const workgroups = t.findResources('AWS::RedshiftServerless::Workgroup');
    expect(Object.values(workgroups).every((w) => w.Properties.BaseCapacity !== undefined)).toBe(true);
  });

  test('namespace: managed admin password, own CMK for data and secret, audit logs, COPY role as default', () => {
    const ns = Object.values(t.findResources('AWS::RedshiftServerless::Namespace'))[0].Properties;
    expect(ns).toMatchObject({
      ManageAdminPassword: true,
      DbName: config.warehouse.databaseName,
      LogExports: ['connectionlog', 'userlog', 'useractivitylog'],
    });
    expect(ns.AdminUserPassword).toBeUndefined();
    expect(ns.KmsKeyId).toEqual(ns.AdminPasswordSecretKmsKeyId);
    expect(ns.DefaultIamRoleArn).toEqual(ns.IamRoles[0]);
    t.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      Description: Match.stringLikeRegexp('Redshift Serverless namespace'),
    });
    for (const type of ['connectionlog', 'userlog', 'useractivitylog']) {
      t.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/redshift/dataflow-${env}/${type}`,
        RetentionInDays: config.logRetentionDays,
      });
    }
  });

  test('COPY role: read the staging prefixes and decrypt with the lake key, nothing else', () => {
    const roles = t.findResources('AWS::IAM::Role', {
      Properties: { Description: Match.stringLikeRegexp('^Redshift COPY') },
    });
    const [roleId] = Object.keys(roles);
    const policies = Object.values(t.findResources('AWS::IAM::Policy')).filter((p) =>
      (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId),
    );
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
    expect(actions).toEqual(['kms:Decrypt', 's3:GetBucketLocation', 's3:GetObject', 's3:ListBucket']);
    const text = JSON.stringify(statements);
    expect(text).toContain(`dataflow-${env}-staging-`);
    expect(text).toContain('/conformed/*');
    expect(text).toContain('/manifests/*');
    expect(text).not.toMatch(/"Resource":"\*"/);
  });

  test("the COPY role addresses the storage stack's staging bucket by its real name", () => {
    const storage = storageStacks[env];
    const bucket = storage.lake.staging.node.defaultChild as CfnBucket;
    expect(Template.fromStack(storage).toJSON().Resources[storage.getLogicalId(bucket)].Properties.BucketName).toEqual(
      stacks[env].resolve((stacks[env].node.findChild('StagingBucket') as IBucket).bucketName),
    );
  });

  test('network: isolated subnets in three AZs, S3 gateway endpoint, flow logs; no NAT or internet gateway', () => {
    t.resourceCountIs('AWS::EC2::Subnet', 3);
    const azs = Object.values(t.findResources('AWS::EC2::Subnet')).map((r) => r.Properties.AvailabilityZone);
    expect(azs).toEqual(config.warehouse.availabilityZones ?? ['a', 'b', 'c'].map((s) => `${config.region}${s}`));
    t.resourceCountIs('AWS::EC2::NatGateway', 0);
    t.resourceCountIs('AWS::EC2::InternetGateway', 0);
    t.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: config.warehouse.vpcCidr });
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway', ServiceName: Match.anyValue() });
    t.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL' });
    const sg = Object.values(t.findResources('AWS::EC2::SecurityGroup'));
    expect(sg.every((g) => g.Properties.SecurityGroupIngress === undefined)).toBe(true);
  });

  test('usage limit: monthly RPU-hours and breach action from config', () => {
    const limits = Object.values(t.findResources('Custom::RedshiftServerlessUsageLimit'));
    expect(limits).toHaveLength(1);
    const create = JSON.stringify(limits[0].Properties.Create).replace(/\\+"/g, '"');
    expect(create).toContain('CreateUsageLimit');
    expect(create).toContain(`"amount":${config.warehouse.monthlyUsageLimitRpuHours}`);
    expect(create).toContain(`"breachAction":"${config.warehouse.usageLimitBreachAction}"`);
    expect(create).toContain('"period":"monthly"');
  });

  test('setup custom resource: runs after the workgroup, re-runs when the SQL changes', () => {
    const setup = Object.entries(t.findResources('Custom::WarehouseSetup'));
    expect(setup).toHaveLength(1);
    const [, resource] = setup[0];
    expect(resource.Properties).toMatchObject({ NamespaceName: `dataflow-${env}`, WorkgroupName: `dataflow-${env}`, Database: 'dataflow' });
    expect(resource.Properties.SqlHash).toMatch(/^[0-9a-f]{16}$/);
    const workgroupId = Object.keys(t.findResources('AWS::RedshiftServerless::Workgroup'))[0];
    expect(JSON.stringify(resource.DependsOn)).toContain(workgroupId);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Timeout: 300,
    });
  });

  test('alarms: every one notifies SNS on ALARM and OK and links an existing runbook', () => {
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.map((a) => a.Properties.MetricName).sort()).toEqual([
      'ApproximateNumberOfMessagesVisible',
      'ComputeCapacity',
      'ComputeSeconds',
      'QueriesFailed',
    ]);
    for (const a of alarms) {
      expect(a.Properties.AlarmActions).toHaveLength(1);
      expect(a.Properties.OKActions).toHaveLength(1);
      expect(a.Properties.AlarmDescription).toMatch(/Runbook: https:\/\/.*docs\/runbooks\/warehouse-[a-z-]+\.md$/);
    }
    const budget = alarms.find((a) => a.Properties.MetricName === 'ComputeSeconds');
    expect(budget?.Properties.Threshold).toBe(Math.round(((config.warehouse.monthlyUsageLimitRpuHours * 3600) / 30) * 1.5));
  });

  test('log groups have bounded retention and a KMS key; every function logs to an explicit group', () => {
    const groups = Object.values(t.findResources('AWS::Logs::LogGroup'));
    for (const g of groups) {
      expect(g.Properties.RetentionInDays).toBe(config.logRetentionDays);
      expect(g.Properties.KmsKeyId).toBeDefined();
    }
    for (const [id, fn] of Object.entries(t.findResources('AWS::Lambda::Function'))) {
      const named = groups.some((g) => JSON.stringify(g.Properties.LogGroupName ?? '').includes(`{"Ref":"${id}"}`));
      expect({ id, explicit: fn.Properties.LoggingConfig?.LogGroup !== undefined || named }).toEqual({ id, explicit: true });
    }
  });

  test('cdk-nag AwsSolutions: zero unacknowledged findings', () => {
    const report = new AwsSolutionsChecks(app).validateScope(stacks[env]);
    const findings = report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath ?? r.resourceLogicalId}`),
    );
    expect(findings).toEqual([]);
  });
});

test('invalid capacity fails synth naming the field', () => {
  const { RedshiftWarehouse } = jest.requireActual('../../lib/constructs/redshift-warehouse');
  const stack = new Stack();
  expect(() => new RedshiftWarehouse(stack, 'W', { baseCapacityRpu: 12 })).toThrow(/baseCapacityRpu must be 4 or a multiple of 8/);
});
