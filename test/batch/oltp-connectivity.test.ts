import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { parseEnvironmentConfig } from '../../lib/config';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { DataPlatformStage } from '../../lib/data-platform-stage';
import { cdkJsonContext } from '../helpers/synth';

const prodWith = (patch: (c: Record<string, any>) => void) => {
  const raw = structuredClone(ENVIRONMENTS.prod) as Record<string, any>;
  patch(raw);
  return raw;
};
const parse = (patch: (c: Record<string, any>) => void) => () => parseEnvironmentConfig(prodWith(patch), 'prod');

function synth(network: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const config = parseEnvironmentConfig(
    prodWith((c) => (c.oltp = { network, ...extra })),
    'prod',
  );
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
  const stage = new DataPlatformStage(app, { config });
  return { warehouse: Template.fromStack(stage.warehouse), batch: Template.fromStack(stage.batch) };
}

/** Egress rules of the extract's security group as `cidr:from-to`. */
function extractEgress(batch: Template): string[] {
  const sgs = batch.findResources('AWS::EC2::SecurityGroup', {
    Properties: { GroupDescription: Match.stringLikeRegexp('^Batch extract Lambda') },
  });
  const [sg] = Object.values(sgs) as { Properties: { SecurityGroupEgress: { CidrIp: string; FromPort: number; ToPort: number }[] } }[];
  return sg.Properties.SecurityGroupEgress.map((r) => `${r.CidrIp}:${r.FromPort}-${r.ToPort}`).sort();
}

function extractFunction(batch: Template) {
  const fns = batch.findResources('AWS::Lambda::Function', {
    Properties: { Description: 'Batch extract: one OLTP table and window to the raw zone' },
  });
  return Object.values(fns)[0] as {
    Properties: { VpcConfig: { SubnetIds: unknown[] }; Environment: { Variables: Record<string, unknown> } };
  };
}

const isolatedCidrs = (w: Template) =>
  Object.values(w.findResources('AWS::EC2::Subnet'))
    .map((s: any) => [s.Properties.Tags.find((t: any) => t.Key === 'aws-cdk:subnet-name').Value, s.Properties.CidrBlock])
    .filter(([name]) => name === 'warehouse')
    .map(([, cidr]) => cidr);

describe('OLTP connectivity: the configured path, and only it', () => {
  test('transit gateway: an attachment of the isolated subnets and a route to the OLTP CIDR in each; egress = CIDR:port', () => {
    const { warehouse, batch } = synth(
      { mode: 'transit-gateway', transitGatewayId: 'tgw-0123456789abcdef0', cidr: '172.16.8.0/24' },
      { port: 5433 },
    );
    warehouse.resourceCountIs('AWS::EC2::TransitGatewayAttachment', 1);
    warehouse.hasResourceProperties('AWS::EC2::TransitGatewayAttachment', {
      TransitGatewayId: 'tgw-0123456789abcdef0',
      SubnetIds: Match.arrayWith([Match.objectLike({ Ref: Match.stringLikeRegexp('warehouseSubnet1') })]),
    });
    const routes = warehouse.findResources('AWS::EC2::Route', { Properties: { DestinationCidrBlock: '172.16.8.0/24' } });
    expect(Object.values(routes).map((r: any) => r.Properties.TransitGatewayId)).toEqual([
      'tgw-0123456789abcdef0',
      'tgw-0123456789abcdef0',
      'tgw-0123456789abcdef0',
    ]);
    expect(Object.values(routes).every((r: any) => r.DependsOn?.some((d: string) => d.includes('Attachment')))).toBe(true);
    warehouse.resourceCountIs('AWS::EC2::NatGateway', 0);
    warehouse.resourceCountIs('AWS::EC2::InternetGateway', 0);
    expect(extractEgress(batch)).toEqual(['0.0.0.0/0:443-443', '172.16.8.0/24:5433-5433']);
  });

  test('VPC peering: a peering connection to the given VPC and routes through it; egress = CIDR:port', () => {
    const { warehouse, batch } = synth({
      mode: 'vpc-peering',
      peerVpcId: 'vpc-0123456789abcdef0',
      cidr: '10.30.0.0/16',
      peerOwnerId: '444455556666',
      peerRoleArn: 'arn:aws:iam::444455556666:role/accept-peering',
    });
    warehouse.hasResourceProperties('AWS::EC2::VPCPeeringConnection', {
      PeerVpcId: 'vpc-0123456789abcdef0',
      PeerOwnerId: '444455556666',
      PeerRoleArn: 'arn:aws:iam::444455556666:role/accept-peering',
    });
    const routes = Object.values(
      warehouse.findResources('AWS::EC2::Route', { Properties: { DestinationCidrBlock: '10.30.0.0/16' } }),
    ) as any[];
    expect(routes).toHaveLength(3);
    for (const r of routes) expect(r.Properties.VpcPeeringConnectionId).toEqual({ Ref: expect.stringMatching(/OltpPathPeering/) });
    warehouse.resourceCountIs('AWS::EC2::TransitGatewayAttachment', 0);
    expect(extractEgress(batch)).toEqual(['0.0.0.0/0:443-443', '10.30.0.0/16:5432-5432']);
  });

  test('NAT: private subnets behind a NAT gateway run the extract; the warehouse subnets keep their CIDRs; 0.0.0.0/0 only on the port, with the reason', () => {
    const before = isolatedCidrs(
      synth({ mode: 'transit-gateway', transitGatewayId: 'tgw-0123456789abcdef0', cidr: '172.16.8.0/24' }).warehouse,
    );
    const reason = 'the provider publishes no fixed address range for the endpoint';
    const { warehouse, batch } = synth({ mode: 'nat', cidr: '0.0.0.0/0', openEgressReason: reason });
    warehouse.resourceCountIs('AWS::EC2::NatGateway', 1);
    expect(isolatedCidrs(warehouse)).toEqual(before);
    warehouse.resourceCountIs('AWS::EC2::Route', 3 + 3); // each public subnet → IGW, each egress subnet → the NAT gateway
    warehouse.resourceCountIs('AWS::EC2::TransitGatewayAttachment', 0);
    const subnets = JSON.stringify(extractFunction(batch).Properties.VpcConfig.SubnetIds);
    expect(subnets).toMatch(/egressSubnet/);
    expect(subnets).not.toMatch(/warehouseSubnet/);
    expect(extractEgress(batch)).toEqual(['0.0.0.0/0:443-443', '0.0.0.0/0:5432-5432']);
    const sg = Object.values(
      batch.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('^Batch extract') } }),
    )[0] as any;
    expect(sg.Properties.SecurityGroupEgress.find((r: any) => r.FromPort === 5432).Description).toContain(reason);
  });

  test('pg timeouts and the CA choice reach the extract’s BATCH_CONFIG (defaults when not set)', () => {
    const tgw = { mode: 'transit-gateway', transitGatewayId: 'tgw-0123456789abcdef0', cidr: '172.16.8.0/24' };
    const rds = extractFunction(synth(tgw).batch).Properties.Environment.Variables;
    expect(JSON.stringify(rds.BATCH_CONFIG)).toContain(
      '\\"oltp\\":{\\"connectTimeoutMs\\":10000,\\"statementTimeoutMs\\":600000,\\"queryTimeoutMs\\":660000,\\"ca\\":{\\"source\\":\\"rds\\"}}',
    );
    expect(rds.NODE_EXTRA_CA_CERTS).toBe('/var/runtime/ca-cert.pem');
    const own = extractFunction(
      synth(tgw, { tls: { ca: 'secret-field', field: 'caPem' }, timeouts: { connectSeconds: 5, statementSeconds: 300, querySeconds: 320 } })
        .batch,
    ).Properties.Environment.Variables;
    expect(JSON.stringify(own.BATCH_CONFIG)).toContain(
      '\\"oltp\\":{\\"connectTimeoutMs\\":5000,\\"statementTimeoutMs\\":300000,\\"queryTimeoutMs\\":320000,\\"ca\\":{\\"source\\":\\"secret-field\\",\\"field\\":\\"caPem\\"}}',
    );
    expect(own.NODE_EXTRA_CA_CERTS).toBeUndefined();
  });
});

