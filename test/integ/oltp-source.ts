import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { OLTP_TABLES } from '../../lambda/contracts/table-specs';
import { createOltpSchema, generateOltp, pgType, storedColumns } from '../../scripts/local/batch/oltp';

export interface IntegOltpSourceProps extends StackProps {
  /** The warehouse VPC, where the batch extract runs. */
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  /** The batch's OLTP source secret: its user and password become the cluster's master credentials. */
  readonly secret: secretsmanager.ISecret;
  /** Database name in the secret (`dbname`). */
  readonly databaseName: string;
}

/**
 * A throwaway OLTP Postgres for the integration test: Aurora PostgreSQL Serverless v2 with the Data API (so the test
 * can seed it without a network path), in the warehouse VPC where the batch extract connects to it.
 */
export class IntegOltpSource extends Stack {
  public readonly cluster: rds.DatabaseCluster;

  constructor(scope: Construct, id: string, props: IntegOltpSourceProps) {
    super(scope, id, props);
    const sg = new ec2.SecurityGroup(this, 'OltpSecurityGroup', {
      vpc: props.vpc,
      description: 'Integration-test OLTP source',
      allowAllOutbound: false,
    });
    sg.addIngressRule(ec2.Peer.ipv4(props.vpc.vpcCidrBlock), ec2.Port.tcp(5432), 'batch extract in the warehouse VPC');
    this.cluster = new rds.DatabaseCluster(this, 'Oltp', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_6 }),
      // The secret's own user and password (dynamic references): the extract connects with exactly that secret.
      credentials: rds.Credentials.fromPassword(
        props.secret.secretValueFromJson('username').unsafeUnwrap(),
        props.secret.secretValueFromJson('password'),
      ),
      defaultDatabaseName: props.databaseName,
      writer: rds.ClusterInstance.serverlessV2('Writer'),
      serverlessV2MinCapacity: 0.5,
      serverlessV2MaxCapacity: 2,
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: [sg],
      enableDataApi: true,
      storageEncrypted: true,
      backup: { retention: Duration.days(1) },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Writes the cluster's host and port into the batch's secret (declared here, so the batch does not depend on it).
    new secretsmanager.SecretTargetAttachment(this, 'SecretTarget', { secret: props.secret, target: this.cluster });
  }
}

/** The SQL that creates the OLTP tables and fills them with a small generated state around `windowStart`. */
export async function seedStatements(windowStart: Date): Promise<string[]> {
  const statements: string[] = [];
  await createOltpSchema({ query: async (sql: string) => void statements.push(sql) } as never);
  const data = generateOltp({ windowStart, seed: 11, customers: 20, products: 10, orders: 40 });
  for (const table of OLTP_TABLES) {
    const columns = storedColumns(table);
    const literal = (c: (typeof columns)[number], v: string | null | undefined) =>
      v === null || v === undefined ? 'NULL' : `'${v.replace(/'/g, "''")}'::${pgType(c)}`;
    const rows = data.rows[table].map((r) => `(${columns.map((c) => literal(c, r[c.name])).join(', ')})`);
    if (rows.length > 0) statements.push(`INSERT INTO ${table} (${columns.map((c) => c.name).join(', ')}) VALUES\n${rows.join(',\n')}`);
  }
  return statements;
}
