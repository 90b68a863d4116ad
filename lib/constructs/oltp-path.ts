import { Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { OltpNetwork } from '../config/oltp-schema';

export interface OltpPathProps {
  readonly vpc: ec2.IVpc;
  /** The isolated subnets the extract runs in for the routed modes (transit gateway, peering). */
  readonly isolatedSubnets: ec2.SelectedSubnets;
  /** Private subnets behind a NAT gateway (required for `nat`; see `WarehouseNetworkProps.natGateways`). */
  readonly natSubnets?: ec2.SelectedSubnets;
  /** The configured network path to the OLTP database. */
  readonly network: OltpNetwork;
  /** Name tag of the attachment / peering connection. */
  readonly name: string;
}

/**
 * The network path from the batch extract to the OLTP database, as configured: a transit-gateway attachment of
 * the VPC plus a route to the database CIDR in each extract subnet; or a peering connection to the database's VPC
 * plus the same routes; or (for a public endpoint) the private subnets behind a NAT gateway. The other side (the
 * transit gateway's route back, the peer VPC's route back and accepting the peering, the database's security
 * group) belongs to the database's owner: docs/oltp-connectivity.md lists it.
 */
export class OltpPath extends Construct {
  /** Where the extract Lambda runs. */
  public readonly extractSubnets: ec2.SubnetSelection;
  /** One route per extract subnet to the OLTP CIDR (routed modes). */
  public readonly routes: ec2.CfnRoute[] = [];
  public readonly attachment?: ec2.CfnTransitGatewayAttachment;
  public readonly peering?: ec2.CfnVPCPeeringConnection;

  constructor(scope: Construct, id: string, props: OltpPathProps) {
    super(scope, id);
    const n = props.network;
    if (n.mode === 'nat') {
      if (!props.natSubnets?.subnets.length)
        throw new Error('OltpPath: mode "nat" needs the VPC built with natGateways (private subnets with egress)');
      this.extractSubnets = { subnets: props.natSubnets.subnets };
      return;
    }
    this.extractSubnets = { subnets: props.isolatedSubnets.subnets };
    let target: Pick<ec2.CfnRouteProps, 'transitGatewayId' | 'vpcPeeringConnectionId'>;
    if (n.mode === 'transit-gateway') {
      this.attachment = new ec2.CfnTransitGatewayAttachment(this, 'Attachment', {
        transitGatewayId: n.transitGatewayId,
        vpcId: props.vpc.vpcId,
        subnetIds: props.isolatedSubnets.subnetIds,
      });
      Tags.of(this.attachment).add('Name', `${props.name}-oltp`);
      target = { transitGatewayId: n.transitGatewayId };
    } else {
      this.peering = new ec2.CfnVPCPeeringConnection(this, 'Peering', {
        vpcId: props.vpc.vpcId,
        peerVpcId: n.peerVpcId,
        peerOwnerId: n.peerOwnerId,
        peerRegion: n.peerRegion,
        peerRoleArn: n.peerRoleArn,
      });
      Tags.of(this.peering).add('Name', `${props.name}-oltp`);
      target = { vpcPeeringConnectionId: this.peering.ref };
    }
    props.isolatedSubnets.subnets.forEach((subnet, i) => {
      const route = new ec2.CfnRoute(this, `Route${i + 1}`, {
        routeTableId: subnet.routeTable.routeTableId,
        destinationCidrBlock: n.cidr,
        ...target,
      });
      if (this.attachment) route.addResourceDependency(this.attachment);
      this.routes.push(route);
    });
  }
}
