import { Duration, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { WarehouseTarget } from '../stacks/warehouse-stack';
import { BatchFunction, bucketNames, type BatchFunctionBaseProps, type BatchLakeAccess } from './batch-function';
import { dataApiPolicyStatements } from './data-api-policy';
import { grantLakeObjects } from './lake-grants';
import type { LineageRuntimeConfig } from '../../lambda/contracts/lineage-config';

export interface BatchLoadFunctionProps extends BatchFunctionBaseProps {
  /** Where the function sends its OpenLineage events (the lake copy, and the endpoint when configured). */
  readonly lineage: LineageRuntimeConfig;
  readonly lake: BatchLakeAccess;
  /** The warehouse the load SQL runs in, through the Redshift Data API. */
  readonly warehouse: WarehouseTarget;
}

/**
 * The batch loader Lambda: runs each table's load SQL (COPY from the staging manifests, then MERGE) through the
 * Redshift Data API with a bounded poll. Its role gets the warehouse's loader database role by principal tag.
 */
export class BatchLoadFunction extends BatchFunction<'load'> {
  constructor(scope: Construct, id: string, props: BatchLoadFunctionProps) {
    const { lake, warehouse, lineage, ...base } = props;
    super(scope, id, {
      ...base,
      handler: 'load',
      description: 'Batch loader: warehouse load SQL per table via the Redshift Data API, bounded poll',
      config: {
        buckets: bucketNames(lake.zones),
        workgroupName: warehouse.workgroupName,
        database: warehouse.databaseName,
        copyRoleArn: warehouse.copyRoleArn,
        pollIntervalMs: 5_000,
        maxPolls: 150,
        lineage,
      },
      timeout: Duration.minutes(15),
      unscopedReasons: [
        'redshift-data:DescribeStatement/CancelStatement on statements this role submitted (condition redshift-data:statement-owner-iam-userid)',
      ],
    });
    // Database roles for IAM identities (granted by the warehouse setup through this principal tag).
    Tags.of(this.role).add('RedshiftDbRoles', warehouse.loaderDbRole);
    grantLakeObjects(this.role, lake.zones, lake.key, [{ zone: 'staging', prefixes: ['manifests/'], actions: ['get'] }]);
    const statements = {
      operations: ['transaction', 'cancel'],
      iamAuth: true,
      sids: { submit: 'SubmitLoads', follow: 'OwnStatements' },
    } as const;
    for (const statement of dataApiPolicyStatements({ workgroupArn: warehouse.workgroupArn, ...statements }))
      this.role.addToPrincipalPolicy(statement);
  }
}
