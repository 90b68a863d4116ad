/**
 * `make demo`'s hourly batch: generated OLTP data in the local Postgres → the synthesized state machine executed
 * locally (scripts/local/batch/run.ts) → gold tables in the local DuckDB warehouse. Prints progress, the state
 * timeline, the reconciliation (extracted = staged + quarantined, per table), the quality report and gold row
 * counts, and writes the figures to `.local/demo/batch.json`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { OLTP_TABLES } from '../../../lambda/contracts/table-specs';
import { loadEnvironmentConfig } from '../../../lib/config';
import { synthesizedBatchAsl } from './asl';
import { DuckDbRunner } from './duckdb-runner';
import { seedOltp, type OltpGeneratorOptions } from './oltp';
import { freshDatabase } from './postgres';
import { localBatchEnv, runLocalExecution, setupLocalWarehouse, validateAsl, type LocalExecution } from './run';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const GOLD_TABLES = ['customer_360', 'fct_orders', 'dim_customers', 'dim_products', 'product_performance', 'fct_daily_funnel'];
/** The hour the stream pass's events fall in (scripts/generator DEFAULT_START_MS), so both paths meet in gold. */
export const DEMO_WINDOW = { start: '2026-11-02T08:00:00.000Z', end: '2026-11-02T09:00:00.000Z' };

export interface BatchDemoOptions {
  readonly root?: string;
  readonly generator?: Partial<OltpGeneratorOptions>;
  readonly quiet?: boolean;
}

export interface TableFigures {
  extracted: number;
  staged: number;
  quarantined: number;
  loaded: number;
  quarantinedByReason: Record<string, number>;
}

export interface BatchDemoResult {
  readonly execution: LocalExecution;
  readonly tables: Record<string, TableFigures>;
  readonly gold: Record<string, number>;
  readonly figuresFile: string;
  readonly totalSeconds: number;
}

