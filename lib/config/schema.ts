import { z } from 'zod';
import { MAD_MIN_SAMPLES_FLOOR } from '../../lambda/contracts/processor-settings';
import { scheduleExpressionProblem, vpcCidrProblem } from './expressions';
import { lineageSchema } from './lineage-schema';
import { costSchema } from './cost-schema';
import { days, lakeRetentionSchema } from './lake-schema';
import { checkOltpAgainstEnvironment, oltpSchema } from './oltp-schema';

/**
 * The one typed, validated description of an environment. Every environment-specific value the CDK app uses
 * comes from here; constructs receive slices of it as props. Validation runs at synth, so a bad value fails
 * `cdk synth` with the field path and the rule it broke (see `formatConfigIssues`).
 */

export const ENVIRONMENT_NAMES = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** Retention values CloudWatch Logs accepts (days). Infinite retention is deliberately not representable. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Turns a `(value) => problem | undefined` check into a zod refinement whose message is the problem. */
const problemOf =
  (check: (value: string) => string | undefined) =>
  (value: string, ctx: z.RefinementCtx): void => {
    const problem = check(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  };

/** Three /24 warehouse subnets (lib/constructs/warehouse-network.ts) fit in a /22. */
export const WAREHOUSE_VPC_MAX_PREFIX = 22;

const fraction = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');

const email = z.email('must be an e-mail address');

const streamCapacity = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('provisioned'),
    shards: z.number().int().min(1, 'must be ≥ 1 shard').max(500, 'must be ≤ 500 shards'),
  }),
  z.strictObject({ mode: z.literal('on-demand') }),
]);

/** Redshift Serverless accepts base capacity 4 (limited), then 8–1024 RPU in steps of 8. */
const rpu = z
  .number()
  .int()
  .refine((v) => v === 4 || (v >= 8 && v <= 1024 && v % 8 === 0), 'must be 4 or a multiple of 8 between 8 and 1024 RPU');

