/**
 * Runs the hourly batch locally: the state machine definition CDK synthesizes (validated with asl-validator) is
 * executed by aws-local-stepfunctions with one local handler per Task state:
 *
 *   Lambda states   → the same handler code (createHandler) with local dependencies: the `.local/lake` directory,
 *                     the local Postgres, an in-process lease store, the DuckDB warehouse as a Data-API-like runner
 *   Glue states     → spark-submit of the same glue-scripts/jobs/*.py (exit ≠ 0 → States.TaskFailed, like .sync)
 *   ECS dbt state   → the same dbt project, `dbt build --target local` on the DuckDB file; returns the exit code
 *                     in an ECS-shaped result, so the definition's exit-code check decides
 *   SNS publish     → recorded notifications
 *
 * Fault injection (tests, demo) changes inputs or dependencies, never the definition.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- asl-validator is CommonJS with `export =`
import aslValidator = require('asl-validator');
import { createHandler as controlHandler } from '../../../lambda/batch/handlers/control';
import { createHandler as extractHandler } from '../../../lambda/batch/handlers/extract';
import { createHandler as loadHandler } from '../../../lambda/batch/handlers/load';
import { createHandler as qualityHandler } from '../../../lambda/batch/handlers/quality';
import { MemoryLeaseStore } from '../../../lambda/batch/leases';
import { MemoryLoadOrderStore } from '../../../lambda/batch/load-order';
import type { QualityReport, QualityThresholds } from '../../../lambda/batch/quality';
import type { LoadResult } from '../../../lambda/batch/warehouse-load';
import { bronzeTableDdl, schemaDdl } from '../../../lambda/contracts/bronze-ddl';
import { streamSpecsArgument, tableSpecsArgument } from '../../../lambda/contracts/glue-args';
import type { BatchMetricRecord } from '../../../lambda/contracts/metrics';
import { STREAM_LATE_HOURS } from '../../../lambda/contracts/stage-manifest';
import { OLTP_TABLES, WAREHOUSE_TABLE_SPECS, type TableSpec } from '../../../lambda/contracts/table-specs';
import { BATCH_STATES as S, LEASE_TTL_SECONDS, mapItemState, PREDECESSOR_LOADING } from '../../../lambda/contracts/workflow';
import { FsLakeStore } from '../../../lambda/shared/fs-lake-store';
import type { EnvironmentConfig } from '../../../lib/config';
import { DuckDbRunner } from './duckdb-runner';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const VENV_BIN = path.join(REPO_ROOT, '.venv', 'bin');

/** The subset of aws-local-stepfunctions 3 used here (its types are ESM-only; the package also ships CommonJS). */
interface EventLog {
  readonly type: string;
  readonly timestamp: number;
  readonly state?: { readonly name: string };
  readonly index?: number;
  readonly Error?: string;
}
interface LocalStateMachine {
  run(
    input: unknown,
    options: { overrides: Record<string, unknown>; context: Record<string, unknown> },
  ): { result: Promise<unknown>; eventLogs: AsyncGenerator<EventLog>; abort: () => void };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { StateMachine } = require('aws-local-stepfunctions') as {
  StateMachine: new (definition: unknown, options?: Record<string, unknown>) => LocalStateMachine;
};

// aws-local-stepfunctions uses Promise.withResolvers (Node 22); this machine runs Node 20.
const P = Promise as unknown as { withResolvers?: unknown };
P.withResolvers ??= function withResolvers<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
};

export interface LocalFaults {
  /** Glue start errors thrown (by name) before a job's run succeeds, e.g. ['Glue.ConcurrentRunsExceededException']. */
  readonly glueTransient?: Partial<Record<'conform' | 'customer_features', string[]>>;
  /** The job's run fails (the real script exits non-zero on an invalid argument). */
  readonly gluePermanent?: 'conform' | 'customer_features';
  /** The load of this table fails in the warehouse: one of its Parquet files is missing (DuckDB's error text). */
  readonly copyFailed?: string;
  /** The load statement of this table is cancelled before it runs (ABORTED). */
  readonly loadAborted?: string;
  /** dbt gets an unparsable as_of_date, so models fail and dbt exits non-zero. */
  readonly dbtFails?: boolean;
  /** Glue conform starts only once this settles (orders concurrent executions in a test). */
  readonly conformAfter?: Promise<unknown>;
}

