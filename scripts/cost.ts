/**
 * `make cost ENV=<env>` / `npm run cost -- --env <env>`: the monthly cost of one environment, per service, from its
 * synthesized templates (what it deploys), its config (retention, batching, schedule) and the load declared in
 * `cost.load`, priced with the dated table of its region (lib/cost/prices.ts). Offline: nothing is asked of AWS.
 */
import { parseArgs } from 'node:util';
import { ConfigError, ENVIRONMENT_NAMES, type EnvironmentConfig, type EnvironmentName } from '../lib/config';
import { estimateMonthlyCost, formatEstimate, type CostEstimate } from '../lib/cost/estimate';
import { pricesFor } from '../lib/cost/prices';
import { shapeFromTemplates } from '../lib/cost/shape';
import { synthApp } from './synth';

const USAGE = `usage: npm run cost -- --env <${ENVIRONMENT_NAMES.join('|')}> [--json]

Estimates the monthly AWS cost of one environment from its templates, its config and its declared load.
  --env   environment to estimate (required)
  --json  print the estimate as JSON instead of a table
  --help  this text`;

/** Hourly schedules run 24 times a day; a disabled schedule still runs for backfills, counted the same. */
const BATCH_RUNS_PER_DAY = 24;

/** Synthesizes one environment (no bundling) and estimates its monthly cost. */
export function estimateEnvironment(env: EnvironmentName): { config: EnvironmentConfig; estimate: CostEstimate } {
  const [stage] = synthApp({ context: { env } }).stages;
  const config = stage.config;
  const estimate = estimateMonthlyCost(
    shapeFromTemplates(
      stage.synth().stacks.map((s) => s.template as { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> }),
    ),
    {
      batchSize: config.streaming.batchSize,
      maxBatchingWindowSeconds: config.streaming.maxBatchingWindowSeconds,
      firehoseBufferSeconds: config.streaming.firehoseBufferSeconds,
      batchRunsPerDay: BATCH_RUNS_PER_DAY,
      lake: config.lake,
      monthlyUsageLimitRpuHours: config.warehouse.monthlyUsageLimitRpuHours,
      usageLimitBreachAction: config.warehouse.usageLimitBreachAction,
    },
    config.cost.load,
    pricesFor(config.region),
  );
  return { config, estimate };
}

export function main(argv: readonly string[]): number {
  let values: { env?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: { env: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.env || !(ENVIRONMENT_NAMES as readonly string[]).includes(values.env)) {
    console.error(`--env must be one of ${ENVIRONMENT_NAMES.join(', ')}${values.env ? ` (got '${values.env}')` : ''}\n\n${USAGE}`);
    return 2;
  }
  let result: ReturnType<typeof estimateEnvironment>;
  try {
    result = estimateEnvironment(values.env as EnvironmentName);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
  const { config, estimate } = result;
  if (values.json) console.log(JSON.stringify({ environment: config.name, ...estimate, budgetUsd: config.cost.monthlyBudgetUsd }, null, 2));
  else {
    console.log(formatEstimate(config.name, estimate, config.cost.load));
    const share = Math.round((estimate.totalUsd / config.cost.monthlyBudgetUsd) * 100);
    console.log(
      `\nBudget (cost.monthlyBudgetUsd): $${config.cost.monthlyBudgetUsd.toLocaleString('en-US')} — the estimate is ${share}% of it.`,
    );
  }
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
