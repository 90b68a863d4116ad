import { Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { BatchFunction, bucketNames, type BatchFunctionBaseProps, type BatchLakeAccess } from './batch-function';
import { grantLakeObjects } from './lake-grants';
import type { LineageRuntimeConfig } from '../../lambda/contracts/lineage-config';

export interface BatchQualityFunctionProps extends BatchFunctionBaseProps {
  /** Where the function sends its OpenLineage events (the lake copy, and the endpoint when configured). */
  readonly lineage: LineageRuntimeConfig;
  readonly lake: BatchLakeAccess;
  /** ISO-4217 currencies an order may carry. */
  readonly currencies: readonly string[];
  /** The expectations' thresholds. */
  readonly thresholds: EnvironmentConfig['quality'];
}

/**
 * The batch quality gate Lambda: reads one table and window of the extract, writes its staging and quarantine parts
 * (listing and deleting stale ones), its manifest and its report.
 */
export class BatchQualityFunction extends BatchFunction<'quality'> {
  constructor(scope: Construct, id: string, props: BatchQualityFunctionProps) {
    const { lake, currencies, thresholds, lineage, ...base } = props;
    super(scope, id, {
      ...base,
      handler: 'quality',
      description: 'Batch quality gate: one table and window, raw to staging / quarantine + report',
      config: { buckets: bucketNames(lake.zones), currencies: [...currencies], thresholds, lineage },
      timeout: Duration.minutes(15),
      memorySize: 2048,
    });
    grantLakeObjects(this.role, lake.zones, lake.key, [
      { zone: 'raw', prefixes: ['oltp/'], actions: ['get'] },
      { zone: 'staging', prefixes: ['oltp/'], actions: ['put', 'delete'] },
      { zone: 'staging', prefixes: ['quality/'], actions: ['put'] },
      { zone: 'quarantine', prefixes: ['oltp/'], actions: ['put', 'delete'] },
    ]);
  }
}
