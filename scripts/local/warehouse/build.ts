/**
 * Builds gold locally: validate a folder of source CSVs → load them through the same stage/merge SQL the cloud
 * loader runs (DuckDB dialect) into bronze → `dbt build --target local` (models, snapshot, tests, unit tests) for
 * an as-of date → optionally export every gold table to CSV. Used by `make gold`, `make warehouse-test` and the demo.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { STREAM_TABLE_SPECS, TABLE_SPECS, type TableSpec } from '../../../lambda/contracts/table-specs';
import { bronzeTableDdl, schemaDdl } from '../../../lambda/contracts/bronze-ddl';
import { buildLoadBatch } from '../../../lambda/warehouse/load-sql';
import { canonicalCsv, validateSourceDir, type SourceTable } from './csv';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const DBT_DIR = path.join(REPO_ROOT, 'dbt');
export const DEFAULT_DUCKDB_PATH = path.join(REPO_ROOT, '.local', 'warehouse.duckdb');
/** The gold tables, in the order they are exported and documented. */
export const GOLD_TABLES = [
  'customer_360',
  'fct_orders',
  'dim_customers',
  'dim_products',
  'product_performance',
  'fct_daily_funnel',
] as const;
const OLTP_SPECS = Object.values(TABLE_SPECS) as TableSpec[];
const STREAM_SPECS = Object.values(STREAM_TABLE_SPECS) as TableSpec[];