export const environmentConfigSchema = z
  .strictObject({
    name: z.enum(ENVIRONMENT_NAMES),
    /** Target AWS account; omit for an environment-agnostic synth (allowed for dev only). */
    account: z
      .string()
      .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
      .optional(),
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as eu-west-1'),
    /** Prefix of every physical name (buckets, streams, topics…). */
    prefix: z.string().regex(/^[a-z][a-z0-9-]{1,14}[a-z0-9]$/, 'must be 3–16 chars of lower-case letters, digits and hyphens'),
    tags: z.strictObject({
      project: z.string().min(1, 'must not be empty'),
      owner: z.string().min(1, 'must not be empty'),
      costCenter: z.string().min(1, 'must not be empty'),
    }),
    /** Base URL under which `docs/runbooks/<name>.md` is browsable; alarm descriptions link here. */
    runbookBaseUrl: z.url('must be a URL').refine((u) => u.endsWith('/'), 'must end with "/"'),
    /** CloudWatch Logs retention for every log group the platform creates. Never infinite. */
    logRetentionDays: z.number().refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
      message: `must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
    }),
    lake: lakeRetentionSchema,
    /** CloudFormation termination protection on every stack of the environment (required for prod). */
    terminationProtection: z.boolean(),
    /** Removal-policy double gate: data is destroyed with the stack only if BOTH are set. */
    removal: z.strictObject({
      policy: z.enum(['retain', 'destroy']),
      allowDataDeletion: z.boolean(),
    }),
    alarms: z.strictObject({
      /** Subscribed to the critical topic (pages on-call). */
      criticalEmails: z.array(email).max(20, 'must list at most 20 addresses').readonly(),
      /** Subscribed to the warning topic (work-hours follow-up). */
      warningEmails: z.array(email).max(20, 'must list at most 20 addresses').readonly(),
    }),
    streaming: z.strictObject({
      streams: z.strictObject({
        transactions: streamCapacity,
        customers: streamCapacity,
        clickstream: streamCapacity,
      }),
      retentionHours: z.number().int().min(24, 'must be ≥ 24 hours').max(8760, 'must be ≤ 8760 hours'),
      /** Event source mapping batch size (Kinesis: 1–10,000). */
      batchSize: z.number().int().min(1, 'must be ≥ 1').max(10_000, 'must be ≤ 10000 (Kinesis limit)'),
      /** Event source mapping batching window (0–300 s). */
      maxBatchingWindowSeconds: z.number().int().min(0, 'must be ≥ 0').max(300, 'must be ≤ 300 seconds'),
      parallelizationFactor: z.number().int().min(1, 'must be ≥ 1').max(10, 'must be ≤ 10'),
      /** Bounded retries so a poison batch cannot block a shard (the AWS default -1 retries for a week). */
      maxRetryAttempts: z.number().int().min(0, 'must be ≥ 0').max(10_000, 'must be ≤ 10000'),
      /** Bounded record age (60–604,800 s); the AWS default -1 means unbounded. */
      maxRecordAgeSeconds: z.number().int().min(60, 'must be ≥ 60 seconds').max(604_800, 'must be ≤ 604800 seconds'),
      firehoseBufferSeconds: z.number().int().min(0, 'must be ≥ 0').max(900, 'must be ≤ 900 seconds'),
      firehoseBufferMiB: z.number().int().min(64, 'must be ≥ 64 MiB with dynamic partitioning').max(128, 'must be ≤ 128 MiB'),
      /** ISO-4217 currencies an order may carry. */
      currencies: z
        .array(z.string().regex(/^[A-Z]{3}$/, 'must be an ISO-4217 code'))
        .min(1, 'must list at least one currency')
        .readonly(),
    }),
    anomaly: z.strictObject({
      /** Any transaction above this amount is an anomaly (default 10,000). */
      highAmount: z.number().positive('must be > 0'),
      /** Transactions above this amount are counted as high-value (default 1,000); not an anomaly. */
      highValueAmount: z.number().positive('must be > 0'),
      /** Robust z-score (0.6745·|x − median| / MAD) above which an amount is a batch outlier. */
      madZThreshold: z.number().min(2, 'must be ≥ 2').max(20, 'must be ≤ 20'),
      /** Minimum transactions in a batch before the MAD outlier rule applies. */
      madMinSamples: z.number().int().min(MAD_MIN_SAMPLES_FLOOR, `must be ≥ ${MAD_MIN_SAMPLES_FLOOR}`),
      /** More orders than this from one customer within one batch is a velocity anomaly. */
      velocityMaxOrders: z.number().int().min(1, 'must be ≥ 1'),
      /** Event time later than arrival by more than this is clock skew. */
      maxClockSkewSeconds: z
        .number()
        .int()
        .min(0, 'must be ≥ 0')
        .max(299, 'must be < 300 seconds: events more than 5 minutes ahead of arrival are quarantined as future_timestamp'),
      /** Arrival later than event time by more than this is a late arrival. */
      maxLatenessSeconds: z.number().int().min(1, 'must be ≥ 1'),
    }),
    quality: z.strictObject({
      completeness: fraction,
      uniqueness: fraction,
      validity: fraction,
      /** Fraction of a table's window rows whose foreign keys exist in the source (order → customer, item → product). */
      referentialIntegrity: fraction,
      /** Fewer rows than this in a table's window fails the row-count expectation. */
      minRowsPerWindow: z.number().int().min(0, 'must be ≥ 0'),
      /** More rows than this in a table's window fails the row-count expectation (runaway extract guard). */
      maxRowsPerWindow: z.number().int().min(1, 'must be ≥ 1'),
    }),
    warehouse: z.strictObject({
      databaseName: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be a lower-case Redshift identifier'),
      baseCapacityRpu: rpu,
      maxCapacityRpu: rpu,
      /** Monthly compute usage limit (RPU-hours) after which the breach action applies. */
      monthlyUsageLimitRpuHours: z.number().int().min(1, 'must be ≥ 1'),
      usageLimitBreachAction: z.enum(['log', 'emit-metric', 'deactivate']),
      /**
       * Days each daily namespace snapshot is kept. The SCD2 history in gold lives only in the warehouse; the
       * automatic recovery points cover just the last 24 hours.
       */
      snapshotRetentionDays: days(1, 3653),
      /** The warehouse VPC: three /24 subnets (one per AZ) are carved from it, so /22 or larger. */
      vpcCidr: z.string().superRefine(problemOf((v) => vpcCidrProblem(v, WAREHOUSE_VPC_MAX_PREFIX))),
      /**
       * The three or more AZs of the warehouse subnets (Redshift Serverless needs three). Set it where the account
       * does not have the region's `a`, `b` and `c` zones.
       * @default - `<region>a`, `<region>b`, `<region>c`
       */
      availabilityZones: z
        .array(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, 'must be an availability-zone name such as eu-west-1a'))
        .min(3, 'needs at least three availability zones (Redshift Serverless)')
        .optional(),
    }),
    cost: costSchema,
    /** How the batch extract reaches the OLTP database (network path, port, timeouts, TLS CA). */
    oltp: oltpSchema,
    /** OpenLineage events of the batch: always to the lake, optionally to an HTTP endpoint. @default - lake only */
    lineage: lineageSchema,
    schedule: z.strictObject({
      /** EventBridge Scheduler expression of the hourly batch, e.g. `cron(5 * * * ? *)`. */
      expression: z.string().superRefine(problemOf(scheduleExpressionProblem)),
      enabled: z.boolean(),
      /** Extra minutes before a window's start re-read to catch late OLTP commits. */
      extractOverlapMinutes: z.number().int().min(0, 'must be ≥ 0').max(60, 'must be ≤ 60 minutes'),
      /** Freshness SLA: time since the last successful gold build before on-call is paged. */
      freshnessSlaMinutes: z.number().int().min(15, 'must be ≥ 15 minutes').max(1440, 'must be ≤ 1440 minutes'),
    }),
  })
  .superRefine((c, ctx) => {
    checkOltpAgainstEnvironment(c, (path, message) => ctx.addIssue({ code: 'custom', path, message }));
    if (c.name !== 'dev' && c.account === undefined) {
      ctx.addIssue({ code: 'custom', path: ['account'], message: `is required for ${c.name} (only dev may be environment-agnostic)` });
    }
    if (c.name === 'prod' && (c.removal.policy === 'destroy' || c.removal.allowDataDeletion)) {
      ctx.addIssue({
        code: 'custom',
        path: ['removal'],
        message: 'prod can never destroy data: policy must be "retain" and allowDataDeletion false',
      });
    }
    if (c.name === 'prod' && !c.terminationProtection) {
      ctx.addIssue({
        code: 'custom',
        path: ['terminationProtection'],
        message: 'must be true for prod (its stacks hold data that cannot be rebuilt)',
      });
    }
    if (c.warehouse.maxCapacityRpu < c.warehouse.baseCapacityRpu) {
      ctx.addIssue({ code: 'custom', path: ['warehouse', 'maxCapacityRpu'], message: 'must be ≥ baseCapacityRpu' });
    }
    const azs = c.warehouse.availabilityZones ?? [];
    azs.forEach((az, i) => {
      if (!az.startsWith(c.region))
        ctx.addIssue({ code: 'custom', path: ['warehouse', 'availabilityZones', i], message: `must be in the region ${c.region}` });
      if (azs.indexOf(az) !== i)
        ctx.addIssue({ code: 'custom', path: ['warehouse', 'availabilityZones', i], message: 'must not repeat an availability zone' });
    });
    if (c.quality.maxRowsPerWindow <= c.quality.minRowsPerWindow) {
      ctx.addIssue({ code: 'custom', path: ['quality', 'maxRowsPerWindow'], message: 'must be greater than minRowsPerWindow' });
    }
    if (c.cost.anomalyAlertUsd !== undefined && c.alarms.warningEmails.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['cost', 'anomalyAlertUsd'],
        message: 'needs at least one alarms.warningEmails address to notify',
      });
    }
    if (c.anomaly.highAmount <= c.anomaly.highValueAmount) {
      ctx.addIssue({ code: 'custom', path: ['anomaly', 'highAmount'], message: 'must be greater than highValueAmount' });
    }
  });

export type EnvironmentConfig = z.infer<typeof environmentConfigSchema>;
export type EnvironmentConfigInput = z.input<typeof environmentConfigSchema>;
export type StreamCapacity = z.infer<typeof streamCapacity>;
