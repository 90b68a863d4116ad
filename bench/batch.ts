/**
 * Benchmark (not a test): one hour of a 10M-events/day load through the local hourly batch — ~420k stream events
 * (landed in staging by the real stream handler, not timed as a batch stage) plus an OLTP delta in the local
 * Postgres — executed by the synthesized state machine locally. Prints per-stage seconds and peak memory of the
 * whole process tree (node + spark-submit + dbt); the last line is one JSON object.
 *
 *   npm run bench:batch [-- --events 420000 --orders 40000 --keep]   (--keep: leave the run's lake and DuckDB file)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { loadEnvironmentConfig } from '../lib/config';
import { synthesizedBatchAsl } from '../scripts/local/batch/asl';
import { DEMO_WINDOW } from '../scripts/local/batch/demo';
import { DuckDbRunner } from '../scripts/local/batch/duckdb-runner';
import { seedOltp } from '../scripts/local/batch/oltp';
import { freshDatabase } from '../scripts/local/batch/postgres';
import { localBatchEnv, runLocalExecution, setupLocalWarehouse, validateAsl } from '../scripts/local/batch/run';
import { runStreamPass } from '../scripts/local/stream/pass';
import { treeRssMb } from './rss';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

async function main(): Promise<void> {
  const events = arg('events', 420_000);
  const orders = arg('orders', 40_000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-batch-'));
  const config = loadEnvironmentConfig('dev');

  console.log(
    `bench:batch — ${events} stream events + OLTP delta (${orders} orders) through the local hourly batch; ${os.cpus().length} cores`,
  );
  const streamStart = Date.now();
  const stream = await runStreamPass({ count: events, root });
  console.log(
    `landed ${stream.valid} validated events in staging in ${((Date.now() - streamStart) / 1000).toFixed(1)} s (stream path, not a batch stage)`,
  );

  const pgUrl = await freshDatabase('dataflow_bench');
  const pg = new Client({ connectionString: pgUrl });
  await pg.connect();
  const seeded = await seedOltp(pg, { windowStart: new Date(DEMO_WINDOW.start), customers: orders / 2, products: 2_000, orders, seed: 11 });
  await pg.end();
  const oltpRows = Object.values(seeded.rows).reduce((s, r) => s + r.length, 0);

  const duckdbPath = path.join(root, 'warehouse.duckdb');
  const runner = await DuckDbRunner.open(duckdbPath);
  await setupLocalWarehouse(runner);
  const definition = synthesizedBatchAsl('dev');
  validateAsl(definition);

  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, treeRssMb(process.pid))), 250);
  const started = Date.now();
  const execution = await runLocalExecution(
    definition,
    { scheduledTime: new Date(Date.parse(DEMO_WINDOW.end) + 5 * 60_000).toISOString() },
    localBatchEnv(config, { lakeDir: path.join(root, '.local', 'lake'), duckdbPath, pgUrl }),
    { executionId: 'arn:aws:states:local:0:execution:bench:1', runner },
  );
  const totalS = (Date.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, treeRssMb(process.pid));
  await runner.close();
  if (execution.status !== 'SUCCEEDED') throw new Error(`batch failed: ${execution.error} ${execution.cause}`);

  const stages: Record<string, number> = {};
  for (const t of execution.timeline) stages[t.state] = Math.round((stages[t.state] ?? 0) * 100 + t.seconds * 100) / 100;
  const rowsLoaded = execution.loads.reduce((s, l) => s + l.rowsLoaded, 0);
  const extracted = execution.qualityReports.reduce((s, r) => s + r.rows.extracted, 0);

  console.log(`\n${'stage'.padEnd(28)} ${'seconds'.padStart(8)} ${'rows'.padStart(9)}`);
  for (const t of execution.timeline)
    console.log(`${t.state.padEnd(28)} ${t.seconds.toFixed(2).padStart(8)} ${(t.rows ?? '').toString().padStart(9)}`);
  console.log(`${'total'.padEnd(28)} ${totalS.toFixed(2).padStart(8)}`);
  console.log(
    `rows in: ${stream.valid} stream events + ${extracted} OLTP rows extracted (${oltpRows} in the source); rows loaded: ${rowsLoaded}; peak RSS ${peak.toFixed(0)} MB; target ≤ 120 s: ${totalS <= 120 ? 'met' : 'missed'}`,
  );
  if (process.argv.includes('--keep')) console.log(`kept ${root}`);
  else fs.rmSync(root, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      total_s: Math.round(totalS * 100) / 100,
      stages,
      peak_rss_mb: Math.round(peak),
      rows_in: stream.valid + extracted,
      rows_loaded: rowsLoaded,
      stream_events: stream.valid,
      oltp_rows_extracted: extracted,
      cores: os.cpus().length,
    }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