export interface LocalBatchEnv {
  /** `<lakeDir>/{raw,staging,quarantine}/…` */
  readonly lakeDir: string;
  readonly duckdbPath: string;
  readonly pgUrl: string;
  readonly thresholds: QualityThresholds;
  readonly currencies: readonly string[];
  readonly overlapMinutes: number;
  /** Shared by every execution of this environment (the DynamoDB table's role). */
  readonly leases: MemoryLeaseStore;
  /** The load-order markers beside those leases (shared the same way). */
  readonly loadOrder: MemoryLoadOrderStore;
  /** Progress lines while it runs. @default none */
  readonly progress?: (line: string) => void;
  /** Retry waits in ms instead of the definition's (minutes for leases): 0, 50 ms for a lease, 5 s for a predecessor's load. @default true */
  readonly fastRetries?: boolean;
}

/**
 * A local batch environment from an environment's config (quality thresholds, currencies, extract overlap) and the
 * local paths; a fresh lease store unless one is shared between executions.
 */
export function localBatchEnv(
  config: EnvironmentConfig,
  where: Pick<LocalBatchEnv, 'lakeDir' | 'duckdbPath' | 'pgUrl'> & Partial<Pick<LocalBatchEnv, 'leases' | 'progress' | 'fastRetries'>>,
): LocalBatchEnv {
  const leases = where.leases ?? new MemoryLeaseStore();
  return {
    thresholds: config.quality,
    currencies: config.streaming.currencies,
    overlapMinutes: config.schedule.extractOverlapMinutes,
    loadOrder: new MemoryLoadOrderStore(leases),
    ...where,
    leases,
  };
}

export interface TimelineEntry {
  readonly state: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly seconds: number;
  readonly status: 'succeeded' | 'failed';
  readonly rows?: number;
  readonly detail?: string;
}

export interface LocalExecution {
  readonly executionId: string;
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly error?: string;
  readonly cause?: string;
  readonly output?: Record<string, unknown>;
  /** The warehouse branch's per-table load results (empty unless the execution succeeded). */
  readonly loads: LoadResult[];
  readonly timeline: TimelineEntry[];
  readonly notifications: { subject: string; message: string }[];
  readonly qualityReports: QualityReport[];
  readonly metrics: Record<string, unknown>[];
  readonly statesEntered: string[];
  readonly retries: { state: string; error: string }[];
}

/**
 * AWS runs a Task without `TimeoutSeconds` for up to 99,999,999 s; aws-local-stepfunctions applies the language
 * spec's 60 s. Give such tasks AWS's default so local timing matches AWS (CDK puts a Glue job's timeout into its
 * `Timeout` parameter, not into `TimeoutSeconds`).
 */
export function withAwsTaskDefaults(definition: Record<string, unknown>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(definition)) as Record<string, unknown>;
  const visit = (states: States) => {
    for (const s of Object.values(states)) {
      if (s.Type === 'Task' && s.TimeoutSeconds === undefined && s.TimeoutSecondsPath === undefined) s.TimeoutSeconds = 2_000_000; // the largest a Node timer holds (≈ 23 days): unbounded for a batch
      nestedStates(s).forEach(visit);
    }
  };
  visit(copy.States as States);
  return copy;
}

type States = Record<string, Record<string, unknown>>;

/** The state sets nested in a state: a Parallel's branches, a Map's item processor. */
function nestedStates(state: Record<string, unknown>): States[] {
  const inner = [
    ...((state.Branches as { States: States }[] | undefined) ?? []),
    ...[state.ItemProcessor ?? state.Iterator].filter(Boolean),
  ] as { States: States }[];
  return inner.map((b) => b.States);
}

/** Every state name of a definition, nested ones included. */
function stateNamesOf(states: States): string[] {
  return Object.entries(states).flatMap(([name, s]) => [name, ...nestedStates(s).flatMap(stateNamesOf)]);
}