async function goldCounts(runner: DuckDbRunner): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const id = await runner.submit(
    GOLD_TABLES.map((t) => `SELECT count(*) FROM gold.${t}`),
    'gold-counts',
  );
  for (;;) {
    const d = await runner.describe(id);
    if (d.status !== 'SUBMITTED' && d.status !== 'STARTED') break;
    await new Promise((r) => setTimeout(r, 5));
  }
  // rowsChanged is not a count for SELECTs: read them directly.
  for (const t of GOLD_TABLES) {
    const rows = (await runner.conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM gold.${t}`)).getRowObjectsJson();
    out[t] = Number(rows[0].n);
  }
  return out;
}

/** Runs one local hourly batch end to end and reports it. */
export async function runBatchDemo(options: BatchDemoOptions = {}): Promise<BatchDemoResult> {
  const t0 = Date.now();
  const root = options.root ?? REPO_ROOT;
  const say = options.quiet ? () => undefined : (line: string) => console.log(line);
  const config = loadEnvironmentConfig('dev');
  say('\n=== Hourly batch (local): Postgres → extract → quality gate → Glue → load → dbt → gold ===');

  const pgUrl = await freshDatabase('dataflow_oltp');
  const pg = new Client({ connectionString: pgUrl });
  await pg.connect();
  const seeded = await seedOltp(pg, { windowStart: new Date(DEMO_WINDOW.start), ...options.generator });
  await pg.end();
  say(
    `OLTP source: ${OLTP_TABLES.map((t) => `${t} ${seeded.rows[t].length}`).join(', ')} rows in the local Postgres (${seeded.defects.length} labelled defects)`,
  );

  const duckdbPath = path.join(root, '.local', 'batch-warehouse.duckdb');
  fs.mkdirSync(path.dirname(duckdbPath), { recursive: true });
  fs.rmSync(duckdbPath, { force: true });
  const runner = await DuckDbRunner.open(duckdbPath);
  await setupLocalWarehouse(runner);

  const definition = synthesizedBatchAsl('dev');
  validateAsl(definition);
  say(
    `State machine: ${Object.keys(definition.States as object).length} states from the synthesized DataPlatform-dev/Batch-dev template (asl-validator: valid)`,
  );

  const env = localBatchEnv(config, { lakeDir: path.join(root, '.local', 'lake'), duckdbPath, pgUrl, progress: say });
  const scheduledTime = new Date(Date.parse(DEMO_WINDOW.end) + 5 * 60_000).toISOString();
  say(`Execution input (EventBridge Scheduler): {"scheduledTime": "${scheduledTime}"} → window ${DEMO_WINDOW.start} – ${DEMO_WINDOW.end}`);
  const execution = await runLocalExecution(definition, { scheduledTime }, env, {
    executionId: 'arn:aws:states:local:000000000000:execution:demo:hourly-1',
    runner,
  });

  const tables: Record<string, TableFigures> = {};
  for (const r of execution.qualityReports) {
    tables[r.table] = {
      extracted: r.rows.extracted,
      staged: r.rows.staged,
      quarantined: r.rows.quarantined,
      loaded: 0,
      quarantinedByReason: r.quarantinedByReason,
    };
  }
  for (const l of execution.loads)
    (tables[l.table] ??= { extracted: 0, staged: 0, quarantined: 0, loaded: 0, quarantinedByReason: {} }).loaded = l.rowsLoaded;
  const gold = execution.status === 'SUCCEEDED' ? await goldCounts(runner) : {};
  await runner.close();

  say('\nTimeline:');
  say(
    `  ${'state'.padEnd(28)} ${'starts at'.padStart(9)} ${'seconds'.padStart(8)} ${'rows'.padStart(8)}  status   (the Parallel's two branches overlap)`,
  );
  const firstStart = execution.timeline[0]?.startMs ?? 0;
  for (const t of execution.timeline) {
    const at = `+${((t.startMs - firstStart) / 1000).toFixed(1)}`;
    say(
      `  ${t.state.padEnd(28)} ${at.padStart(9)} ${t.seconds.toFixed(1).padStart(8)} ${(t.rows ?? '').toString().padStart(8)}  ${t.status}${t.detail ? ` (${t.detail})` : ''}`,
    );
  }
  say('\nReconciliation (extracted = staged + quarantined; loaded = rows merged into bronze after de-duplication):');
  for (const [t, f] of Object.entries(tables)) {
    if (!execution.qualityReports.some((r) => r.table === t)) {
      say(`  ${t.padEnd(20)} stream events from the stream pass (staging/stream/…): conformed and loaded ${f.loaded}`);
      continue;
    }
    const ok = f.extracted === f.staged + f.quarantined ? 'ok' : 'MISMATCH';
    const reasons = Object.entries(f.quarantinedByReason)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    say(
      `  ${t.padEnd(20)} extracted ${String(f.extracted).padStart(6)} = staged ${String(f.staged).padStart(6)} + quarantined ${String(f.quarantined).padStart(4)} [${ok}]  loaded ${f.loaded}${reasons ? `  (quarantine: ${reasons})` : ''}`,
    );
  }
  say('\nQuality report (score; expectations observed / threshold):');
  for (const r of execution.qualityReports) {
    say(
      `  ${r.table.padEnd(12)} score ${r.score.toFixed(2)}  ${r.expectations.map((e) => `${e.name} ${e.observed}${e.name === 'row_count' ? '' : `≥${e.min}`}${e.passed ? '' : ' FAILED'}`).join(', ')}`,
    );
  }
  if (Object.keys(gold).length)
    say(
      `\nGold row counts: ${Object.entries(gold)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ')}`,
    );
  say(
    `\nBatch execution ${execution.status}${execution.error ? ` (${execution.error}: ${execution.cause})` : ''}; ${execution.notifications.length} on-call notifications`,
  );

  const totalSeconds = (Date.now() - t0) / 1000;
  const figuresFile = path.join(root, '.local', 'demo', 'batch.json');
  fs.mkdirSync(path.dirname(figuresFile), { recursive: true });
  fs.writeFileSync(
    figuresFile,
    JSON.stringify(
      {
        window: DEMO_WINDOW,
        status: execution.status,
        tables,
        gold,
        timeline: execution.timeline.map(({ state, startMs, seconds, rows, status }) => ({
          state,
          startS: (startMs - firstStart) / 1000,
          seconds,
          rows,
          status,
        })),
        quality: execution.qualityReports.map((r) => ({ table: r.table, score: r.score, passed: r.passed, expectations: r.expectations })),
        total_s: (Date.now() - t0) / 1000,
      },
      null,
      2,
    ),
  );
  say(
    `Figures: ${path.relative(root, figuresFile)}; lake: .local/lake/{raw,staging,quarantine}; warehouse: ${path.relative(root, duckdbPath)}`,
  );
  return { execution, tables, gold, figuresFile, totalSeconds };
}

if (require.main === module) {
  runBatchDemo()
    .then((r) => {
      if (r.execution.status !== 'SUCCEEDED') process.exitCode = 1;
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
