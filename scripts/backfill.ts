/**
 * Backfill / rerun of hourly batch windows on a deployed environment: one Step Functions execution per window in
 * [--from, --to), at most --concurrency running at once (each waits for its execution to finish before the next
 * window starts). Windows are idempotent, so rerunning one that already loaded is safe; the state machine's
 * leases keep two executions of one window (or two loads of the warehouse) from overlapping. Each window after the
 * first names the window before it as its `predecessor`, so the windows load the warehouse in time order whatever
 * order they finish their Glue steps in (`lambda/batch/load-order.ts`); once a window fails, the later windows that
 * have not started are not started (they could not load before it).
 *
 * Every run writes a per-window summary (JSON); `--only-failed <summary>` re-runs just the windows that did not
 * succeed in it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { hourlyWindows, windowId, windowSchema, type BatchWindow } from '../lambda/batch/window';
import { loadEnvironmentConfig } from '../lib/config';
import { MAX_BACKFILL_CONCURRENCY } from '../lib/config/batch-limits';
import {
  COMMON_OPTIONS,
  COMMON_USAGE,
  confirmWrite,
  formatDuration,
  numberFlag,
  parseCli,
  parseIsoTime,
  Progress,
  resolveEnvironment,
  runCli,
  UsageError,
} from './cli';

const HOUR_MS = 3_600_000;
/** Longest range accepted without `--allow-long`. */
export const MAX_RANGE_DAYS = 31;

