import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { OltpConfig } from '../config/oltp-schema';
import { allowOltpEgress } from './oltp-extract';

export interface BatchNetworkProps {
  /** The warehouse VPC the extract Lambda and the dbt task run in. */
  readonly vpc: ec2.IVpc;
  /** Subnets of the interface endpoints (the warehouse's isolated subnets). */
  readonly endpointSubnets: ec2.SubnetSelection;
  /** The warehouse's security group: admits dbt on 5439. */
  readonly warehouseSecurityGroup: ec2.ISecurityGroup;
  /** Where the OLTP database is and how it is reached: the extract's only egress besides HTTPS. */
  readonly oltp: OltpConfig;
}

/** Interface endpoints of the AWS APIs the batch calls from its private subnets (no internet route). */
const ENDPOINT_SERVICES: Readonly<Record<string, ec2.InterfaceVpcEndpointAwsService>> = {
  SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  EcrApi: ec2.InterfaceVpcEndpointAwsService.ECR,
  EcrDocker: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
  Logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  RedshiftServerless: ec2.InterfaceVpcEndpointAwsService.REDSHIFT_SERVERLESS,
};

/**
 * The batch's network in the warehouse VPC: the extract Lambda's group (Postgres to the OLTP CIDR, HTTPS), the dbt
 * task's group (Redshift 5439 in the VPC, HTTPS) with its ingress on the warehouse group, and the interface
 * endpoints, whose group admits only those two.
 *
 * Create it with the id `Default`: CDK leaves that id out of logical ids, so these resources keep the ids the batch
 * stack deployed them under (a replaced endpoint would collide with the old one's private DNS name).
 */
export class BatchNetwork extends Construct {
  public readonly extractSecurityGroup: ec2.SecurityGroup;
  public readonly dbtSecurityGroup: ec2.SecurityGroup;
  public readonly endpointSecurityGroup: ec2.SecurityGroup;
  public readonly endpoints: readonly ec2.InterfaceVpcEndpoint[];

  constructor(scope: Construct, id: string, props: BatchNetworkProps) {
    super(scope, id);
    const { vpc } = props;
    // The extract runs in the subnets with the configured path to the OLTP database (oltp.network: transit gateway,
    // peering or NAT); AWS APIs through the endpoints.
    this.extractSecurityGroup = new ec2.SecurityGroup(this, 'ExtractSecurityGroup', {
      vpc,
      description: 'Batch extract Lambda: Postgres out, HTTPS to VPC endpoints',
      allowAllOutbound: false,
    });
    allowOltpEgress(this.extractSecurityGroup, props.oltp);
    // HTTPS to the interface endpoints and the S3 gateway endpoint; the isolated subnets have no internet route.
    this.extractSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'AWS APIs via VPC endpoints (no internet route)');
    this.dbtSecurityGroup = new ec2.SecurityGroup(this, 'DbtSecurityGroup', {
      vpc,
      description: 'dbt on Fargate: Redshift 5439, HTTPS to VPC endpoints',
      allowAllOutbound: false,
    });
    this.dbtSecurityGroup.addEgressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(5439), 'Redshift Serverless workgroup');
    this.dbtSecurityGroup.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'AWS APIs and ECR layers via VPC endpoints (no internet route)',
    );
    // Declared here (not on the warehouse's group object) so the dependency points batch → warehouse only.
    new ec2.CfnSecurityGroupIngress(this, 'DbtToWarehouse', {
      groupId: props.warehouseSecurityGroup.securityGroupId,
      sourceSecurityGroupId: this.dbtSecurityGroup.securityGroupId,
      ipProtocol: 'tcp',
      fromPort: 5439,
      toPort: 5439,
      description: 'dbt (hourly batch) to Redshift Serverless',
    });

    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc,
      description: 'Interface endpoints used by the batch',
      allowAllOutbound: false,
    });
    this.endpointSecurityGroup.addIngressRule(this.extractSecurityGroup, ec2.Port.tcp(443), 'extract Lambda');
    this.endpointSecurityGroup.addIngressRule(this.dbtSecurityGroup, ec2.Port.tcp(443), 'dbt task');
    // `open: false`: the endpoints admit only the two client groups above, not the whole VPC CIDR.
    this.endpoints = Object.entries(ENDPOINT_SERVICES).map(
      ([name, service]) =>
        new ec2.InterfaceVpcEndpoint(this, `${name}Endpoint`, {
          vpc,
          service,
          subnets: props.endpointSubnets,
          securityGroups: [this.endpointSecurityGroup],
          privateDnsEnabled: true,
          open: false,
        }),
    );
  }
}
