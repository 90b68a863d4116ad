/**
 * The shared local lake and warehouse the batch fault scenarios run on (prepared once, then window after window):
 *
 *   OLTP data for three windows (H0 = 2026-06-03 10:00, H0 − 5 h, H0 − 50 h) in one Postgres database; clickstream
 *   events through the real stream handler, some of them late; each window through the batch's own stages: the
 *   extract and quality-gate handlers, spark-submit of the Glue conform script, the load handler on DuckDB; dbt builds
 *   the warehouse after the first hours and again after the re-run and back-fills.
 *
 * The stages run without the state machine (the scenarios are about data, and customer_features is not on the path to
 * the warehouse); scripts/local/batch/run.ts covers the state machine's paths.
 */
import { DirectoryDocumentStore } from '../stream/document-stores';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { createHandler as extractHandler } from '../../../lambda/batch/handlers/extract';
import { createHandler as loadHandler } from '../../../lambda/batch/handlers/load';
import { createHandler as qualityHandler } from '../../../lambda/batch/handlers/quality';
import { streamSpecsArgument, tableSpecsArgument } from '../../../lambda/contracts/glue-args';
import type { LakeStore } from '../../../lambda/contracts/lake';
import { FsLakeStore } from '../../../lambda/shared/fs-lake-store';
import type { BatchWindow } from '../../../lambda/batch/window';
import { createEventContracts } from '../../../lambda/contracts/events';
import { OLTP_TABLES, WAREHOUSE_TABLES } from '../../../lambda/contracts/table-specs';
import { generateRecords, type GeneratedRecord } from '../../generator';
import { kinesisEventOf } from '../../generator/kinesis-event';
import { STREAM_LATE_HOURS } from '../../../lambda/contracts/stage-manifest';
import { createStreamHandler } from '../../../lambda/stream-processor/handler';
import { loadEnvironmentConfig } from '../../../lib/config';
import { settingsFromConfig, streamNameOf } from '../../../lib/config/stream-settings';
import { createOltpSchema, generateOltp, insertRows, type SourceRow } from '../batch/oltp';
import { DuckDbRunner } from '../batch/duckdb-runner';
import { freshDatabase } from '../batch/postgres';
import { setupLocalWarehouse, sparkSubmit } from '../batch/run';
import { runDbt } from '../warehouse/build';

const HOUR = 3_600_000;
export const H0 = Date.parse('2026-06-03T10:00:00.000Z');
export const windowAt = (startMs: number): BatchWindow => ({
  start: new Date(startMs).toISOString(),
  end: new Date(startMs + HOUR).toISOString(),
});
const config = loadEnvironmentConfig('dev');

/** OLTP rows of one generated window, keys made unique per generation (`C1…`, `P1…`, `O1…` for generation 1). */
function generation(g: number, windowStart: number): Record<string, SourceRow[]> {
  const data = generateOltp({ windowStart: new Date(windowStart), customers: 60, products: 20, orders: 150, defectRate: 0, seed: 100 + g });
  const relabel = (id: string | null) => (id === null ? null : `${id[0]}${g}${id.slice(2)}`);
  const out: Record<string, SourceRow[]> = {};
  for (const table of OLTP_TABLES) {
    out[table] = data.rows[table].map((r) => {
      const row = { ...r };
      for (const k of ['customer_id', 'product_id', 'order_id']) if (k in row) row[k] = relabel(row[k]);
      return row;
    });
  }
  return out;
}

export interface Campaign {
  readonly dir: string;
  readonly lakeDir: string;
  readonly duckdbPath: string;
  readonly store: FsLakeStore;
  readonly oltp: Record<string, SourceRow[]>;
  readonly overlapMinutes: number;
  runner: DuckDbRunner;
  /** One window through extract → quality gate → conform → load; `qualityStore` replaces the gate's lake (faults). */
  runWindow(window: BatchWindow, options?: { qualityStore?: LakeStore; tables?: readonly string[] }): Promise<void>;
  /** Clickstream records through the stream handler, as Lambda would deliver them (one batch per call). */
  stream(records: readonly GeneratedRecord[], firstSequence: number): Promise<void>;
  /** dbt build of the warehouse; the error text when dbt fails (its tests included), else undefined. */
  build(): Promise<string | undefined>;
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** Lines the stream processor quarantined (all reasons, all hours). */
  quarantinedStreamLines(): number;
}

