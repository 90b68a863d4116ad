import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CUSTOMER_FEATURES_COLUMNS } from '../../lambda/contracts/glue-args';
import { WAREHOUSE_TABLE_SPECS, type ColumnType, type TableSpec } from '../../lambda/contracts/table-specs';

export interface GlueCatalogProps {
  /** Glue database name (lower-case letters, digits, underscores). */
  readonly databaseName: string;
  /** The staging zone holding `conformed/` and `analytics/`. */
  readonly staging: s3.IBucket;
  /**
   * First day the dt partitions are projected from (YYYY-MM-DD).
   * @default '2024-01-01'
   */
  readonly firstPartitionDate?: string;
}

/** The Glue type of a table-spec column. */
export function glueType(type: ColumnType): glue.Type {
  switch (type.kind) {
    case 'varchar':
      return glue.Schema.varchar(type.length);
    case 'char':
      return glue.Schema.char(type.length);
    case 'integer':
      return glue.Schema.INTEGER;
    case 'bigint':
      return glue.Schema.BIG_INT;
    case 'decimal':
      return glue.Schema.decimal(type.precision, type.scale);
    case 'date':
      return glue.Schema.DATE;
    case 'timestamp':
      return glue.Schema.TIMESTAMP;
    case 'boolean':
      return glue.Schema.BOOLEAN;
  }
}

/**
 * The curated lake in the Glue Data Catalog, so Athena / Spectrum can query it: one table per conformed warehouse
 * table (`conformed/<table>/dt=…/hr=…/`, columns from the table specs) and the customer features
 * (`analytics/customer_features/as_of_date=…/`). Partitions are projected (no crawler, nothing to repair).
 */
export class GlueCatalog extends Construct {
  public readonly database: glue.Database;
  public readonly tables: Readonly<Record<string, glue.S3Table>>;

  constructor(scope: Construct, id: string, props: GlueCatalogProps) {
    super(scope, id);
    this.database = new glue.Database(this, 'Database', {
      databaseName: props.databaseName,
      description: 'DataFlow curated lake: conformed OLTP / stream tables and customer features (staging zone)',
    });
    const first = props.firstPartitionDate ?? '2024-01-01';
    const hourly = {
      dt: glue.PartitionProjectionConfiguration.date({
        min: first,
        max: 'NOW',
        format: 'yyyy-MM-dd',
        step: { interval: 1, intervalUnit: glue.DateIntervalUnit.DAYS },
      }),
      hr: glue.PartitionProjectionConfiguration.integer({ min: 0, max: 23, digits: 2 }),
    };
    const tables: Record<string, glue.S3Table> = {};
    for (const spec of Object.values(WAREHOUSE_TABLE_SPECS) as TableSpec[]) {
      tables[spec.name] = new glue.S3Table(this, `Conformed-${spec.name}`, {
        database: this.database,
        tableName: `conformed_${spec.name}`,
        description: spec.description,
        storage: glue.S3TableStorage.fromBucket(props.staging),
        s3Prefix: `conformed/${spec.name}/`,
        dataFormat: glue.DataFormat.PARQUET,
        columns: spec.columns.map((c) => ({ name: c.name, type: glueType(c.type), comment: c.description })),
        partitionKeys: [
          { name: 'dt', type: glue.Schema.STRING, comment: 'Batch window day (UTC).' },
          { name: 'hr', type: glue.Schema.STRING, comment: 'Batch window hour (UTC, two digits).' },
        ],
        partitionProjection: hourly,
      });
    }
    tables.customer_features = new glue.S3Table(this, 'CustomerFeatures', {
      database: this.database,
      tableName: 'customer_features',
      description: 'Per-customer RFM scores and segments, tiers, order statistics, quarterly revenue (Glue customer_features job).',
      storage: glue.S3TableStorage.fromBucket(props.staging),
      s3Prefix: 'analytics/customer_features/',
      dataFormat: glue.DataFormat.PARQUET,
      columns: CUSTOMER_FEATURES_COLUMNS.map((c) => ({ name: c.name, type: glue.Schema.custom(c.type) })),
      partitionKeys: [{ name: 'as_of_date', type: glue.Schema.STRING, comment: 'Day the features were computed for.' }],
      partitionProjection: {
        as_of_date: glue.PartitionProjectionConfiguration.date({
          min: first,
          max: 'NOW',
          format: 'yyyy-MM-dd',
          step: { interval: 1, intervalUnit: glue.DateIntervalUnit.DAYS },
        }),
      },
    });
    this.tables = tables;
  }
}
