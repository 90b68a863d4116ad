import { Duration, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { OltpConfig } from '../config/oltp-schema';
import { BatchFunction, bucketNames, type BatchFunctionBaseProps, type BatchLakeAccess } from './batch-function';
import { grantLakeObjects } from './lake-grants';
import { oltpExtractSettings } from './oltp-extract';
import type { LineageRuntimeConfig } from '../../lambda/contracts/lineage-config';

export interface BatchExtractFunctionProps extends BatchFunctionBaseProps {
  /** Where the function sends its OpenLineage events (the lake copy, and the endpoint when configured). */
  readonly lineage: LineageRuntimeConfig;
  readonly lake: BatchLakeAccess;
  /** The OLTP database: network, port, timeouts, TLS CA. */
  readonly oltp: OltpConfig;
  /** Read-only credentials of the OLTP database (encrypted with `key`). */
  readonly oltpSecret: secretsmanager.ISecret;
  /** Minutes before a window's start re-read to catch late commits. */
  readonly overlapMinutes: number;
  readonly vpc: ec2.IVpc;
  /** Subnets with the configured route to the OLTP database. */
  readonly vpcSubnets: ec2.SubnetSelection;
  readonly securityGroup: ec2.ISecurityGroup;
}

/**
 * The batch extract Lambda: one OLTP table and window to the raw zone (`oltp/`), from the warehouse VPC. Writes its
 * parts and manifest, lists and deletes the parts its manifest does not name, reads the OLTP secret.
 */
export class BatchExtractFunction extends BatchFunction<'extract'> {
  constructor(scope: Construct, id: string, props: BatchExtractFunctionProps) {
    const { lake, oltp, oltpSecret, overlapMinutes, vpc, vpcSubnets, securityGroup, lineage, ...base } = props;
    const settings = oltpExtractSettings(oltp);
    super(scope, id, {
      ...base,
      handler: 'extract',
      description: 'Batch extract: one OLTP table and window to the raw zone',
      config: { buckets: bucketNames(lake.zones), oltpSecretArn: oltpSecret.secretArn, oltp: settings.runtime, overlapMinutes, lineage },
      timeout: Duration.minutes(15),
      memorySize: 1024,
      vpc,
      vpcSubnets,
      securityGroups: [securityGroup],
      environment: settings.environment,
      bundledFiles: settings.bundledFiles,
    });
    grantLakeObjects(this.role, lake.zones, lake.key, [{ zone: 'raw', prefixes: ['oltp/'], actions: ['put', 'delete'] }]);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'OltpSecret', actions: ['secretsmanager:GetSecretValue'], resources: [oltpSecret.secretArn] }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'OltpSecretKey',
        actions: ['kms:Decrypt'],
        resources: [props.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }
}
