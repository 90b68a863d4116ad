/**
 * The synthesized state machine executed locally (scripts/local/batch/run.ts) against the real local Postgres,
 * spark-submit of the Glue scripts, the warehouse load SQL on DuckDB and the dbt project: every path of the workflow.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { MemoryLeaseStore } from '../../lambda/batch/leases';
import { MemoryLoadOrderStore } from '../../lambda/batch/load-order';
import { OLTP_TABLES } from '../../lambda/contracts/table-specs';
import { loadEnvironmentConfig } from '../../lib/config';
import { synthesizedBatchAsl } from '../../scripts/local/batch/asl';
import { DuckDbRunner } from '../../scripts/local/batch/duckdb-runner';
import { seedOltp } from '../../scripts/local/batch/oltp';
import { freshDatabase } from '../../scripts/local/batch/postgres';
import {
  runLocalExecution,
  setupLocalWarehouse,
  validateAsl,
  type LocalBatchEnv,
  type LocalExecution,
  type LocalFaults,
} from '../../scripts/local/batch/run';

jest.setTimeout(600_000);

const WINDOW = { start: '2026-06-01T10:00:00.000Z', end: '2026-06-01T11:00:00.000Z' };
const SCHEDULED = '2026-06-01T11:05:00Z';
const config = loadEnvironmentConfig('dev');
let definition: Record<string, unknown>;
let pgUrl: string;

beforeAll(async () => {
  definition = synthesizedBatchAsl('dev');
  pgUrl = await freshDatabase('batch_local_test');
  const pg = new Client({ connectionString: pgUrl });
  await pg.connect();
  await seedOltp(pg, { windowStart: new Date(WINDOW.start), customers: 150, products: 30, orders: 300, seed: 7 });
  await pg.end();
});

interface Harness {
  env: LocalBatchEnv;
  runner: DuckDbRunner;
  leases: MemoryLeaseStore;
  run: (faults?: LocalFaults, id?: string, input?: Record<string, unknown>) => Promise<LocalExecution>;
  count: (sql: string) => Promise<number>;
}

async function harness(overrides: Partial<LocalBatchEnv> = {}): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-batch-'));
  const duckdbPath = path.join(dir, 'warehouse.duckdb');
  const runner = await DuckDbRunner.open(duckdbPath);
  await setupLocalWarehouse(runner);
  const leases = new MemoryLeaseStore();
  const env: LocalBatchEnv = {
    lakeDir: path.join(dir, 'lake'),
    duckdbPath,
    pgUrl,
    thresholds: config.quality,
    currencies: config.streaming.currencies,
    overlapMinutes: config.schedule.extractOverlapMinutes,
    leases,
    loadOrder: new MemoryLoadOrderStore(leases),
    ...overrides,
  };
  let n = 0;
  return {
    env,
    runner,
    leases,
    run: (faults = {}, id = `arn:aws:states:local:0:execution:test:${++n}`, input = { scheduledTime: SCHEDULED }) =>
      runLocalExecution(definition, input, env, { executionId: id, faults, runner }),
    count: async (sql) => {
      await runner.close();
      const r = await DuckDbRunner.open(duckdbPath);
      try {
        return Number((await r.conn.runAndReadAll(sql)).getRowObjectsJson()[0].n);
      } finally {
        await r.close();
      }
    },
  };
}

const failedState = (e: LocalExecution) => /Failed state: ([^|]+) \|/.exec(e.notifications[0]?.message ?? '')?.[1];

type States = Record<string, Record<string, unknown>>;

test('the synthesized definition is valid ASL: JSONPath, jittered retries on transient errors only (and the fixed wait for a predecessor), every task caught', () => {
  expect(() => validateAsl(definition)).not.toThrow();
  expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
  expect(definition.TimeoutSeconds).toBe(7200);
  const states = definition.States as States;
  const check = (set: States, inBranch: boolean) => {
    for (const [name, s] of Object.entries(set)) {
      for (const b of (s.Branches ?? []) as { States: States }[]) check(b.States, true);
      if (s.Type !== 'Task' && s.Type !== 'Map' && s.Type !== 'Parallel') continue;
      const catches = (s.Catch ?? []) as { ErrorEquals: string[]; Next: string }[];
      if (name !== 'Notify on-call' && name !== 'Release leases after failure') {
        expect(catches.map((c) => c.ErrorEquals)).toEqual([['States.ALL']]);
        // inside a branch, a failure ends the branch as its result, so the other branch is never cut short
        if (inBranch) expect(set[catches[0].Next]).toMatchObject({ Type: 'Pass', End: true, Parameters: { failed: true, state: name } });
      }
      for (const r of (s.Retry ?? []) as { ErrorEquals: string[]; JitterStrategy?: string }[]) {
        expect(r.ErrorEquals).not.toContain('States.ALL');
        expect(r.ErrorEquals).not.toContain('States.TaskFailed');
        // A backfill window polls for its predecessor's load each minute: a fixed wait with a fixed bound.
        expect(r.JitterStrategy).toBe(r.ErrorEquals.includes('PredecessorLoading') ? undefined : 'FULL');
      }
    }
  };
  check(states, false);
  const parallel = states['Features and warehouse'] as { Branches: { StartAt: string }[] };
  expect(parallel.Branches.map((b) => b.StartAt)).toEqual(['Acquire features lease', 'Acquire warehouse lease']);
  expect((states['Glue conform'].Retry as { ErrorEquals: string[] }[])[0].ErrorEquals).toContain('Glue.ConcurrentRunsExceededException');
  expect((states['Acquire window lease'].Retry as { ErrorEquals: string[] }[]).map((r) => r.ErrorEquals)).toContainEqual(['LeaseHeld']);
});

describe('happy path, with a second execution of the same window started while the first runs', () => {
  let h: Harness;
  let first: LocalExecution;
  let second: LocalExecution;

  beforeAll(async () => {
    h = await harness();
    const a = h.run({}, 'arn:aws:states:local:0:execution:test:scheduled');
    // Start the overlapping execution once the first holds the window's lease.
    while (!h.leases.holder('window#20260601t1000')) await new Promise((r) => setTimeout(r, 10));
    second = await h.run({}, 'arn:aws:states:local:0:execution:test:manual-rerun');
    first = await a;
  });

  test('the first execution builds gold: every state in order, leases released, metrics published', async () => {
    expect(first.status).toBe('SUCCEEDED');
    const featuresBranch = ['Acquire features lease', 'Glue customer features', 'Release features lease', 'Customer features built'];
    const warehouseBranch = ['Acquire warehouse lease', 'Load tables', 'dbt build', 'dbt exit code?', 'Warehouse built'];
    expect(first.statesEntered.filter((s) => !featuresBranch.includes(s))).toEqual([
      'Plan window',
      'Acquire window lease',
      'Extract tables',
      'Quality gate',
      'Glue conform',
      'Features and warehouse',
      ...warehouseBranch,
      'Warehouse ok?',
      'Release leases',
      'Publish metrics',
      'Customer features ok?',
      'Gold built',
    ]);
    const entered = (s: string) => first.statesEntered.indexOf(s);
    expect(featuresBranch.map(entered)).toEqual([...featuresBranch.map(entered)].sort((a, b) => a - b));
    expect(entered('Glue customer features')).toBeGreaterThan(entered('Features and warehouse'));
    expect(entered('Customer features built')).toBeLessThan(entered('Warehouse ok?'));
    // the two branches overlap: customer features runs while the warehouse is loaded and built
    const span = (s: string) => first.timeline.find((t) => t.state === s)!;
    expect(span('Glue customer features').startMs).toBeLessThan(span('Load tables').endMs);
    expect(span('Load tables').startMs).toBeLessThan(span('Glue customer features').endMs);
    expect(first.notifications).toEqual([]);
    expect(h.leases.holder('window#20260601t1000')).toBeUndefined();
    expect(h.leases.holder('warehouse')).toBeUndefined();
    expect(h.leases.holder('features#2026-06-01')).toBeUndefined();
    expect(first.metrics.find((m) => m.GoldBuildSucceeded === 1)).toBeDefined();
  });

  test('every extracted row is staged or quarantined exactly once, and bronze holds what was loaded', async () => {
    expect(first.qualityReports.map((r) => r.table).sort()).toEqual([...OLTP_TABLES].sort());
    for (const r of first.qualityReports) {
      expect(r.rows.extracted).toBeGreaterThan(0);
      expect(r.rows.staged + r.rows.quarantined).toBe(r.rows.extracted);
    }
    const loads = first.loads;
    for (const l of loads.filter((x) => !x.skipped)) {
      expect(await h.count(`SELECT count(*)::INT AS n FROM bronze.${l.table}`)).toBe(l.rowsLoaded);
    }
    const staged = first.qualityReports.find((r) => r.table === 'orders')!.rows.staged;
    expect(loads.find((l) => l.table === 'orders')!.rowsLoaded).toBe(staged);
    expect(await h.count('SELECT count(*)::INT AS n FROM gold.customer_360')).toBeGreaterThan(0);
    expect(await h.count('SELECT count(*)::INT AS n FROM gold.fct_orders')).toBeGreaterThan(0);
  });

  test('Glue customer_features agrees with dbt customer_360 on the same data, column by column', async () => {
    const features = path.join(h.env.lakeDir, 'staging', 'analytics', 'customer_features', 'as_of_date=2026-06-01', '*.parquet');
    const cols = [
      'total_transactions',
      'total_spent',
      'avg_transaction_amount',
      'first_transaction_date',
      'last_transaction_date',
      'customer_lifetime_days',
      'days_since_last_transaction',
      'q4_transactions',
      'category_diversity',
      'top_categories',
      'value_tier',
      'lifecycle_stage',
      'recency_score',
      'frequency_score',
      'monetary_score',
      'rfm_score',
      'rfm_segment',
      'customer_segment',
    ];
    const differs = [...cols.map((c) => `g.${c} IS DISTINCT FROM f.${c}`), 'g.q4_spending IS DISTINCT FROM f.q4_revenue'].join(' OR ');
    const from = `gold.customer_360 g FULL OUTER JOIN read_parquet('${features}') f ON f.customer_id = g.customer_id`;
    const rows = await h.count(`SELECT count(*)::INT AS n FROM gold.customer_360`);
    expect(rows).toBeGreaterThan(50);
    expect(await h.count(`SELECT count(*)::INT AS n FROM read_parquet('${features}')`)).toBe(rows);
    expect(await h.count(`SELECT count(*)::INT AS n FROM ${from} WHERE g.customer_id IS NULL OR f.customer_id IS NULL OR ${differs}`)).toBe(
      0,
    );
    // the comparison can fail: a different as-of date changes recency for someone
    expect(
      await h.count(
        `SELECT count(*)::INT AS n FROM ${from} WHERE g.days_since_last_transaction IS DISTINCT FROM f.days_since_last_transaction + 1`,
      ),
    ).toBeGreaterThan(0);
  });

  test('the overlapping execution never ran concurrently: it waited on the window lease, gave up and was notified', () => {
    expect(second.status).toBe('FAILED');
    expect(second.error).toBe('LeaseHeld');
    expect(second.statesEntered).not.toContain('Extract tables');
    expect(second.retries.filter((r) => r.state === 'Acquire window lease').length).toBeGreaterThan(0);
    expect(failedState(second)).toBe('Acquire window lease');
    expect(second.notifications[0].message).toContain(
      'Execution: https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/arn:aws:states:local:0:execution:test:manual-rerun',
    );
  });
});

test('quality gate below threshold: on-call notified with window and state, nothing loaded, no Glue run', async () => {
  const h = await harness({ thresholds: { ...config.quality, validity: 0.999 } });
  const e = await h.run();
  expect(e.status).toBe('FAILED');
  expect(e.error).toBe('QualityGateFailed');
  expect(e.statesEntered).not.toContain('Glue conform');
  expect(h.runner.submitted).toEqual(['warehouse-setup']);
  expect(e.notifications).toHaveLength(1);
  expect(e.notifications[0].message).toMatch(
    /^DataFlow hourly batch \(dev\) failed\. Window: 2026-06-01T10:00:00.000Z \| Failed state: Quality gate \| Error: QualityGateFailed/,
  );
  expect(e.notifications[0].message).toContain('validity');
  expect(h.leases.holder('window#20260601t1000')).toBeUndefined();
});

test('a transient Glue error is retried and the run continues; a COPY that FAILS stops it with the warehouse error', async () => {
  const h = await harness();
  const e = await h.run({ glueTransient: { conform: ['Glue.ConcurrentRunsExceededException'] }, copyFailed: 'orders' });
  expect(e.retries).toContainEqual({ state: 'Glue conform', error: 'Glue.ConcurrentRunsExceededException' });
  expect(e.timeline.find((t) => t.state === 'Glue conform')?.status).toBe('succeeded');
  expect(e.status).toBe('FAILED');
  expect(e.error).toBe('LoadFailed');
  expect(failedState(e)).toBe('Load tables');
  expect(e.notifications[0].message).toMatch(/failed in the warehouse: .*parquet/i);
  expect(await h.count('SELECT count(*)::INT AS n FROM bronze.orders')).toBe(0);
  expect(e.statesEntered).not.toContain('dbt build');
  expect(h.leases.holder('warehouse')).toBeUndefined();
});

test('a permanent Glue failure (the job run fails) is not retried: notified, nothing loaded', async () => {
  const h = await harness();
  const e = await h.run({ gluePermanent: 'conform' });
  expect(e.status).toBe('FAILED');
  expect(e.error).toBe('States.TaskFailed');
  expect(e.retries.filter((r) => r.state === 'Glue conform')).toEqual([]);
  expect(failedState(e)).toBe('Glue conform');
  expect(h.runner.submitted).toEqual(['warehouse-setup']);
});

test('a load whose statement ends ABORTED fails the run instead of polling forever', async () => {
  const h = await harness();
  const e = await h.run({ loadAborted: 'customers' });
  expect(e.status).toBe('FAILED');
  expect(e.error).toBe('LoadAborted');
  expect(failedState(e)).toBe('Load tables');
  expect(e.notifications[0].message).toContain('was aborted');
});

test('a failed customer_features run does not hold gold back: loaded, built and published, then notified and failed', async () => {
  const h = await harness();
  const e = await h.run({ gluePermanent: 'customer_features' });
  expect(e.status).toBe('FAILED');
  expect(e.error).toBe('States.TaskFailed');
  expect(failedState(e)).toBe('Glue customer features');
  expect(e.notifications).toHaveLength(1);
  expect(e.notifications[0].message).toContain('Window: 2026-06-01T10:00:00.000Z');
  expect(e.statesEntered).toEqual(
    expect.arrayContaining(['Load tables', 'dbt build', 'Warehouse built', 'Release leases', 'Publish metrics']),
  );
  expect(e.statesEntered).not.toContain('Gold built');
  expect(e.metrics.find((m) => m.GoldBuildSucceeded === 1)).toBeDefined();
  expect(await h.count('SELECT count(*)::INT AS n FROM gold.fct_orders')).toBeGreaterThan(0);
  expect(h.leases.holder('window#20260601t1000')).toBeUndefined();
  expect(h.leases.holder('warehouse')).toBeUndefined();
});

test('dbt exiting non-zero fails the Transform: notified, no metrics published', async () => {
  const h = await harness();
  const e = await h.run({ dbtFails: true });
  expect(e.status).toBe('FAILED');
  expect(e.error).toBe('DbtBuildFailed');
  expect(failedState(e)).toBe('dbt build exit code');
  expect(e.statesEntered).toContain('Load tables');
  expect(e.statesEntered).not.toContain('Publish metrics');
  expect(e.metrics.find((m) => m.GoldBuildSucceeded !== undefined)).toBeUndefined();
});
