import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseEnvironmentConfig } from '../../lib/config';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { DataPlatformStage } from '../../lib/data-platform-stage';
import { cdkJsonContext } from '../helpers/synth';
import { resourceNamed, withDefect, type Resource } from '../readiness/templates';
import { resolvable, synthEnvironments, type CfnTemplate } from './platform';
import { broadGrants, plaintextTransport, publicPlacements, unencryptedAtRest } from './security-rules';

const environments = synthEnvironments('all');
const prod = environments.find((e) => e.config.name === 'prod')!.templates;
const check = (templates: ReadonlyMap<string, object>) => resolvable(templates as ReadonlyMap<string, CfnTemplate>);
const defect = (stack: string, edit: (resources: Record<string, Resource>) => void) => check(withDefect(prod, stack, edit));
const props = (r: Resource) => r.Properties as Record<string, any>;

describe.each(environments.map((e) => [e.config.name, e.templates] as const))('%s', (_name, templates) => {
  const stacks = check(templates);

  test('data at rest is encrypted with the platform’s own keys', () => {
    expect(unencryptedAtRest(stacks)).toEqual([]);
  });

  test('buckets, queues and topics refuse requests without TLS', () => {
    expect(plaintextTransport(stacks)).toEqual([]);
  });

  test('no grant of every action, no grant by exclusion, roles assumed by AWS services only', () => {
    expect(broadGrants(stacks)).toEqual([]);
  });

  test('functions, endpoints, the warehouse and the dbt task run in private subnets without public IPs', () => {
    const { checked, findings } = publicPlacements(stacks);
    expect(findings).toEqual([]);
    // At least the extract function, five interface endpoints, the workgroup and the dbt task.
    expect(checked).toBeGreaterThanOrEqual(8);
  });
});

test('with a NAT path to the OLTP database the extract sits in the private egress subnets, nothing in the public ones', () => {
  const raw = structuredClone(ENVIRONMENTS.prod) as Record<string, any>;
  raw.oltp = { network: { mode: 'nat', cidr: '203.0.113.0/24' }, tls: { ca: 'rds' } };
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
  const stage = new DataPlatformStage(app, { config: parseEnvironmentConfig(raw, 'prod') });
  const stacks = stage.node.children.filter((c): c is Stack => c instanceof Stack);
  const templates = new Map(stacks.map((s) => [s.node.path, Template.fromStack(s).toJSON() as CfnTemplate]));
  const warehouse = Object.values(templates.get(stage.warehouse.node.path)!.Resources);
  expect(warehouse.filter((r) => r.Type === 'AWS::EC2::NatGateway')).toHaveLength(1);
  expect(warehouse.filter((r) => r.Type === 'AWS::EC2::InternetGateway')).toHaveLength(1);
  const { checked, findings } = publicPlacements(check(templates));
  expect(findings).toEqual([]);
  expect(checked).toBeGreaterThanOrEqual(8);
});

