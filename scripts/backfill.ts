/**
 * Backfill / rerun of hourly batch windows on a deployed environment: one Step Functions execution per window in
 * [--from, --to), at most --concurrency running at once (each waits for its execution to finish before the next
 * window starts). Windows are idempotent, so rerunning one that already loaded is safe; the state machine's
 * leases keep two executions of one window (or two loads of the warehouse) from overlapping.
 *
 *   npm run backfill -- --env dev --from 2026-06-01T00:00Z --to 2026-06-02T00:00Z [--concurrency 2] [--dry-run]
 */
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { hourlyWindows, windowId, type BatchWindow } from '../lambda/batch/window';
import { ConfigError, loadEnvironmentConfig } from '../lib/config';

export interface BackfillArgs {
  readonly env: string;
  readonly from: string;
  readonly to: string;
  readonly concurrency: number;
  readonly dryRun: boolean;
  readonly pollSeconds: number;
}

export function parseArgs(argv: readonly string[]): BackfillArgs {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const env = get('env');
  const from = get('from');
  const to = get('to');
  if (!env || !from || !to) throw new Error('usage: npm run backfill -- --env <dev|staging|prod> --from <ISO time> --to <ISO time> [--concurrency N] [--dry-run]');
  const concurrency = Number(get('concurrency') ?? 2);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 10) throw new Error('--concurrency must be a whole number between 1 and 10');
  return { env, from, to, concurrency, dryRun: argv.includes('--dry-run'), pollSeconds: Number(get('poll-seconds') ?? 15) };
}

/** The state machine ARN of an environment (name from the CDK stack: `<prefix>-<env>-hourly-batch`). */
export function stateMachineArn(env: string, account: string, region: string): string {
  const config = loadEnvironmentConfig(env);
  return `arn:aws:states:${region}:${account}:stateMachine:${config.prefix}-${config.name}-hourly-batch`;
}

/** Execution name: unique per attempt, readable per window. */
export function executionName(window: BatchWindow, nowMs = Date.now()): string {
  return `backfill-${windowId(window)}-${nowMs.toString(36)}`;
}

export interface WindowOutcome {
  readonly window: BatchWindow;
  readonly status: string;
  readonly executionArn?: string;
}

/** Runs `work` over items with at most `limit` in flight; results in input order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  });
  await Promise.all(workers);
  return results;
}

export async function backfill(
  args: BackfillArgs,
  sfn: SFNClient,
  arn: string,
  log: (line: string) => void = console.log,
  sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
): Promise<WindowOutcome[]> {
  const windows = hourlyWindows(args.from, args.to);
  log(`${windows.length} window(s) ${windows[0].start} … ${windows[windows.length - 1].end}, concurrency ${args.concurrency}${args.dryRun ? ' (dry run)' : ''}`);
  return mapBounded(windows, args.concurrency, async (window) => {
    if (args.dryRun) {
      log(`  would start ${windowId(window)}`);
      return { window, status: 'DRY_RUN' };
    }
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: executionName(window), input: JSON.stringify({ window }) }));
    log(`  started ${windowId(window)}: ${started.executionArn}`);
    for (;;) {
      await sleep(args.pollSeconds * 1000);
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
      if (d.status !== 'RUNNING' && d.status !== 'PENDING_REDRIVE') {
        log(`  ${windowId(window)} ${d.status}${d.error ? ` (${d.error})` : ''}`);
        return { window, status: d.status ?? 'UNKNOWN', executionArn: started.executionArn };
      }
    }
  });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const config = loadEnvironmentConfig(args.env);
  const region = config.region;
  const account = config.account ?? process.env.CDK_DEFAULT_ACCOUNT ?? process.env.AWS_ACCOUNT_ID;
  if (!account && !args.dryRun) throw new Error(`environment ${args.env} has no account in config; set AWS_ACCOUNT_ID`);
  const outcomes = await backfill(args, new SFNClient({ region }), stateMachineArn(args.env, account ?? '000000000000', region));
  const failed = outcomes.filter((o) => o.status !== 'SUCCEEDED' && o.status !== 'DRY_RUN');
  console.log(`${outcomes.length - failed.length} succeeded, ${failed.length} failed`);
  if (failed.length) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
