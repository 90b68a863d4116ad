import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';

/**
 * How the batch extract reaches the OLTP Postgres: the network path (one of three), the port, the pg client's
 * timeouts and the certificate authority that signs the database's TLS certificate. Part of each environment's
 * config (`oltp`); docs/oltp-connectivity.md explains the choices.
 */

const ipv4Cidr = z
  .string()
  .regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(\d|[12]\d|3[0-2])$/, 'must be an IPv4 CIDR such as 10.20.0.0/16');

/** A routed (private) destination: a real network, never the whole internet. */
const routedCidr = ipv4Cidr.refine(
  (c) => Number(c.split('/')[1]) >= 8,
  'must be /8 or narrower: routes and egress go to the OLTP network only',
);

const network = z.discriminatedUnion('mode', [
  z.strictObject({
    /** The VPC is attached to a transit gateway (e.g. the one that holds the VPN or Direct Connect to on-premises). */
    mode: z.literal('transit-gateway'),
    transitGatewayId: z.string().regex(/^tgw-[0-9a-f]{8,17}$/, 'must be a transit gateway id such as tgw-0123456789abcdef0'),
    /** Network of the OLTP database, routed through the transit gateway. */
    cidr: routedCidr,
  }),
  z.strictObject({
    /** A peering connection to the VPC of the database (e.g. the shop's RDS VPC), requested by this stack. */
    mode: z.literal('vpc-peering'),
    peerVpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, 'must be a VPC id such as vpc-0123456789abcdef0'),
    /** CIDR of the peer VPC (or of the database subnets in it), routed through the peering connection. */
    cidr: routedCidr,
    /** @default - this environment's account */
    peerOwnerId: z
      .string()
      .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
      .optional(),
    /** @default - this environment's region */
    peerRegion: z
      .string()
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as eu-west-1')
      .optional(),
    /** Role in the peer account that accepts the peering (required when the peer account is another account). */
    peerRoleArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN')
      .optional(),
  }),
  z.strictObject({
    /** Private subnets with a NAT gateway for a database with a public endpoint. */
    mode: z.literal('nat'),
    /** Where the database's public endpoint is; `0.0.0.0/0` only with `openEgressReason`. */
    cidr: ipv4Cidr,
    /** Why egress on the database port may go anywhere (e.g. the endpoint's address is not fixed). */
    openEgressReason: z.string().min(20, 'must explain in at least 20 characters why egress may go anywhere').optional(),
    /** NAT gateways (one per AZ up to three; one is cheaper, three survive an AZ outage). @default 1 */
    natGateways: z.number().int().min(1, 'must be ≥ 1').max(3, 'must be ≤ 3').default(1),
  }),
]);

const tls = z.discriminatedUnion('ca', [
  /** The Amazon RDS certificate bundle the Lambda runtime ships (RDS / Aurora). */
  z.strictObject({ ca: z.literal('rds') }),
  /** A PEM bundle stored in a field of the OLTP secret (e.g. `caPem`), for a database with a private CA. */
  z.strictObject({ ca: z.literal('secret-field'), field: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a JSON field name') }),
  /** A PEM bundle in the repository (path from the repository root), bundled with the extract Lambda. */
  z.strictObject({
    ca: z.literal('file'),
    path: z.string().refine((p) => {
      const abs = path.resolve(__dirname, '..', '..', p);
      return fs.existsSync(abs) && fs.readFileSync(abs, 'utf8').includes('-----BEGIN CERTIFICATE-----');
    }, 'must be a PEM file (with a BEGIN CERTIFICATE block) relative to the repository root'),
  }),
]);

export const oltpSchema = z
  .strictObject({
    network,
    /** Postgres port of the OLTP database (egress is opened to this port only). @default 5432 */
    port: z.number().int().min(1, 'must be a TCP port').max(65_535, 'must be a TCP port').default(5432),
    tls: tls.default({ ca: 'rds' }),
    timeouts: z
      .strictObject({
        /** Give up connecting (network path down, wrong host) after this long. */
        connectSeconds: z.number().int().min(1, 'must be ≥ 1 second').max(60, 'must be ≤ 60 seconds').default(10),
        /** Server-side `statement_timeout` of every extract statement. */
        statementSeconds: z
          .number()
          .int()
          .min(1, 'must be ≥ 1 second')
          .max(840, 'must be ≤ 840 seconds (the extract Lambda runs 15 minutes)')
          .default(600),
        /** Client-side limit on one query round trip (covers a server that stops answering). */
        querySeconds: z
          .number()
          .int()
          .min(1, 'must be ≥ 1 second')
          .max(870, 'must be ≤ 870 seconds (the extract Lambda runs 15 minutes)')
          .default(660),
      })
      .default({ connectSeconds: 10, statementSeconds: 600, querySeconds: 660 })
      .refine((t) => t.querySeconds >= t.statementSeconds, { message: 'must be ≥ statementSeconds', path: ['querySeconds'] }),
  })
  .superRefine((o, ctx) => {
    if (o.network.mode === 'nat' && o.network.cidr === '0.0.0.0/0' && !o.network.openEgressReason) {
      ctx.addIssue({ code: 'custom', path: ['network', 'openEgressReason'], message: 'is required when cidr is 0.0.0.0/0' });
    }
  });

export type OltpConfig = z.infer<typeof oltpSchema>;
export type OltpNetwork = OltpConfig['network'];

/** Whether two IPv4 CIDRs share an address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const parse = (c: string) => {
    const [ip, bits] = c.split('/');
    const n = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
    const size = 2 ** (32 - Number(bits));
    const start = n - (n % size);
    return [start, start + size] as const;
  };
  const [as, ae] = parse(a);
  const [bs, be] = parse(b);
  return as < be && bs < ae;
}

/** Checks of `oltp` against the rest of an environment (the warehouse VPC, the account). */
export function checkOltpAgainstEnvironment(
  c: { readonly account?: string; readonly oltp: OltpConfig; readonly warehouse: { readonly vpcCidr: string } },
  addIssue: (path: (string | number)[], message: string) => void,
): void {
  const n = c.oltp.network;
  if (n.mode !== 'nat' && cidrsOverlap(n.cidr, c.warehouse.vpcCidr)) {
    addIssue(['oltp', 'network', 'cidr'], `must not overlap the warehouse VPC ${c.warehouse.vpcCidr} (its local route would win)`);
  }
  if (n.mode === 'vpc-peering' && n.peerOwnerId !== undefined && n.peerOwnerId !== c.account && n.peerRoleArn === undefined) {
    addIssue(['oltp', 'network', 'peerRoleArn'], 'is required when the peer VPC is in another account (it accepts the peering)');
  }
}
