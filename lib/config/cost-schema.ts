import { z } from 'zod';

const positiveCount = z.number().int('must be a whole number').min(0, 'must be ≥ 0');

/** Cost guard rails of an environment and the load its monthly estimate (`make cost`) assumes. */
export const costSchema = z.strictObject({
  /** AWS Budgets monthly cost budget (USD) for resources tagged with this environment. */
  monthlyBudgetUsd: z.number().positive('must be > 0'),
  /**
   * Cost Anomaly Detection on this environment's tagged costs: daily e-mail to the warning addresses for anomalies
   * whose impact reaches this many USD. Needs Cost Explorer enabled in the account.
   * @default - off
   */
  anomalyAlertUsd: z.number().positive('must be > 0').optional(),
  /** The load the estimate assumes. */
  load: z.strictObject({
    eventsPerDay: positiveCount,
    avgEventBytes: z.number().int().min(1, 'must be ≥ 1 byte').max(1_048_576, 'must be ≤ 1 MiB (Kinesis record limit)'),
    oltpRowsPerDay: positiveCount,
    analystQueryHoursPerDay: z.number().min(0, 'must be ≥ 0').max(24, 'must be ≤ 24 hours'),
  }),
});