export const USAGE = `usage: npm run backfill -- --env <env> --from <ISO time> --to <ISO time> [options]
       npm run backfill -- --env <env> --only-failed <summary.json> [options]

Runs the hourly batch for every window in [--from, --to) (whole UTC hours, already ended), --concurrency at once.
The windows load the warehouse in time order (each waits for the one before it), so rows that depend on an earlier
hour never reach the warehouse ahead of it. A window whose predecessor failed fails too (PredecessorNotLoaded);
windows not started yet when one fails are left NOT_STARTED. --only-failed re-runs all of them, in order.

  --from, --to <time>        ISO-8601 with zone, e.g. 2026-06-01T00:00Z or 2026-06-01T02:00+02:00
  --only-failed <file>       re-run the windows that did not succeed in an earlier run's summary
  --concurrency <n>          windows at once, 1–${MAX_BACKFILL_CONCURRENCY} (the Glue jobs' concurrent runs; default 2)
  --poll-seconds <s>         execution status poll interval, 1–300 (default 15)
  --allow-long               allow a range longer than ${MAX_RANGE_DAYS} days
  --summary <file>           where to write the per-window summary (default .local/backfill/<env>-<time>.json)
  --dry-run                  list the windows, start nothing
${COMMON_USAGE}`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  from: { type: 'string' },
  to: { type: 'string' },
  'only-failed': { type: 'string' },
  concurrency: { type: 'string' },
  'poll-seconds': { type: 'string' },
  'allow-long': { type: 'boolean' },
  summary: { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const;

export interface BackfillArgs {
  readonly env: string;
  readonly context?: readonly string[];
  readonly yes?: boolean;
  readonly windows: readonly BatchWindow[];
  readonly concurrency: number;
  readonly dryRun: boolean;
  readonly pollSeconds: number;
  readonly summaryFile?: string;
}

/** The windows in [from, to), checked: whole hours, ended before `nowMs`, at most 31 days unless allowed. */
export function windowsFor(from: string, to: string, nowMs: number, allowLong = false): BatchWindow[] {
  const a = parseIsoTime('from', from);
  const b = parseIsoTime('to', to);
  if (a % HOUR_MS !== 0 || b % HOUR_MS !== 0) throw new UsageError(`--from and --to must be whole UTC hours (got ${from}, ${to})`);
  if (b <= a) throw new UsageError(`--to (${to}) must be at least one hour after --from (${from})`);
  if (b > nowMs)
    throw new UsageError(`--to (${to}) is in the future: only windows that have ended can be run (now ${new Date(nowMs).toISOString()})`);
  const days = (b - a) / (24 * HOUR_MS);
  if (days > MAX_RANGE_DAYS && !allowLong)
    throw new UsageError(`--from/--to span ${days.toFixed(1)} days, more than ${MAX_RANGE_DAYS}: add --allow-long if that is intended`);
  return hourlyWindows(new Date(a).toISOString(), new Date(b).toISOString());
}

/** One window's result, as written to the summary. */
export interface WindowOutcome {
  readonly window: BatchWindow;
  /** SUCCEEDED, FAILED, TIMED_OUT, ABORTED, START_FAILED, POLL_FAILED, NOT_STARTED (an earlier window failed) or DRY_RUN. */
  readonly status: string;
  readonly executionArn?: string;
  readonly error?: string;
}

export interface BackfillSummary {
  readonly env: string;
  readonly stateMachineArn: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly windows: readonly WindowOutcome[];
}

/** The windows of a summary that did not succeed (the input of `--only-failed`). */
export function failedWindows(summary: BackfillSummary): BatchWindow[] {
  return summary.windows.filter((w) => w.status !== 'SUCCEEDED' && w.status !== 'DRY_RUN').map((w) => windowSchema.parse(w.window));
}

function readSummary(file: string, env: string): BackfillSummary {
  let summary: BackfillSummary;
  try {
    summary = JSON.parse(fs.readFileSync(file, 'utf8')) as BackfillSummary;
  } catch (err) {
    throw new UsageError(`--only-failed ${file}: not a readable backfill summary (${(err as Error).message})`);
  }
  if (!Array.isArray(summary.windows)) throw new UsageError(`--only-failed ${file}: no "windows" list`);
  if (summary.env !== env) throw new UsageError(`--only-failed ${file} is a summary of ${summary.env}, not --env ${env}`);
  return summary;
}

export function parseArgs(argv: readonly string[], nowMs = Date.now()): BackfillArgs | 'help' {
  const v = parseCli(argv, OPTIONS);
  if (v.help) return 'help';
  if (!v.env) throw new UsageError('--env is required (dev, staging or prod)');
  let windows: BatchWindow[];
  if (v['only-failed'] !== undefined) {
    if (v.from !== undefined || v.to !== undefined) throw new UsageError('--only-failed replaces --from/--to; give one or the other');
    windows = failedWindows(readSummary(v['only-failed'], v.env));
    if (windows.length === 0) throw new UsageError(`--only-failed ${v['only-failed']}: every window succeeded, nothing to re-run`);
  } else {
    if (v.from === undefined || v.to === undefined) throw new UsageError('--from and --to are required (or --only-failed <summary.json>)');
    windows = windowsFor(v.from, v.to, nowMs, Boolean(v['allow-long']));
  }
  return {
    env: v.env,
    context: v.context ?? [],
    yes: Boolean(v.yes),
    windows,
    concurrency: numberFlag('concurrency', v.concurrency, Math.min(2, MAX_BACKFILL_CONCURRENCY), 1, MAX_BACKFILL_CONCURRENCY, true),
    pollSeconds: numberFlag('poll-seconds', v['poll-seconds'], 15, 1, 300),
    dryRun: Boolean(v['dry-run']),
    summaryFile: v.summary,
  };
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

/** Runs `work` over items (in order, with their index) with at most `limit` in flight; results in input order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i], i);
    }
  });
  await Promise.all(workers);
  return results;
}

const POLL_ERRORS_BEFORE_GIVING_UP = 5;
const errorText = (err: unknown) => `${(err as Error).name}: ${(err as Error).message}`;

/** The execution input: the window and, after the first window, the window it loads after. */
export function executionInput(
  window: BatchWindow,
  predecessor: BatchWindow | undefined,
): { window: BatchWindow; predecessor?: BatchWindow } {
  return predecessor ? { window, predecessor } : { window };
}

async function runWindow(
  window: BatchWindow,
  predecessor: BatchWindow | undefined,
  args: BackfillArgs,
  sfn: SFNClient,
  arn: string,
  log: (l: string) => void,
  sleep: (ms: number) => Promise<void>,
  onPoll: () => void,
): Promise<WindowOutcome> {
  if (args.dryRun) {
    log(`  would start ${windowId(window)}`);
    return { window, status: 'DRY_RUN' };
  }
  let executionArn: string | undefined;
  try {
    executionArn = (
      await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: arn,
          name: executionName(window),
          input: JSON.stringify(executionInput(window, predecessor)),
        }),
      )
    ).executionArn;
  } catch (err) {
    log(`  ${windowId(window)} START_FAILED (${errorText(err)})`);
    return { window, status: 'START_FAILED', error: errorText(err) };
  }
  log(`  started ${windowId(window)}: ${executionArn}`);
  let pollErrors = 0;
  for (;;) {
    await sleep(args.pollSeconds * 1000);
    onPoll();
    try {
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      pollErrors = 0;
      if (d.status !== 'RUNNING' && d.status !== 'PENDING_REDRIVE') {
        log(`  ${windowId(window)} ${d.status}${d.error ? ` (${d.error})` : ''}`);
        return { window, status: d.status ?? 'UNKNOWN', executionArn, ...(d.error ? { error: d.error } : {}) };
      }
    } catch (err) {
      if (++pollErrors >= POLL_ERRORS_BEFORE_GIVING_UP) {
        log(`  ${windowId(window)} POLL_FAILED (${errorText(err)}); the execution may still be running`);
        return { window, status: 'POLL_FAILED', executionArn, error: errorText(err) };
      }
    }
  }
}