/** Valid (and a few invalid) clickstream records around `startMs`, one per second. */
export function clickstream(seed: number, count: number, startMs: number): GeneratedRecord[] {
  return generateRecords({
    seed,
    count,
    startMs,
    ratePerSecond: 1,
    streamWeights: { transactions: 0, customers: 0, clickstream: 1 },
    defectRate: 0.05,
    anomalyRate: 0,
  });
}

export async function prepareCampaign(log: (line: string) => void = () => undefined): Promise<Campaign> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'batch-faults-'));
  const lakeDir = path.join(dir, 'lake');
  const duckdbPath = path.join(dir, 'warehouse.duckdb');
  const pgUrl = await freshDatabase('batch_faults');
  const oltp: Record<string, SourceRow[]> = Object.fromEntries(OLTP_TABLES.map((t) => [t, []]));
  [H0, H0 - 5 * HOUR, H0 - 50 * HOUR].forEach((start, i) => {
    const rows = generation(i + 1, start);
    for (const t of OLTP_TABLES) oltp[t].push(...rows[t]);
  });
  const pg = new Client({ connectionString: pgUrl });
  await pg.connect();
  await createOltpSchema(pg);
  for (const t of OLTP_TABLES) await insertRows(pg, t, oltp[t]);
  await pg.end();

  const store = new FsLakeStore(lakeDir);
  let runner = await DuckDbRunner.open(duckdbPath);
  await setupLocalWarehouse(runner);
  const overlapMinutes = config.schedule.extractOverlapMinutes;
  const extract = extractHandler({ store, overlapMinutes, connection: async () => ({ connectionString: pgUrl }) });
  const load = () =>
    loadHandler({
      store,
      runner,
      sourceFor: (_k, m) => ({ kind: 'local-parquet', files: m.entries.map((e) => e.url.replace(/^file:/, '')) }),
      poll: { intervalMs: 5, maxPolls: 100_000 },
    });
  const quality = (lake: LakeStore) =>
    qualityHandler({ store: lake, thresholds: config.quality, currencies: config.streaming.currencies, metrics: () => undefined });
  const settings = settingsFromConfig(config);
  const handler = createStreamHandler({
    settings,
    contracts: createEventContracts({ currencies: settings.currencies }),
    lake: store,
    outboxStore: new DirectoryDocumentStore(path.join(lakeDir, 'staging')),
    alerts: { publish: async () => undefined },
    metrics: { record: () => undefined },
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });

  const campaign: Campaign = {
    dir,
    lakeDir,
    duckdbPath,
    store,
    oltp,
    overlapMinutes,
    runner,
    async runWindow(window, options = {}) {
      log(`  window ${window.start}`);
      for (const table of OLTP_TABLES) await extract({ table, window });
      for (const table of OLTP_TABLES) await quality(options.qualityStore ?? store)({ table, window });
      const res = await sparkSubmit(
        'conform',
        {
          window_start: window.start,
          tables: OLTP_TABLES.join(','),
          table_specs: tableSpecsArgument(),
          stream_specs: streamSpecsArgument(),
          staging_root: path.join(lakeDir, 'staging'),
          stream_late_hours: String(STREAM_LATE_HOURS),
        },
        log,
      );
      if (res.code !== 0) throw new Error(`conform of ${window.start} failed: ${res.tail.slice(-600)}`);
      const loader = load();
      for (const table of options.tables ?? WAREHOUSE_TABLES) await loader({ table, window });
    },
    async stream(records, firstSequence) {
      const { batchItemFailures } = await handler(
        kinesisEventOf(records, streamNameOf(config, 'clickstream'), 'shardId-000000000000', firstSequence),
      );
      if (batchItemFailures.length > 0) throw new Error(`stream handler reported ${batchItemFailures.length} failures`);
    },
    async build() {
      await campaign.runner.close();
      try {
        runDbt(['build', '--target', 'local', '--vars', JSON.stringify({ as_of_date: '2026-06-03' })], duckdbPath, false);
        return undefined;
      } catch (err) {
        return (err as Error).message;
      } finally {
        runner = campaign.runner = await DuckDbRunner.open(duckdbPath);
      }
    },
    quarantinedStreamLines() {
      const root = path.join(lakeDir, 'quarantine', 'stream');
      if (!fs.existsSync(root)) return 0;
      const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ndjson'));
      return files.reduce((n, f) => n + fs.readFileSync(path.join(root, f), 'utf8').split('\n').filter(Boolean).length, 0);
    },
    async query(sql) {
      return (await campaign.runner.conn.runAndReadAll(sql)).getRowObjectsJson();
    },
  };
  return campaign;
}
