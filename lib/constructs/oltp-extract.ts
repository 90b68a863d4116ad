import * as path from 'node:path';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { BUNDLED_CA_FILE, type OltpConnectionSettings } from '../../lambda/contracts/batch-config';
import type { OltpConfig } from '../config/oltp-schema';

/** Repository root: `tls.path` is relative to it. */
const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** What the extract Lambda gets from `oltp`: its runtime settings, environment and files to bundle. */
export interface OltpExtractSettings {
  /** `BATCH_CONFIG.oltp`. */
  readonly runtime: OltpConnectionSettings;
  readonly environment: Record<string, string>;
  /** Files copied next to the handler (name → absolute source path). */
  readonly bundledFiles: Record<string, string>;
}

export function oltpExtractSettings(oltp: OltpConfig): OltpExtractSettings {
  const t = oltp.timeouts;
  const timeouts = {
    connectTimeoutMs: t.connectSeconds * 1000,
    statementTimeoutMs: t.statementSeconds * 1000,
    queryTimeoutMs: t.querySeconds * 1000,
  };
  switch (oltp.tls.ca) {
    case 'rds':
      // Node 18+ Lambda runtimes ship the RDS CAs in this file but no longer load it by default.
      return {
        runtime: { ...timeouts, ca: { source: 'rds' } },
        environment: { NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem' },
        bundledFiles: {},
      };
    case 'secret-field':
      return { runtime: { ...timeouts, ca: { source: 'secret-field', field: oltp.tls.field } }, environment: {}, bundledFiles: {} };
    case 'file':
      return {
        runtime: { ...timeouts, ca: { source: 'file' } },
        environment: {},
        bundledFiles: { [BUNDLED_CA_FILE]: path.resolve(REPO_ROOT, oltp.tls.path) },
      };
  }
}

/**
 * The extract's only egress towards the database: the OLTP CIDR on the database port. `0.0.0.0/0` is possible
 * only for `nat` with a written reason (the config refuses it otherwise), and then still the port only.
 */
export function allowOltpEgress(sg: ec2.SecurityGroup, oltp: OltpConfig): void {
  const n = oltp.network;
  const how =
    n.mode === 'transit-gateway'
      ? `via ${n.transitGatewayId}`
      : n.mode === 'vpc-peering'
        ? `via peering with ${n.peerVpcId}`
        : 'public endpoint via NAT';
  const reason = n.mode === 'nat' && n.openEgressReason ? `: ${n.openEgressReason}` : '';
  sg.addEgressRule(ec2.Peer.ipv4(n.cidr), ec2.Port.tcp(oltp.port), `OLTP Postgres ${how}${reason}`.slice(0, 255));
}
