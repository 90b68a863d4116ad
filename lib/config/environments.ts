import { placeholder } from './placeholders';
import type { EnvironmentConfigInput, EnvironmentName } from './schema';

/**
 * Per-environment values, validated by `environmentConfigSchema` when the app synthesizes. Values wrapped in
 * `placeholder(…)` (and any e-mail or URL on a reserved example domain) are examples: they synthesize, but every
 * stack of an environment holding one refuses to deploy, naming the field. Replace them with yours (the account
 * also with `-c account=…`).
 */

const shared = {
  prefix: 'dataflow',
  tags: { project: 'dataflow-platform', owner: 'data-platform-team', costCenter: 'CC-4410-data' },
  runbookBaseUrl: placeholder('https://github.com/dataflow-enterprises/dataflow-platform/blob/main/'),
  streaming: {
    retentionHours: 24,
    batchSize: 500,
    maxBatchingWindowSeconds: 5,
    parallelizationFactor: 1,
    maxRetryAttempts: 3,
    maxRecordAgeSeconds: 3_600,
    firehoseBufferSeconds: 300,
    firehoseBufferMiB: 64,
    currencies: ['USD', 'EUR', 'GBP', 'CAD', 'AUD'],
  },
  anomaly: {
    highAmount: 10_000,
    highValueAmount: 1_000,
    madZThreshold: 4.5,
    madMinSamples: 30,
    velocityMaxOrders: 5,
    maxClockSkewSeconds: 60,
    maxLatenessSeconds: 3_600,
  },
  quality: {
    completeness: 0.95,
    uniqueness: 0.99,
    validity: 0.9,
    referentialIntegrity: 0.95,
    minRowsPerWindow: 0,
    maxRowsPerWindow: 5_000_000,
  },
  schedule: { expression: 'cron(5 * * * ? *)', extractOverlapMinutes: 10, freshnessSlaMinutes: 90 },
} as const;

export const ENVIRONMENTS: Record<EnvironmentName, EnvironmentConfigInput> = {
  dev: {
    ...shared,
    name: 'dev',
    terminationProtection: false,
    region: 'eu-west-1',
    logRetentionDays: 14,
    lake: {
      rawInfrequentAccessDays: 30,
      rawGlacierDays: 60,
      rawExpirationDays: 180,
      stagingInfrequentAccessDays: 30,
      stagingExpirationDays: 60,
      quarantineExpirationDays: 14,
      noncurrentVersionExpirationDays: 7,
      accessLogExpirationDays: 30,
    },
    removal: { policy: 'destroy', allowDataDeletion: true },
    alarms: { criticalEmails: [], warningEmails: [] },
    streaming: {
      ...shared.streaming,
      streams: {
        transactions: { mode: 'provisioned', shards: 1 },
        customers: { mode: 'provisioned', shards: 1 },
        clickstream: { mode: 'provisioned', shards: 1 },
      },
    },
    warehouse: {
      databaseName: 'dataflow',
      baseCapacityRpu: 8,
      maxCapacityRpu: 16,
      monthlyUsageLimitRpuHours: 200,
      usageLimitBreachAction: 'deactivate',
      vpcCidr: '10.40.0.0/20',
      snapshotRetentionDays: 3,
    },
    cost: {
      monthlyBudgetUsd: 400,
      load: { eventsPerDay: 200_000, avgEventBytes: 700, oltpRowsPerDay: 50_000, analystQueryHoursPerDay: 0.5 },
    },
    // The shop's RDS database in its own VPC (same account and region), reached through a peering connection.
    oltp: { network: { mode: 'vpc-peering', peerVpcId: placeholder('vpc-0000000000000de01'), cidr: '10.30.0.0/16' }, tls: { ca: 'rds' } },
    schedule: { ...shared.schedule, enabled: false },
  },
  staging: {
    ...shared,
    name: 'staging',
    terminationProtection: true,
    account: placeholder('222222222222'),
    region: 'eu-west-1',
    logRetentionDays: 30,
    lake: {
      rawInfrequentAccessDays: 30,
      rawGlacierDays: 90,
      rawExpirationDays: 365,
      stagingInfrequentAccessDays: 30,
      stagingExpirationDays: 90,
      quarantineExpirationDays: 30,
      noncurrentVersionExpirationDays: 14,
      accessLogExpirationDays: 90,
    },
    removal: { policy: 'retain', allowDataDeletion: false },
    alarms: { criticalEmails: ['data-oncall-staging@dataflow.example'], warningEmails: [] },
    streaming: {
      ...shared.streaming,
      streams: {
        transactions: { mode: 'provisioned', shards: 2 },
        customers: { mode: 'provisioned', shards: 1 },
        clickstream: { mode: 'provisioned', shards: 2 },
      },
    },
    warehouse: {
      databaseName: 'dataflow',
      baseCapacityRpu: 8,
      maxCapacityRpu: 32,
      monthlyUsageLimitRpuHours: 500,
      usageLimitBreachAction: 'emit-metric',
      vpcCidr: '10.41.0.0/20',
      snapshotRetentionDays: 7,
    },
    cost: {
      monthlyBudgetUsd: 1_000,
      load: { eventsPerDay: 1_000_000, avgEventBytes: 700, oltpRowsPerDay: 300_000, analystQueryHoursPerDay: 1 },
    },
    oltp: { network: { mode: 'vpc-peering', peerVpcId: placeholder('vpc-00000000000005a01'), cidr: '10.31.0.0/16' }, tls: { ca: 'rds' } },
    schedule: { ...shared.schedule, enabled: true },
  },
  prod: {
    ...shared,
    name: 'prod',
    terminationProtection: true,
    account: placeholder('333333333333'),
    region: 'eu-west-1',
    logRetentionDays: 90,
    lake: {
      rawInfrequentAccessDays: 30,
      rawGlacierDays: 90,
      stagingInfrequentAccessDays: 30,
      stagingExpirationDays: 180,
      quarantineExpirationDays: 90,
      noncurrentVersionExpirationDays: 30,
      accessLogExpirationDays: 365,
    },
    removal: { policy: 'retain', allowDataDeletion: false },
    alarms: {
      criticalEmails: ['data-oncall@dataflow.example'],
      warningEmails: ['data-platform-team@dataflow.example'],
    },
    streaming: {
      ...shared.streaming,
      retentionHours: 168,
      batchSize: 1_000,
      parallelizationFactor: 2,
      streams: {
        transactions: { mode: 'on-demand' },
        customers: { mode: 'provisioned', shards: 2 },
        clickstream: { mode: 'on-demand' },
      },
    },
    warehouse: {
      databaseName: 'dataflow',
      baseCapacityRpu: 32,
      maxCapacityRpu: 128,
      monthlyUsageLimitRpuHours: 5_000,
      usageLimitBreachAction: 'emit-metric',
      vpcCidr: '10.42.0.0/20',
      snapshotRetentionDays: 35,
    },
    cost: {
      monthlyBudgetUsd: 6_000,
      anomalyAlertUsd: 100,
      load: { eventsPerDay: 10_000_000, avgEventBytes: 700, oltpRowsPerDay: 3_500_000, analystQueryHoursPerDay: 8 },
    },
    // The on-premises shop database behind the company's transit gateway (VPN / Direct Connect), private CA.
    oltp: {
      network: { mode: 'transit-gateway', transitGatewayId: placeholder('tgw-00000000000000b01'), cidr: '172.16.8.0/24' },
      tls: { ca: 'secret-field', field: 'caPem' },
    },
    schedule: { ...shared.schedule, enabled: true },
  },
};