/** Every Task state of a definition, nested ones included. */
function taskStatesOf(states: States): string[] {
  return Object.entries(states).flatMap(([name, s]) => [...(s.Type === 'Task' ? [name] : []), ...nestedStates(s).flatMap(taskStatesOf)]);
}

/**
 * The local run binds one handler to each Task state by its id (lambda/contracts/workflow.ts). A Task of the
 * definition without a handler, or a handler for a state the definition lacks, means the two have drifted apart:
 * refuse to run rather than reach for AWS or silently skip a step.
 */
export function checkTaskBindings(definition: Record<string, unknown>, bound: readonly string[]): void {
  const tasks = taskStatesOf(definition.States as States);
  const unbound = tasks.filter((t) => !bound.includes(t));
  const unknown = bound.filter((b) => !tasks.includes(b));
  if (unbound.length || unknown.length) {
    throw new Error(
      `the local runner and the workflow disagree: ${[
        ...(unbound.length ? [`task states without a local handler: ${unbound.join(', ')}`] : []),
        ...(unknown.length ? [`local handlers for no task state: ${unknown.join(', ')}`] : []),
      ].join('; ')}`,
    );
  }
}

/** Validates the definition with asl-validator; throws listing the errors. */
export function validateAsl(definition: Record<string, unknown>): void {
  const { isValid, errors } = aslValidator(definition, { checkArn: true, checkPaths: true });
  if (!isValid) throw new Error(`state machine definition is invalid: ${JSON.stringify(errors)}`);
}