describe('OLTP config validation names the field', () => {
  const tgw = (cidr: string) => ({ mode: 'transit-gateway', transitGatewayId: 'tgw-0123456789abcdef0', cidr });
  test.each([
    [
      'a malformed transit gateway id',
      (c: any) => (c.oltp.network.transitGatewayId = 'tgw-xyz'),
      /oltp\.network\.transitGatewayId: must be a transit gateway id/,
    ],
    [
      'the whole internet over a transit gateway',
      (c: any) => (c.oltp.network = tgw('0.0.0.0/0')),
      /oltp\.network\.cidr: must be \/8 or narrower/,
    ],
    [
      'a CIDR overlapping the warehouse VPC',
      (c: any) => (c.oltp.network = tgw('10.42.0.0/16')),
      /oltp\.network\.cidr: must not overlap the warehouse VPC 10\.42\.0\.0\/20/,
    ],
    [
      'NAT to anywhere without a reason',
      (c: any) => (c.oltp.network = { mode: 'nat', cidr: '0.0.0.0/0' }),
      /oltp\.network\.openEgressReason: is required when cidr is 0\.0\.0\.0\/0/,
    ],
    [
      'a reason outside nat',
      (c: any) => (c.oltp.network = { ...tgw('172.16.8.0/24'), openEgressReason: 'because we can always do this' }),
      /oltp\.network: Unrecognized key: "openEgressReason"/,
    ],
    [
      'a cross-account peering without an accepter role',
      (c: any) =>
        (c.oltp.network = { mode: 'vpc-peering', peerVpcId: 'vpc-0123456789abcdef0', cidr: '10.30.0.0/16', peerOwnerId: '444455556666' }),
      /oltp\.network\.peerRoleArn: is required when the peer VPC is in another account/,
    ],
    ['an unknown mode', (c: any) => (c.oltp.network = { mode: 'vpn', cidr: '10.30.0.0/16' }), /oltp\.network\.mode: /],
    [
      'a query timeout below the statement timeout',
      (c: any) => (c.oltp.timeouts = { connectSeconds: 10, statementSeconds: 600, querySeconds: 60 }),
      /oltp\.timeouts\.querySeconds: must be ≥ statementSeconds/,
    ],
    [
      'a statement timeout beyond the Lambda timeout',
      (c: any) => (c.oltp.timeouts = { connectSeconds: 10, statementSeconds: 900, querySeconds: 900 }),
      /oltp\.timeouts\.statementSeconds: must be ≤ 840 seconds/,
    ],
    ['a CA file that is not a PEM', (c: any) => (c.oltp.tls = { ca: 'file', path: 'README.md' }), /oltp\.tls\.path: must be a PEM file/],
    ['a missing oltp section', (c: any) => delete c.oltp, /oltp: /],
  ])('%s', (_name, patch, message) => {
    expect(parse(patch)).toThrow(message);
  });

  test('a PEM file in the repository is accepted and bundled next to the handler', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ca-'));
    const pem = path.join(dir, 'ca.pem');
    fs.writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const rel = path.relative(path.resolve(__dirname, '..', '..'), pem);
    const config = parse((c) => (c.oltp.tls = { ca: 'file', path: rel }))();
    expect(config.oltp.tls).toEqual({ ca: 'file', path: rel });
  });
});