export async function backfill(
  args: BackfillArgs,
  sfn: SFNClient,
  arn: string,
  log: (line: string) => void = console.log,
  sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
  now = Date.now,
): Promise<WindowOutcome[]> {
  const { windows } = args;
  const started = now();
  log(
    `${windows.length} window(s) ${windows[0].start} … ${windows[windows.length - 1].end}, concurrency ${args.concurrency}${args.dryRun ? ' (dry run)' : ''}`,
  );
  let done = 0;
  let failed = 0;
  let running = 0;
  const line = () => {
    const perWindow = done > 0 ? (now() - started) / 1000 / done : NaN;
    return `  progress: ${done}/${windows.length} done, ${running} running, ${failed} failed, ETA ${formatDuration(((windows.length - done) * perWindow) / args.concurrency)}`;
  };
  const progress = new Progress(line, 30_000, log, now);
  let firstFailed: string | undefined;
  return mapBounded(windows, args.concurrency, async (window, i) => {
    if (firstFailed) {
      done++;
      failed++;
      return { window, status: 'NOT_STARTED', error: `not started: the earlier window ${firstFailed} failed` };
    }
    running++;
    const outcome = await runWindow(window, windows[i - 1], args, sfn, arn, log, sleep, () => progress.tick());
    running--;
    done++;
    if (outcome.status !== 'SUCCEEDED' && outcome.status !== 'DRY_RUN') {
      failed++;
      firstFailed ??= windowId(window);
    }
    if (!args.dryRun) log(line());
    return outcome;
  });
}

/** Per-window table printed at the end. */
export function summaryLines(outcomes: readonly WindowOutcome[]): string[] {
  const counts = new Map<string, number>();
  for (const o of outcomes) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
  return [
    ...outcomes.map((o) => `  ${windowId(o.window)}  ${o.status.padEnd(12)} ${o.error ?? ''}`.trimEnd()),
    [...counts].map(([s, n]) => `${n} ${s}`).join(', '),
  ];
}

async function main(): Promise<number> {
  const parsed = parseArgs(process.argv.slice(2));
  if (parsed === 'help') {
    console.log(USAGE);
    return 0;
  }
  const config = resolveEnvironment(parsed.env, parsed.context);
  const account = config.account ?? process.env.AWS_ACCOUNT_ID ?? process.env.CDK_DEFAULT_ACCOUNT;
  if (!account && !parsed.dryRun)
    throw new UsageError(`environment ${config.name} has no account: pass -c account=<id> (or set AWS_ACCOUNT_ID)`);
  if (!parsed.dryRun) await confirmWrite(config, `backfilling ${parsed.windows.length} window(s)`, parsed.yes);
  const arn = stateMachineArn(config.name, account ?? '000000000000', config.region);
  const startedAt = new Date().toISOString();
  const outcomes = await backfill(parsed, new SFNClient({ region: config.region }), arn);
  summaryLines(outcomes).forEach((l) => console.log(l));
  if (parsed.dryRun && parsed.summaryFile === undefined) return 0;
  const file = path.resolve(
    parsed.summaryFile ?? path.join(__dirname, '..', '.local', 'backfill', `${config.name}-${startedAt.replace(/[:.]/g, '')}.json`),
  );
  const summary: BackfillSummary = {
    env: config.name,
    stateMachineArn: arn,
    startedAt,
    finishedAt: new Date().toISOString(),
    windows: outcomes,
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
  const failed = failedWindows(summary).length;
  console.log(
    `summary: ${file}${failed ? `\nre-run the failed windows: npm run backfill -- --env ${config.name} --only-failed ${file}` : ''}`,
  );
  return failed ? 1 : 0;
}

if (require.main === module) runCli('backfill', USAGE, main);