/** Creates the warehouse's schemas and bronze tables (what the warehouse setup custom resource does at deploy). */
export async function setupLocalWarehouse(runner: DuckDbRunner): Promise<void> {
  const ddl = [...schemaDdl(), ...(Object.values(WAREHOUSE_TABLE_SPECS) as TableSpec[]).map((s) => bronzeTableDdl(s, 'duckdb'))];
  const id = await runner.submit(ddl, 'warehouse-setup');
  for (;;) {
    const d = await runner.describe(id);
    if (d.status === 'FINISHED') return;
    if (d.status === 'FAILED' || d.status === 'ABORTED') throw new Error(`local warehouse setup failed: ${d.error}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function run(
  cmd: string,
  args: readonly string[],
  env: Record<string, string>,
  log: (line: string) => void,
): Promise<{ code: number; tail: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    let tail = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) log(`    exit ${code}: ${tail.trim().split('\n').slice(-3).join(' | ')}`);
      resolve({ code: code ?? 1, tail });
    });
  });
}

class TaskFailed extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

const sparkEnv = () => ({
  PYTHONPATH: path.join(REPO_ROOT, 'glue-scripts'),
  PYSPARK_PYTHON: path.join(VENV_BIN, 'python'),
  PYSPARK_DRIVER_PYTHON: path.join(VENV_BIN, 'python'),
  SPARK_LOCAL_IP: '127.0.0.1',
});
/** The class-data-sharing archive `make install` dumps (see the Makefile); used when present. */
const SPARK_CLASS_ARCHIVE = path.join(REPO_ROOT, '.venv', 'spark-classes.jsa');

/**
 * Local mode only (Glue sets its own). Beyond the 2-core basics: the JIT stops at C1 (these short jobs are mostly
 * JVM warm-up — Spark's planner and generated code — where C2 compiles cost more CPU than they save), the JVM maps
 * Spark's classes from the class archive instead of loading them, and file listing stays on the driver (conform
 * reads ~1,500 stream files; above the default 32 paths Spark lists them in a Spark job of one task per path).
 * See docs/batch.md "Measured".
 */
const sparkConf = () => [
  '--master',
  'local[2]',
  '--conf',
  'spark.sql.shuffle.partitions=2',
  '--conf',
  'spark.ui.enabled=false',
  '--conf',
  `spark.driver.extraJavaOptions=-XX:TieredStopAtLevel=1${fs.existsSync(SPARK_CLASS_ARCHIVE) ? ` -XX:SharedArchiveFile=${SPARK_CLASS_ARCHIVE}` : ''}`,
  '--conf',
  'spark.sql.sources.parallelPartitionDiscovery.threshold=100000',
  '--driver-memory',
  '2g',
];

/** spark-submit of one Glue script (glue-scripts/jobs/<job>.py) in local mode, with `--name value` job arguments. */
export function sparkSubmit(
  job: 'conform' | 'customer_features',
  jobArgs: Record<string, string>,
  log: (line: string) => void,
): Promise<{ code: number; tail: string }> {
  const argv = Object.entries(jobArgs).flatMap(([k, v]) => [`--${k}`, v]);
  return run(
    path.join(VENV_BIN, 'spark-submit'),
    [...sparkConf(), path.join(REPO_ROOT, 'glue-scripts', 'jobs', `${job}.py`), ...argv],
    sparkEnv(),
    log,
  );
}

/**
 * Executes one batch run of the synthesized definition locally. `input` is the execution input
 * (`{scheduledTime}` as the scheduler sends it, or `{window}` as the backfill does).
 */
export async function runLocalExecution(
  definition: Record<string, unknown>,
  input: Record<string, unknown>,
  env: LocalBatchEnv,
  options: { executionId: string; faults?: LocalFaults; runner: DuckDbRunner },
): Promise<LocalExecution> {
  const { faults = {}, runner } = options;
  const log = env.progress ?? (() => undefined);
  const store = new FsLakeStore(env.lakeDir);
  const stagingRoot = path.join(env.lakeDir, 'staging');
  const notifications: LocalExecution['notifications'] = [];
  const qualityReports: QualityReport[] = [];
  const metrics: Record<string, unknown>[] = [];
  const rowsByState: Record<string, number> = {};
  const addRows = (state: string, n: number) => (rowsByState[state] = (rowsByState[state] ?? 0) + n);

  const collect = (r: BatchMetricRecord) => void metrics.push({ ...r.dimensions, ...r.values });
  const control = controlHandler({ leases: env.leases, leaseTtlSeconds: LEASE_TTL_SECONDS, metrics: collect, loadOrder: env.loadOrder });
  const extract = extractHandler({ store, overlapMinutes: env.overlapMinutes, connection: async () => ({ connectionString: env.pgUrl }) });
  const quality = qualityHandler({
    store,
    thresholds: env.thresholds,
    currencies: env.currencies,
    metrics: collect,
    onReport: (r) => void qualityReports.push(r),
  });
  const load = loadHandler({
    store,
    runner,
    sourceFor: (_key, manifest) => ({ kind: 'local-parquet', files: manifest.entries.map((e) => e.url.replace(/^file:/, '')) }),
    poll: { intervalMs: 10, maxPolls: 60_000 },
  });
  runner.onSubmit = (id, name) => {
    if (faults.loadAborted && name.startsWith(`load-${faults.loadAborted}-`)) void runner.cancel(id);
  };

  const transient = {
    conform: [...(faults.glueTransient?.conform ?? [])],
    customer_features: [...(faults.glueTransient?.customer_features ?? [])],
  };
  const glue = (job: 'conform' | 'customer_features') => async (raw: unknown) => {
    const args = (raw as { Arguments?: Record<string, string> }).Arguments ?? {};
    if (job === 'conform') await faults.conformAfter;
    const next = transient[job].shift();
    if (next) throw new TaskFailed(next, `Glue StartJobRun for ${job} failed: ${next} (injected)`);
    const jobArgs: Record<string, string> =
      job === 'conform'
        ? {
            window_start: faults.gluePermanent === 'conform' ? `${args['--window_start'].slice(0, 14)}30:00Z` : args['--window_start'],
            tables: OLTP_TABLES.join(','),
            table_specs: tableSpecsArgument(),
            stream_specs: streamSpecsArgument(),
            staging_root: stagingRoot,
            stream_late_hours: String(STREAM_LATE_HOURS),
          }
        : {
            as_of_date: faults.gluePermanent === 'customer_features' ? 'not-a-date' : args['--as_of_date'],
            table_specs: tableSpecsArgument(),
            staging_root: stagingRoot,
            rules_path: path.join(REPO_ROOT, 'dbt', 'customer_rules.yml'),
          };
    const res = await sparkSubmit(job, jobArgs, log);
    if (res.code !== 0)
      throw new TaskFailed(
        'States.TaskFailed',
        `Glue job ${job} run failed (exit ${res.code}): ${res.tail.trim().split('\n').slice(-2).join(' ')}`,
      );
    const summary = res.tail
      .split('\n')
      .reverse()
      .find((l) => l.startsWith('{"'));
    if (job === 'conform' && summary) {
      const s = (JSON.parse(summary) as { conform: Record<string, { rows: number; manifest?: string }> }).conform;
      addRows(
        S.conform,
        Object.values(s).reduce((a, b) => a + b.rows, 0),
      );
      if (faults.copyFailed && s[faults.copyFailed]?.rows) {
        const manifest = JSON.parse(fs.readFileSync(String(s[faults.copyFailed].manifest), 'utf8')) as { entries: { url: string }[] };
        fs.rmSync(manifest.entries[0].url.replace(/^file:/, ''));
      }
    }
    if (job === 'customer_features' && summary)
      addRows(S.features, (JSON.parse(summary) as { customer_features: { total_customers: number } }).customer_features.total_customers);
    return { JobRunState: 'SUCCEEDED', JobName: job };
  };

  const dbt = async (raw: unknown) => {
    const overrides = (raw as { Overrides?: { ContainerOverrides?: { Environment?: { Name: string; Value: string }[] }[] } }).Overrides;
    const asOf = overrides?.ContainerOverrides?.[0]?.Environment?.find((e) => e.Name === 'DBT_AS_OF_DATE')?.Value;
    await runner.close(); // the dbt process needs the DuckDB file
    const res = await run(
      path.join(VENV_BIN, 'dbt'),
      [
        'build',
        '--target',
        'local',
        '--project-dir',
        'dbt',
        '--profiles-dir',
        'dbt',
        '--vars',
        JSON.stringify({ as_of_date: faults.dbtFails ? '2026-13-45' : asOf }),
      ],
      { DATAFLOW_DUCKDB_PATH: env.duckdbPath, DBT_SEND_ANONYMOUS_USAGE_STATS: 'false' },
      log,
    );
    return {
      Containers: [{ Name: 'dbt', ExitCode: res.code, Reason: res.code === 0 ? undefined : res.tail.slice(-300) }],
      StoppedReason: 'Essential container in task exited',
      LastStatus: 'STOPPED',
    };
  };

  const lambda =
    (h: (e: unknown) => Promise<unknown>, state: string, rows?: (out: Record<string, number>) => number) => async (e: unknown) => {
      const out = (await h(e)) as Record<string, number>;
      if (rows) addRows(state, rows(out));
      return out as never;
    };
  const leaseSteps: string[] = [S.acquireWindow, S.acquireFeatures, S.acquireWarehouse];
  const controlSteps = [...leaseSteps, S.plan, S.releaseFeatures, S.release, S.releaseAfterFailure, S.publish];
  const handlers = {
    ...Object.fromEntries(controlSteps.map((state) => [state, lambda(control, state)])),
    [mapItemState(S.extract)]: lambda(extract, S.extract, (o) => o.rows),
    [mapItemState(S.quality)]: lambda(quality, S.quality, (o) => o.staged),
    [mapItemState(S.load)]: lambda(load, S.load, (o) => o.rowsLoaded),
    [S.conform]: glue('conform'),
    [S.features]: glue('customer_features'),
    [S.dbt]: dbt,
    [S.notify]: async (e: unknown) => {
      const m = e as { Subject: string; Message: string };
      notifications.push({ subject: m.Subject, message: m.Message });
      log(`  ! on-call notified: ${m.Message.slice(0, 160)}…`);
      return { MessageId: `local-${notifications.length}` };
    },
  };
  checkTaskBindings(definition, Object.keys(handlers));
  const stateNames = stateNamesOf(definition.States as States);
  // Per retrier: waiting for a predecessor's load keeps a bound (its attempts × 5 s) long enough for that load.
  const retryWaitMs = (state: string, errors: string[]) =>
    errors.includes(PREDECESSOR_LOADING) ? 5_000 : leaseSteps.includes(state) ? 50 : 0;
  const retriesOf = (states: States): [string, number[]][] =>
    Object.entries(states).flatMap(
      ([name, s]) =>
        [
          [name, ((s.Retry ?? []) as { ErrorEquals: string[] }[]).map((r) => retryWaitMs(name, r.ErrorEquals))],
          ...nestedStates(s).flatMap(retriesOf),
        ] as [string, number[]][],
    );
  const retryIntervalOverrides = Object.fromEntries(retriesOf(definition.States as States));

  const machine = new StateMachine(withAwsTaskDefaults(definition), { validationOptions: { checkArn: true, checkPaths: true } });
  const execution = machine.run(input, {
    overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides: env.fastRetries === false ? {} : retryIntervalOverrides },
    context: {
      Execution: { Id: options.executionId, Name: options.executionId.split(':').pop(), Input: input, StartTime: new Date().toISOString() },
    },
  });

  const timeline: TimelineEntry[] = [];
  const statesEntered: string[] = [];
  const retries: LocalExecution['retries'] = [];
  /** What the execution was seen doing, reported whether it succeeded or failed. */
  const observed = () => ({ timeline, notifications, qualityReports, metrics, statesEntered, retries });
  const timed = new Set(stateNames); // every state, Parallel branches included; Map iterations (events with an index) are timed by their Map
  const started = new Map<string, number>();
  const lastError = new Map<string, string>();
  const close = (name: string, status: 'succeeded' | 'failed', endMs: number) => {
    const start = started.get(name);
    if (start === undefined) return;
    started.delete(name);
    const err = status === 'failed' ? lastError.get(name) : undefined;
    const entry: TimelineEntry = {
      state: name,
      startMs: start,
      endMs,
      seconds: (endMs - start) / 1000,
      status,
      ...(rowsByState[name] !== undefined ? { rows: rowsByState[name] } : {}),
      ...(err ? { detail: err } : {}),
    };
    timeline.push(entry);
    log(
      `    ${status === 'succeeded' ? '✓' : '✗'} ${name} ${entry.seconds.toFixed(1)} s${entry.rows !== undefined ? `, ${entry.rows} rows` : ''}${err ? ` (${err})` : ''}`,
    );
  };
  const events = (async () => {
    let lastTs = 0;
    for await (const e of execution.eventLogs) {
      lastTs = e.timestamp;
      if (!e.state || e.index !== undefined || !timed.has(e.state.name)) continue;
      const name = e.state.name;
      if (e.type === 'StateEntered') {
        if (!started.has(name)) {
          started.set(name, e.timestamp);
          statesEntered.push(name);
          lastError.delete(name);
          log(`  → ${name}`);
        }
      } else if (e.type === 'StateFailed') {
        lastError.set(name, String(e.Error ?? 'error'));
      } else if (e.type === 'StateRetried') {
        const err = lastError.get(name) ?? 'error';
        retries.push({ state: name, error: err });
        log(`    ↻ ${name} retried after ${err}`);
      } else if (e.type === 'StateCaught') {
        close(name, 'failed', e.timestamp);
      } else if (e.type === 'StateExited') {
        close(name, 'succeeded', e.timestamp);
      }
    }
    // A Fail state (or an uncaught error) ends the execution without an exit event.
    for (const name of [...started.keys()]) close(name, 'failed', lastTs);
    timeline.sort((a, b) => a.startMs - b.startMs); // closed in end order; Parallel branches overlap
  })();

  try {
    const output = (await execution.result) as Record<string, unknown>;
    await events;
    const loads = ((output.branches as { warehouse?: { loads?: LoadResult[] } } | undefined)?.warehouse?.loads ?? []).filter(
      (l) => l.table,
    );
    return {
      executionId: options.executionId,
      status: 'SUCCEEDED',
      output,
      loads,
      ...observed(),
    };
  } catch (err) {
    await events.catch(() => undefined);
    const e = err as { name?: string; message?: string; cause?: { name?: string; message?: string } };
    return {
      executionId: options.executionId,
      status: 'FAILED',
      error: e.cause?.name ?? e.name,
      cause: e.cause?.message ?? e.message,
      loads: [],
      ...observed(),
    };
  }
}