describe('the checks find', () => {
  test('a queue on the AWS-managed key and a log group without a key', () => {
    const found = unencryptedAtRest(
      defect('Streaming-prod', (resources) => {
        props(resourceNamed(resources, 'ProcessorFailureQueue', 'AWS::SQS::Queue')).KmsMasterKeyId = 'alias/aws/sqs';
        delete props(resourceNamed(resources, 'ProcessorLogs', 'AWS::Logs::LogGroup')).KmsKeyId;
      }),
    );
    expect(found).toEqual([
      expect.stringMatching(/^Streaming-prod\/ProcessorFailureQueue\w+: KmsMasterKeyId is alias\/aws\/sqs, not a key of the platform$/),
      expect.stringMatching(/^Streaming-prod\/ProcessorLogs\w+: KmsKeyId is not set$/),
    ]);
  });

  test('a state machine without its key, and functions whose environment falls back to the AWS-managed key', () => {
    const state = unencryptedAtRest(
      defect('Batch-prod', (resources) => {
        delete props(resourceNamed(resources, 'WorkflowStateMachine', 'AWS::StepFunctions::StateMachine')).EncryptionConfiguration;
      }),
    );
    expect(state).toEqual([expect.stringMatching(/^Batch-prod\/WorkflowStateMachine\w+: EncryptionConfiguration\.KmsKeyId is not set$/)]);
    const setup = unencryptedAtRest(
      defect('Warehouse-prod', (resources) => {
        delete props(resourceNamed(resources, 'SetupFunction', 'AWS::Lambda::Function')).KmsKeyArn;
        props(resourceNamed(resources, 'SetupProviderframeworkonEvent', 'AWS::Lambda::Function')).KmsKeyArn =
          'arn:aws:kms:eu-west-1:111111111111:alias/aws/lambda';
      }),
    );
    expect(setup).toEqual([
      expect.stringMatching(/^Warehouse-prod\/SetupFunction\w+: KmsKeyArn is not set$/),
      expect.stringMatching(
        /^Warehouse-prod\/SetupProviderframeworkonEvent\w+: KmsKeyArn is arn:aws:kms:\S+:alias\/aws\/lambda, not a key of the platform$/,
      ),
    ]);
  });

  test('a lake bucket on SSE-S3 (only the access-log bucket may be)', () => {
    const found = unencryptedAtRest(
      defect('Storage-prod', (resources) => {
        props(resourceNamed(resources, 'LakeRaw', 'AWS::S3::Bucket')).BucketEncryption.ServerSideEncryptionConfiguration = [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ];
      }),
    );
    expect(found).toEqual([expect.stringMatching(/^Storage-prod\/LakeRaw\w+: BucketEncryption\.\S+ is not set$/)]);
  });

  test('a queue whose TLS deny is gone, and a bucket whose deny covers one action only', () => {
    const found = plaintextTransport(
      defect('Streaming-prod', (resources) => {
        const policy = props(resourceNamed(resources, 'ProcessorFailureQueuePolicy', 'AWS::SQS::QueuePolicy'));
        policy.PolicyDocument.Statement = policy.PolicyDocument.Statement.filter((st: { Effect: string }) => st.Effect !== 'Deny');
      }),
    );
    expect(found).toEqual([
      expect.stringMatching(/^Streaming-prod\/ProcessorFailureQueue\w+: no AWS::SQS::QueuePolicy denies requests without TLS$/),
    ]);
    const bucket = plaintextTransport(
      defect('Storage-prod', (resources) => {
        for (const st of props(resourceNamed(resources, 'LakeStagingPolicy', 'AWS::S3::BucketPolicy')).PolicyDocument.Statement)
          if (st.Effect === 'Deny') st.Action = 's3:GetObject';
      }),
    );
    expect(bucket).toEqual([expect.stringMatching(/^Storage-prod\/LakeStaging\w+: no AWS::S3::BucketPolicy denies/)]);
  });

  test('a service wildcard, a NotAction grant, an account that may assume a role, a broad managed policy', () => {
    const found = broadGrants(
      defect('Streaming-prod', (resources) => {
        props(resourceNamed(resources, 'ProcessorRoleDefaultPolicy', 'AWS::IAM::Policy')).PolicyDocument.Statement.push(
          { Effect: 'Allow', Action: 'kinesis:*', Resource: '*' },
          { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
        );
        const role = props(resourceNamed(resources, 'ProcessorRole', 'AWS::IAM::Role'));
        role.AssumeRolePolicyDocument.Statement.push({
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { AWS: 'arn:aws:iam::999999999999:root' },
        });
        role.ManagedPolicyArns = ['arn:aws:iam::aws:policy/AmazonS3FullAccess'];
      }),
    );
    expect(found).toEqual([
      expect.stringMatching(/^Streaming-prod\/ProcessorRoleDefaultPolicy\w+: allows kinesis:\*$/),
      expect.stringMatching(/^Streaming-prod\/ProcessorRoleDefaultPolicy\w+: allows by NotAction\/NotResource$/),
      expect.stringMatching(/^Streaming-prod\/ProcessorRole\w+: can be assumed by \{"AWS":"arn:aws:iam::999999999999:root"\}$/),
      expect.stringMatching(/^Streaming-prod\/ProcessorRole\w+: carries the managed policy arn:aws:iam::aws:policy\/AmazonS3FullAccess$/),
    ]);
  });

  test('a subnet with public IPs, a default route to the internet, a task with a public IP', () => {
    const { checked, findings: found } = publicPlacements(
      check(
        withDefect(
          withDefect(prod, 'Warehouse-prod', (resources) => {
            props(resourceNamed(resources, 'NetworkVpcwarehouseSubnet1Subnet', 'AWS::EC2::Subnet')).MapPublicIpOnLaunch = true;
            resources.InternetRoute = {
              Type: 'AWS::EC2::Route',
              Properties: {
                DestinationCidrBlock: '0.0.0.0/0',
                GatewayId: 'igw-0123',
                RouteTableId: { Ref: Object.keys(resources).find((id) => id.startsWith('NetworkVpcwarehouseSubnet2RouteTable'))! },
              },
            };
          }),
          'Batch-prod',
          (resources) => {
            const machine = props(resourceNamed(resources, '', 'AWS::StepFunctions::StateMachine'));
            machine.DefinitionString = JSON.parse(
              JSON.stringify(machine.DefinitionString).replace(
                '\\"AwsvpcConfiguration\\":{',
                '\\"AwsvpcConfiguration\\":{\\"AssignPublicIp\\":\\"ENABLED\\",',
              ),
            );
          },
        ),
      ),
    );
    // Every placement spans the three warehouse subnets: each names the public one and the one routed to the internet.
    expect(found.filter((f) => /subnet1subnet/.test(f))).toHaveLength(checked);
    expect(found.filter((f) => /subnet2subnet/.test(f))).toHaveLength(checked);
    expect(found).toContainEqual(expect.stringMatching(/^Batch-prod\/\w+ States\..+: assigns a public IP$/));
  });
});
