/**
 * Two dependent hours back-filled concurrently through the synthesized state machine (scripts/local/batch/run.ts):
 * hour H+1 holds orders of customers created in hour H. H+1 reaches the warehouse first and waits for H's load
 * (its predecessor), so both succeed and gold equals a --full-refresh build of the same bronze; without the wait,
 * H+1's dbt build fails the staging `relationships` tests. A predecessor that fails fails its successor, naming it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { loadEnvironmentConfig } from '../../lib/config';
import { executionInput } from '../../scripts/backfill';
import { synthesizedBatchAsl } from '../../scripts/local/batch/asl';
import { DuckDbRunner } from '../../scripts/local/batch/duckdb-runner';
import { seedOltp } from '../../scripts/local/batch/oltp';
import { freshDatabase } from '../../scripts/local/batch/postgres';
import {
  localBatchEnv,
  runLocalExecution,
  setupLocalWarehouse,
  type LocalBatchEnv,
  type LocalExecution,
  type LocalFaults,
} from '../../scripts/local/batch/run';
import { GOLD_TABLES, goldDifferences, runDbt } from '../../scripts/local/warehouse/build';

jest.setTimeout(1_200_000);

// Either side of midnight: each day's customer_features run waits for the other executions of that day (the day's
// lease), which the local runner's 50 ms lease retries do not leave time for.
const H = { start: '2026-05-31T23:00:00.000Z', end: '2026-06-01T00:00:00.000Z' };
const H1 = { start: '2026-06-01T00:00:00.000Z', end: '2026-06-01T01:00:00.000Z' };
const config = loadEnvironmentConfig('dev');
let definition: Record<string, unknown>;
let pgUrl: string;
/** Orders changed in H+1 whose customer was last changed in H before H+1's extract overlap: only H loads that customer. */
let dependentOrders: string[];

beforeAll(async () => {
  definition = synthesizedBatchAsl('dev');
  pgUrl = await freshDatabase('backfill_order_test');
  const pg = new Client({ connectionString: pgUrl });
  await pg.connect();
  try {
    // The generator's state around H changes ~6% of its orders in the hour after H: H+1's window.
    await seedOltp(pg, { windowStart: new Date(H.start), customers: 80, products: 20, orders: 240, seed: 5 });
    const overlapStart = new Date(Date.parse(H1.start) - config.schedule.extractOverlapMinutes * 60_000).toISOString();
    const { rows } = await pg.query<{ order_id: string }>(
      `SELECT o.order_id FROM orders o JOIN customers c USING (customer_id)
       WHERE o.updated_at >= $1 AND o.updated_at < $2 AND c.updated_at >= $3 AND c.updated_at < $4 AND o.status <> 'lost_in_space'`,
      [H1.start, H1.end, H.start, overlapStart],
    );
    dependentOrders = rows.map((r) => r.order_id);
  } finally {
    await pg.end();
  }
});

interface Backfill {
  readonly env: LocalBatchEnv;
  readonly runner: DuckDbRunner;
  readonly duckdbPath: string;
  readonly predecessor: LocalExecution;
  readonly successor: LocalExecution;
}

/**
 * H and H+1 as `npm run backfill` starts them (H+1 naming H), H+1 started once H holds its window lease. With
 * `successorFirst`, H's conform waits until H+1 has reached the warehouse step (waiting there, or loading).
 */