/** Rows in either database's gold table but not the other's (EXCEPT ALL both ways), per gold table. */
export async function goldDifferences(duckdbPath: string, referencePath: string): Promise<Record<string, number>> {
  const instance = await DuckDBInstance.create(duckdbPath, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    await conn.run(`ATTACH '${referencePath.replace(/'/g, "''")}' AS reference_build (READ_ONLY)`);
    const diff: Record<string, number> = {};
    for (const t of GOLD_TABLES) {
      const q = (a: string, b: string) => `SELECT count(*) AS n FROM (SELECT * FROM ${a}.${t} EXCEPT ALL SELECT * FROM ${b}.${t})`;
      const rows = await conn.runAndReadAll(`SELECT (${q('gold', 'reference_build.gold')}) + (${q('reference_build.gold', 'gold')}) AS n`);
      diff[t] = Number(rows.getRowObjectsJson()[0].n);
    }
    return diff;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Runs statements in one transaction (what BatchExecuteStatement does on Redshift); rolls back on failure. */
export async function inTransaction(conn: DuckDBConnection, statements: readonly string[]): Promise<void> {
  await conn.run('BEGIN TRANSACTION');
  try {
    for (const sql of statements) await conn.run(sql);
    await conn.run('COMMIT');
  } catch (err) {
    await conn.run('ROLLBACK');
    throw err;
  }
}

export interface BuildGoldOptions {
  /** Folder with `<table>.csv` for every OLTP table (clickstream_events.csv optional). */
  readonly sourceDir: string;
  /** YYYY-MM-DD the metrics are computed for. */
  readonly asOfDate: string;
  /** When set, every gold table is written to `<outDir>/<table>.csv`. */
  readonly outDir?: string;
  /** @default DEFAULT_DUCKDB_PATH (the file is recreated) */
  readonly duckdbPath?: string;
  /** dbt command. @default 'build' */
  readonly dbtCommand?: 'build' | 'run';
  /** Forwarded to dbt stdout. @default true */
  readonly echo?: boolean;
}

export interface BuildGoldResult {
  readonly duckdbPath: string;
  readonly bronzeRows: Record<string, number>;
  readonly dbtSeconds: number;
  readonly exported: string[];
}

async function withDb<T>(file: string, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(file);
  const conn = await instance.connect();
  try {
    return await fn(conn);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

async function count(conn: DuckDBConnection, table: string): Promise<number> {
  const rows = (await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${table}`)).getRowObjectsJson();
  return Number(rows[0].n);
}

/**
 * Loads validated source tables into bronze through the load SQL (one transaction per table). The loader reads the
 * rows the validator parsed, written as canonical CSV (every value quoted), never the user's file itself.
 */
export async function loadBronze(duckdbPath: string, tables: ReadonlyMap<string, SourceTable>): Promise<Record<string, number>> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflow-bronze-'));
  try {
    return await withDb(duckdbPath, async (conn) => {
      for (const sql of schemaDdl()) await conn.run(sql);
      const counts: Record<string, number> = {};
      for (const spec of [...OLTP_SPECS, ...STREAM_SPECS]) {
        const table = tables.get(spec.name);
        let file: string | undefined;
        if (table) {
          file = path.join(tmp, `${spec.name}.csv`);
          fs.writeFileSync(file, canonicalCsv(table));
        }
        const statements = file
          ? buildLoadBatch({ spec, loadId: 'local', source: { kind: 'local-csv', file } }).statements
          : [bronzeTableDdl(spec, 'duckdb')];
        await inTransaction(conn, statements).catch((err: Error) => {
          throw new Error(`loading ${spec.name}${table ? ` from ${table.file}` : ''} into bronze failed: ${err.message}`);
        });
        counts[spec.name] = await count(conn, `bronze.${spec.name}`);
      }
      return counts;
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Runs the project's dbt (from .venv) against the local DuckDB file; throws with dbt's exit code on failure. */
export function runDbt(args: readonly string[], duckdbPath: string, echo = true): void {
  const dbt = path.join(REPO_ROOT, '.venv', 'bin', 'dbt');
  if (!fs.existsSync(dbt)) throw new Error(`${dbt} not found: run \`make install\` first`);
  const result = spawnSync(dbt, [...args, '--project-dir', DBT_DIR, '--profiles-dir', DBT_DIR], {
    cwd: DBT_DIR,
    env: { ...process.env, DATAFLOW_DUCKDB_PATH: duckdbPath, DBT_SEND_ANONYMOUS_USAGE_STATS: 'false' },
    stdio: echo ? 'inherit' : 'pipe',
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    const tail = echo ? '' : `\n${(result.stdout ?? '').split('\n').slice(-40).join('\n')}`;
    throw new Error(`dbt ${args.join(' ')} failed (exit ${result.status})${tail}`);
  }
}

/** Exports every gold table, ordered by its first column(s), to `<outDir>/<table>.csv`. */
export async function exportGold(duckdbPath: string, outDir: string): Promise<string[]> {
  fs.mkdirSync(outDir, { recursive: true });
  return withDb(duckdbPath, async (conn) => {
    const written: string[] = [];
    for (const table of GOLD_TABLES) {
      const file = path.join(outDir, `${table}.csv`);
      await conn.run(`COPY (SELECT * FROM gold.${table} ORDER BY ALL) TO '${file.replace(/'/g, "''")}' (HEADER, DELIMITER ',')`);
      written.push(file);
    }
    return written;
  });
}

export function checkAsOfDate(value: string): string {
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ||
    new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value
  ) {
    throw new Error(`AS_OF must be a date YYYY-MM-DD (got "${value}")`);
  }
  return value;
}

/** Validate → bronze → dbt → (export). Recreates the DuckDB file so every build starts from the same state. */
export async function buildGoldLocally(options: BuildGoldOptions): Promise<BuildGoldResult> {
  const asOf = checkAsOfDate(options.asOfDate);
  const files = validateSourceDir(options.sourceDir, OLTP_SPECS, STREAM_SPECS);
  const duckdbPath = path.resolve(options.duckdbPath ?? DEFAULT_DUCKDB_PATH);
  fs.mkdirSync(path.dirname(duckdbPath), { recursive: true });
  for (const f of [duckdbPath, `${duckdbPath}.wal`]) fs.rmSync(f, { force: true });
  const bronzeRows = await loadBronze(duckdbPath, files);
  const started = process.hrtime.bigint();
  runDbt(
    [options.dbtCommand ?? 'build', '--target', 'local', '--vars', JSON.stringify({ as_of_date: asOf })],
    duckdbPath,
    options.echo ?? true,
  );
  const dbtSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const exported = options.outDir ? await exportGold(duckdbPath, path.resolve(options.outDir)) : [];
  return { duckdbPath, bronzeRows, dbtSeconds, exported };
}
