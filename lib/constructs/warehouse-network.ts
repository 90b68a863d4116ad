import { type CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface WarehouseNetworkProps {
  /** IPv4 CIDR of the VPC (/16–/24). */
  readonly cidr: string;
  /**
   * Availability zones of the isolated subnets. Redshift Serverless needs subnets in at least three AZs.
   * @default - up to three of the AZs the stack can see (`maxAzs: 3`); an environment-agnostic stack sees only two,
   *   which Redshift Serverless rejects, so pass explicit zones there
   */
  readonly availabilityZones?: readonly string[];
  /** Retention of the network's log groups (VPC flow logs, the default-SG provider function). */
  readonly logRetention: logs.RetentionDays;
  /** Key encrypting the flow-log group. */
  readonly logsKey: kms.IKey;
  /**
   * Removal policy of the flow-log group.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * NAT gateways for clients that must reach a public endpoint (the batch extract with `oltp.network.mode: nat`):
   * adds small public subnets holding the NAT gateways and private subnets routed through them, after the
   * isolated ones (whose CIDRs do not move).
   * @default 0 - isolated subnets only
   */
  readonly natGateways?: number;
}

/**
 * The warehouse's private network: a VPC with private isolated subnets only (no internet or NAT gateway), an S3
 * gateway endpoint (with enhanced VPC routing, COPY reads the lake through it), and VPC flow logs (all traffic) to
 * an encrypted log group with bounded retention. Nothing else needs a route: Redshift's own calls to KMS, Secrets
 * Manager and the Data API run on the service side.
 */
export class WarehouseNetwork extends Construct {
  public readonly vpc: ec2.Vpc;
  /** The isolated subnets the workgroup is placed in. */
  public readonly subnets: ec2.SelectedSubnets;
  public readonly flowLogGroup: logs.LogGroup;
  public readonly s3Endpoint: ec2.GatewayVpcEndpoint;
  /** Private subnets behind the NAT gateways (only with `natGateways`). */
  public readonly natSubnets?: ec2.SelectedSubnets;

  constructor(scope: Construct, id: string, props: WarehouseNetworkProps) {
    super(scope, id);
    const nat = props.natGateways ?? 0;
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr),
      ...(props.availabilityZones ? { availabilityZones: [...props.availabilityZones] } : { maxAzs: 3 }),
      natGateways: nat,
      subnetConfiguration: [
        { name: 'warehouse', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
        ...(nat
          ? [
              { name: 'nat', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 28, mapPublicIpOnLaunch: false },
              { name: 'egress', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 26 },
            ]
          : []),
      ],
      restrictDefaultSecurityGroup: true,
    });
    this.subnets = this.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED });
    if (nat) this.natSubnets = this.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
    const s3Subnets = [
      { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ...(nat ? [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }] : []),
    ];
    this.s3Endpoint = this.vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: s3Subnets });

    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: props.logRetention,
      encryptionKey: props.logsKey,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    this.boundRestrictDefaultSgLogs(props);
  }

  /**
   * `restrictDefaultSecurityGroup` adds a stack-wide CDK provider function that would log to an implicit log group
   * that never expires: give it an explicit, bounded, encrypted one that exists before the function runs.
   */
  private boundRestrictDefaultSgLogs(props: WarehouseNetworkProps): void {
    const provider = Stack.of(this).node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
    const handler = provider?.node.tryFindChild('Handler') as CfnResource | undefined;
    if (!handler) throw new Error('WarehouseNetwork: the restrict-default-SG provider was not found; CDK changed its construct ids');
    const logGroup = new logs.LogGroup(this, 'RestrictDefaultSgLogs', {
      logGroupName: `/aws/lambda/${handler.ref}`,
      retention: props.logRetention,
      encryptionKey: props.logsKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.vpc.node.tryFindChild('RestrictDefaultSecurityGroupCustomResource')?.node.addDependency(logGroup);
  }
}