async function backfillTwoHours(name: string, predecessorFaults: LocalFaults, successorFirst: boolean): Promise<Backfill> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `backfill-order-${name}-`));
  const duckdbPath = path.join(dir, 'warehouse.duckdb');
  const runner = await DuckDbRunner.open(duckdbPath);
  await setupLocalWarehouse(runner);
  const env = localBatchEnv(config, { lakeDir: path.join(dir, 'lake'), duckdbPath, pgUrl });
  let successorAtWarehouse!: () => void;
  const atWarehouse = new Promise<void>((resolve) => (successorAtWarehouse = resolve));
  const successorEnv = {
    ...env,
    progress: (line: string) => /→ Load tables|retried after PredecessorLoading/.test(line) && successorAtWarehouse(),
  };
  const id = (w: typeof H) => `arn:aws:states:local:0:execution:backfill:${name}-${w.start.slice(11, 13)}`;
  const first = runLocalExecution(definition, executionInput(H, undefined), env, {
    executionId: id(H),
    runner,
    faults: { ...predecessorFaults, ...(successorFirst ? { conformAfter: atWarehouse } : {}) },
  });
  while (!env.leases.holder('window#20260531t2300')) await new Promise((r) => setTimeout(r, 10));
  const second = runLocalExecution(definition, executionInput(H1, H), successorEnv, { executionId: id(H1), runner }).finally(
    successorAtWarehouse,
  );
  const [predecessor, successor] = await Promise.all([first, second]);
  await runner.close();
  return { env, runner, duckdbPath, predecessor, successor };
}

const span = (e: LocalExecution, state: string) => e.timeline.find((t) => t.state === state)!;

describe('H+1 reaches the warehouse before H', () => {
  let run: Backfill;
  beforeAll(async () => {
    run = await backfillTwoHours('ordered', {}, true);
  });

  test('the scenario holds: H+1 has orders whose customer only H loads', () => {
    expect(dependentOrders.length).toBeGreaterThan(0);
  });

  test('both executions succeed; H+1 waited for H and loaded after it', () => {
    expect([run.predecessor.status, run.predecessor.error, run.successor.status, run.successor.error]).toEqual([
      'SUCCEEDED',
      undefined,
      'SUCCEEDED',
      undefined,
    ]);
    expect(run.successor.retries).toContainEqual({ state: 'Acquire warehouse lease', error: 'PredecessorLoading' });
    expect(span(run.successor, 'Acquire warehouse lease').startMs).toBeLessThan(span(run.predecessor, 'Glue conform').endMs);
    expect(span(run.predecessor, 'dbt build').endMs).toBeLessThanOrEqual(span(run.successor, 'Load tables').startMs);
    expect(run.predecessor.retries.filter((r) => r.error === 'PredecessorLoading')).toEqual([]);
  });

  test('gold equals a --full-refresh build of the same bronze, with the dependent orders in it', async () => {
    const reference = path.join(path.dirname(run.duckdbPath), 'full-refresh.duckdb');
    fs.copyFileSync(run.duckdbPath, reference);
    runDbt(
      ['build', '--full-refresh', '--target', 'local', '--vars', JSON.stringify({ as_of_date: H1.start.slice(0, 10) })],
      reference,
      false,
    );
    expect(await goldDifferences(run.duckdbPath, reference)).toEqual(Object.fromEntries(GOLD_TABLES.map((t) => [t, 0])));
    const db = await DuckDbRunner.open(run.duckdbPath);
    try {
      const ids = dependentOrders.map((o) => `'${o}'`).join(', ');
      const n = Number(
        (
          await db.conn.runAndReadAll(`SELECT count(DISTINCT order_id)::INT AS n FROM gold.fct_orders WHERE order_id IN (${ids})`)
        ).getRowObjectsJson()[0].n,
      );
      expect(n).toBe(dependentOrders.length);
    } finally {
      await db.close();
    }
  });
});

test('a predecessor that fails fails its successor, naming it, before anything of the successor is loaded', async () => {
  const run = await backfillTwoHours('failed', { gluePermanent: 'conform' }, false);
  expect([run.predecessor.status, run.predecessor.error]).toEqual(['FAILED', 'States.TaskFailed']);
  expect([run.successor.status, run.successor.error]).toEqual(['FAILED', 'PredecessorNotLoaded']);
  expect(run.successor.notifications).toHaveLength(1);
  expect(run.successor.notifications[0].message).toMatch(
    /Failed state: Acquire warehouse lease \| Error: PredecessorNotLoaded \| .*2026-05-31T23:00Z, did not load the warehouse/,
  );
  expect(run.successor.statesEntered).not.toContain('Load tables');
  expect(run.runner.submitted).toEqual(['warehouse-setup']);
  expect(run.env.leases.holder('warehouse')).toBeUndefined();
  expect(run.env.leases.holder('window#20260601t0000')).toBeUndefined();
});
