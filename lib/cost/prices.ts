/**
 * On-demand list prices (USD) the cost estimate uses, one table per region. Dated: prices change, so the estimate
 * prints the date of the table it used. Update a table from the AWS Pricing Calculator / the services' pricing pages
 * and move its date; add a region by adding a table.
 */
export interface PriceTable {
  /** The day these prices were recorded (YYYY-MM-DD). */
  readonly recorded: string;
  readonly region: string;
  readonly kinesis: {
    /** Provisioned mode: per shard-hour. */
    readonly shardHour: number;
    /** Provisioned mode: per million 25 KB PUT payload units. */
    readonly putUnitsPerMillion: number;
    /** On-demand mode: per stream-hour. */
    readonly onDemandStreamHour: number;
    /** On-demand mode: per GB written. */
    readonly onDemandGbIn: number;
    /** On-demand mode: per GB read (each consumer reads everything). */
    readonly onDemandGbOut: number;
  };
  readonly firehose: {
    /** Per GB ingested (records rounded up to 5 KB). */
    readonly gbIngested: number;
    /** Dynamic partitioning: per GB processed. */
    readonly partitioningGb: number;
    /** Dynamic partitioning: per 1,000 objects delivered. */
    readonly partitioningObjectsPerThousand: number;
  };
  readonly lambda: {
    readonly requestsPerMillion: number;
    /** arm64 duration, per GB-second. */
    readonly armGbSecond: number;
  };
  readonly s3: {
    readonly standardGbMonth: number;
    readonly infrequentAccessGbMonth: number;
    readonly glacierFlexibleGbMonth: number;
    readonly putPerThousand: number;
    readonly getPerThousand: number;
  };
  readonly kms: { readonly keyMonth: number; readonly requestsPerTenThousand: number };
  readonly stepFunctions: { readonly transitionsPerThousand: number };
  readonly glue: { readonly dpuHour: number; readonly minimumBilledSeconds: number };
  readonly redshiftServerless: { readonly rpuHour: number; readonly storageGbMonth: number; readonly minimumBilledSeconds: number };
  /** ECS on Fargate, Linux/arm64. */
  readonly fargate: { readonly vcpuHour: number; readonly gbHour: number };
  readonly dynamodb: { readonly writeRequestsPerMillion: number; readonly readRequestsPerMillion: number };
  readonly cloudwatch: {
    readonly alarmMonth: number;
    readonly customMetricMonth: number;
    readonly dashboardMonth: number;
    readonly logsIngestedGb: number;
    readonly logsStoredGbMonth: number;
  };
  readonly vpc: {
    /** Interface endpoint, per AZ-hour. */
    readonly interfaceEndpointAzHour: number;
    readonly interfaceEndpointGb: number;
    readonly natGatewayHour: number;
    readonly natGatewayGb: number;
  };
  readonly secretsManager: { readonly secretMonth: number };
}

/** Europe (Ireland). */
const EU_WEST_1: PriceTable = {
  recorded: '2026-11-29',
  region: 'eu-west-1',
  kinesis: { shardHour: 0.0165, putUnitsPerMillion: 0.0154, onDemandStreamHour: 0.044, onDemandGbIn: 0.088, onDemandGbOut: 0.044 },
  firehose: { gbIngested: 0.031, partitioningGb: 0.022, partitioningObjectsPerThousand: 0.0055 },
  lambda: { requestsPerMillion: 0.2, armGbSecond: 0.0000133334 },
  s3: {
    standardGbMonth: 0.023,
    infrequentAccessGbMonth: 0.0125,
    glacierFlexibleGbMonth: 0.0036,
    putPerThousand: 0.005,
    getPerThousand: 0.0004,
  },
  kms: { keyMonth: 1, requestsPerTenThousand: 0.03 },
  stepFunctions: { transitionsPerThousand: 0.025 },
  glue: { dpuHour: 0.44, minimumBilledSeconds: 60 },
  redshiftServerless: { rpuHour: 0.375, storageGbMonth: 0.024, minimumBilledSeconds: 60 },
  fargate: { vcpuHour: 0.03238, gbHour: 0.00356 },
  dynamodb: { writeRequestsPerMillion: 0.7068, readRequestsPerMillion: 0.1413 },
  cloudwatch: { alarmMonth: 0.1, customMetricMonth: 0.3, dashboardMonth: 3, logsIngestedGb: 0.57, logsStoredGbMonth: 0.03 },
  vpc: { interfaceEndpointAzHour: 0.011, interfaceEndpointGb: 0.01, natGatewayHour: 0.048, natGatewayGb: 0.048 },
  secretsManager: { secretMonth: 0.4 },
};

export const PRICE_TABLES: Readonly<Record<string, PriceTable>> = { 'eu-west-1': EU_WEST_1 };

/** The price table of a region; an error naming the regions that have one otherwise. */
export function pricesFor(region: string): PriceTable {
  const table = PRICE_TABLES[region];
  if (!table)
    throw new Error(`no price table for region ${region} (have: ${Object.keys(PRICE_TABLES).join(', ')}); add one in lib/cost/prices.ts`);
  return table;
}
