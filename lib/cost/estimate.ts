import { ASSUMPTIONS, type DeclaredLoad, type EstimateSettings } from './inputs';
import type { PriceTable } from './prices';
import type { PlatformShape } from './shape';

export interface CostLine {
  readonly service: string;
  readonly monthlyUsd: number;
  /** The quantities behind the figure. */
  readonly basis: string;
}

export interface CostEstimate {
  readonly lines: readonly CostLine[];
  readonly totalUsd: number;
  /** Warnings a reader should act on (e.g. the warehouse would exceed its usage limit). */
  readonly notes: readonly string[];
  readonly pricesRecorded: string;
  readonly region: string;
}

const HOURS = 730;
const DAYS = HOURS / 24;
const GB = 1024 ** 3;
const round2 = (x: number) => Math.round(x * 100) / 100;
const fmt = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : String(Math.round(x * 100) / 100));

/** GB-months held in a zone in steady state: data of each day, kept in each storage class for its days. */
function tiered(gbPerDay: number, standardDays: number, iaDays: number, glacierDays: number) {
  return { standard: gbPerDay * standardDays, ia: gbPerDay * iaDays, glacier: gbPerDay * glacierDays };
}

/** The monthly bill of one environment, per service, from its shape, settings, declared load and prices. */
export function estimateMonthlyCost(
  shape: PlatformShape,
  settings: EstimateSettings,
  load: DeclaredLoad,
  prices: PriceTable,
): CostEstimate {
  const a = ASSUMPTIONS;
  const lines: CostLine[] = [];
  const add = (service: string, usd: number, basis: string) => lines.push({ service, monthlyUsd: round2(usd), basis });
  const eventsMonth = load.eventsPerDay * DAYS;
  const eventGbMonth = (eventsMonth * load.avgEventBytes) / GB;
  const streamCount = Math.max(1, shape.streams.length);

  // Kinesis: provisioned streams pay shard-hours and PUT units; on-demand pay stream-hours and GB in/out.
  const provisioned = shape.streams.filter((s) => s.mode === 'provisioned');
  const onDemand = shape.streams.length - provisioned.length;
  const shards = provisioned.reduce((n, s) => n + s.shards, 0);
  const putUnits = eventsMonth * Math.ceil(load.avgEventBytes / 25_600);
  const provisionedShare = provisioned.length / streamCount;
  const onDemandGbIn = eventGbMonth * (onDemand / streamCount);
  add(
    'Kinesis Data Streams',
    shards * HOURS * prices.kinesis.shardHour +
      ((putUnits * provisionedShare) / 1e6) * prices.kinesis.putUnitsPerMillion +
      onDemand * HOURS * prices.kinesis.onDemandStreamHour +
      onDemandGbIn * prices.kinesis.onDemandGbIn +
      onDemandGbIn * 2 * prices.kinesis.onDemandGbOut,
    `${shards} provisioned shards, ${onDemand} on-demand streams, ${fmt(eventGbMonth)} GB/month written, 2 consumers`,
  );

  // Firehose raw archive with dynamic partitioning.
  const firehoseGb = (eventsMonth * Math.ceil(load.avgEventBytes / 5_120) * 5_120) / GB;
  const objects = shape.deliveryStreams * (86_400 / Math.max(60, settings.firehoseBufferSeconds)) * DAYS;
  add(
    'Data Firehose',
    firehoseGb * prices.firehose.gbIngested +
      eventGbMonth * prices.firehose.partitioningGb +
      (objects / 1000) * prices.firehose.partitioningObjectsPerThousand,
    `${fmt(firehoseGb)} GB billed (5 KB records), ${fmt(objects)} objects`,
  );

  // Lambda: the stream processor per batch, the batch functions per run.
  const windowInvocations = streamCount * (86_400 / Math.max(1, settings.maxBatchingWindowSeconds)) * DAYS;
  const invocations = Math.min(
    eventsMonth,
    Math.max(eventsMonth / settings.batchSize, load.eventsPerDay > 0 ? Math.min(windowInvocations, eventsMonth) : 0),
  );
  const processorSeconds = (invocations * a.processorMsPerInvocation + eventsMonth * a.processorMsPerRecord) / 1000;
  const batchMemoryGb = shape.otherFunctionMemoryMb.length ? Math.max(...shape.otherFunctionMemoryMb) / 1024 : 1;
  const runs = settings.batchRunsPerDay * DAYS;
  const gbSeconds = processorSeconds * (shape.streamProcessorMemoryMb / 1024) + runs * a.batchLambdaSecondsPerRun * batchMemoryGb;
  add(
    'Lambda (arm64)',
    ((invocations + runs * 10) / 1e6) * prices.lambda.requestsPerMillion + gbSeconds * prices.lambda.armGbSecond,
    `${fmt(invocations)} stream invocations, ${fmt(runs)} batch runs, ${fmt(gbSeconds)} GB-s`,
  );

  // S3: steady-state storage per zone and tier, plus requests.
  const rawGbDay = ((load.eventsPerDay * load.avgEventBytes + load.oltpRowsPerDay * a.oltpRowBytes) * a.gzipRatio) / GB;
  const stagingGbDay = (load.eventsPerDay * load.avgEventBytes + load.oltpRowsPerDay * a.oltpRowBytes) / GB;
  const conformedGbDay = stagingGbDay * a.parquetRatio;
  const lake = settings.lake;
  const rawEnd = lake.rawExpirationDays ?? a.horizonDays;
  const raw = tiered(
    rawGbDay,
    lake.rawInfrequentAccessDays,
    lake.rawGlacierDays - lake.rawInfrequentAccessDays,
    Math.max(0, rawEnd - lake.rawGlacierDays),
  );
  const staging = tiered(
    stagingGbDay + conformedGbDay,
    lake.stagingInfrequentAccessDays,
    lake.stagingExpirationDays - lake.stagingInfrequentAccessDays,
    0,
  );
  const puts = invocations * 2 + objects + runs * a.batchObjectsPerRun;
  const storageStandard = raw.standard + staging.standard;
  const storageIa = raw.ia + staging.ia;
  add(
    'S3 (lake)',
    storageStandard * prices.s3.standardGbMonth +
      storageIa * prices.s3.infrequentAccessGbMonth +
      raw.glacier * prices.s3.glacierFlexibleGbMonth +
      (puts / 1000) * prices.s3.putPerThousand +
      ((runs * a.batchObjectsPerRun * 3) / 1000) * prices.s3.getPerThousand,
    `${fmt(storageStandard)} GB Standard, ${fmt(storageIa)} GB IA, ${fmt(raw.glacier)} GB Glacier (steady state), ${fmt(puts)} PUTs`,
  );

  add(
    'KMS',
    shape.kmsKeys * prices.kms.keyMonth + ((puts * 0.1 + runs * 500) / 10_000) * prices.kms.requestsPerTenThousand,
    `${shape.kmsKeys} keys (bucket keys keep requests low)`,
  );

  add(
    'Step Functions',
    ((runs * shape.stateMachineStates * a.transitionsPerState) / 1000) * prices.stepFunctions.transitionsPerThousand,
    `${fmt(runs)} runs × ~${shape.stateMachineStates * a.transitionsPerState} transitions`,
  );

  const glueHours =
    (runs * shape.glueJobDpus.reduce((n, dpu) => n + dpu * Math.max(a.glueMinutesPerRun * 60, prices.glue.minimumBilledSeconds), 0)) / 3600;
  add('Glue', glueHours * prices.glue.dpuHour, `${shape.glueJobDpus.length} jobs, ${fmt(glueHours)} DPU-hours`);

  const notes: string[] = [];
  let rpuHours = shape.warehouseBaseRpu * ((runs * a.warehouseMinutesPerRun) / 60 + load.analystQueryHoursPerDay * DAYS);
  const capped = settings.usageLimitBreachAction === 'deactivate' && rpuHours > settings.monthlyUsageLimitRpuHours;
  if (rpuHours > settings.monthlyUsageLimitRpuHours) {
    notes.push(
      `the warehouse needs ~${fmt(rpuHours)} RPU-hours a month, above warehouse.monthlyUsageLimitRpuHours (${fmt(settings.monthlyUsageLimitRpuHours)}): ` +
        (capped
          ? 'queries stop when the limit is reached (deactivate)'
          : `the limit only ${settings.usageLimitBreachAction === 'log' ? 'logs' : 'emits a metric'}; raise it or lower the load`),
    );
  }
  if (capped) rpuHours = settings.monthlyUsageLimitRpuHours;
  const warehouseGb =
    ((load.oltpRowsPerDay * a.oltpRowBytes + load.eventsPerDay * load.avgEventBytes) * a.parquetRatio * a.horizonDays) / GB;
  add(
    'Redshift Serverless',
    rpuHours * prices.redshiftServerless.rpuHour + warehouseGb * prices.redshiftServerless.storageGbMonth,
    `${fmt(rpuHours)} RPU-hours at ${shape.warehouseBaseRpu} RPU${capped ? ' (capped by the usage limit)' : ''}, ${fmt(warehouseGb)} GB managed storage`,
  );

  const task = shape.fargateTask ?? { vcpu: 0, memoryGb: 0 };
  const taskHours = (runs * a.dbtTaskMinutesPerRun) / 60;
  add(
    'ECS Fargate (dbt)',
    taskHours * (task.vcpu * prices.fargate.vcpuHour + task.memoryGb * prices.fargate.gbHour),
    `${fmt(taskHours)} task-hours of ${task.vcpu} vCPU / ${task.memoryGb} GB`,
  );

  add(
    'DynamoDB (leases)',
    ((runs * 8) / 1e6) * prices.dynamodb.writeRequestsPerMillion + ((runs * 4) / 1e6) * prices.dynamodb.readRequestsPerMillion,
    `${shape.dynamoTables} on-demand table(s)`,
  );

  const logsGb = (invocations * a.logBytesPerInvocation + runs * a.logBytesPerRun) / GB;
  add(
    'CloudWatch',
    shape.alarms * prices.cloudwatch.alarmMonth +
      a.customMetrics * prices.cloudwatch.customMetricMonth +
      shape.dashboards * prices.cloudwatch.dashboardMonth +
      logsGb * prices.cloudwatch.logsIngestedGb +
      logsGb * 3 * prices.cloudwatch.logsStoredGbMonth,
    `${shape.alarms} alarms, ${shape.dashboards} dashboard(s), ~${a.customMetrics} custom metrics, ${fmt(logsGb)} GB logs`,
  );

  const extractGb = ((load.oltpRowsPerDay * a.oltpRowBytes) / GB) * DAYS;
  add(
    'VPC (endpoints, NAT)',
    shape.interfaceEndpointAzs * HOURS * prices.vpc.interfaceEndpointAzHour +
      extractGb * prices.vpc.interfaceEndpointGb +
      shape.natGateways * HOURS * prices.vpc.natGatewayHour +
      (shape.natGateways > 0 ? extractGb * prices.vpc.natGatewayGb : 0),
    `${shape.interfaceEndpointAzs} interface endpoint AZs, ${shape.natGateways} NAT gateway(s)`,
  );

  add('Secrets Manager', shape.secrets * prices.secretsManager.secretMonth, `${shape.secrets} secret(s)`);

  const totalUsd = round2(lines.reduce((n, l) => n + l.monthlyUsd, 0));
  return { lines, totalUsd, notes, pricesRecorded: prices.recorded, region: prices.region };
}

/** The estimate as a fixed-width table with its total. */
export function formatEstimate(environment: string, estimate: CostEstimate, load: DeclaredLoad): string {
  const width = Math.max(...estimate.lines.map((l) => l.service.length), 'total'.length);
  const usd = (x: number) => `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`.padStart(12);
  return [
    `Monthly cost estimate: ${environment} (${estimate.region}, list prices recorded ${estimate.pricesRecorded})`,
    `Declared load: ${load.eventsPerDay.toLocaleString('en-US')} events/day of ~${load.avgEventBytes} B, ${load.oltpRowsPerDay.toLocaleString('en-US')} OLTP rows/day, ${load.analystQueryHoursPerDay} analyst query hours/day`,
    '',
    ...estimate.lines.map((l) => `${l.service.padEnd(width)} ${usd(l.monthlyUsd)}  ${l.basis}`),
    `${'total'.padEnd(width)} ${usd(estimate.totalUsd)}`,
    ...estimate.notes.map((n) => `note: ${n}`),
  ].join('\n');
}
