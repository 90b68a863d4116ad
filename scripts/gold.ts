/**
 * Builds gold locally from a folder of source CSVs and exports every gold table to CSV.
 *
 *   make gold SOURCE=dir AS_OF=2026-06-30 OUT=dir
 *   node --require ts-node/register/transpile-only scripts/gold.ts --source dir --as-of 2026-06-30 --out dir
 *
 * SOURCE holds one CSV per OLTP table (customers.csv, products.csv, orders.csv, order_items.csv; optional
 * clickstream_events.csv) with a header row of table-spec column names; several versions of a row are allowed
 * (the latest updated_at wins). Bad input stops before anything is built, naming file, row and column.
 */
import * as path from 'node:path';
import { buildGoldLocally, DEFAULT_DUCKDB_PATH, GOLD_TABLES } from './local/warehouse-build';
import { SourceDataError } from './local/warehouse-csv';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const source = arg('source');
  const asOf = arg('as-of');
  const out = arg('out');
  if (!source || !asOf || !out) {
    console.error('usage: make gold SOURCE=<folder of CSVs> AS_OF=<YYYY-MM-DD> OUT=<output folder>');
    return 2;
  }
  try {
    const result = await buildGoldLocally({ sourceDir: source, asOfDate: asOf, outDir: out, duckdbPath: arg('duckdb') ?? DEFAULT_DUCKDB_PATH });
    console.log(`\nbronze (latest version per key): ${Object.entries(result.bronzeRows).map(([t, n]) => `${t}=${n}`).join(', ')}`);
    console.log(`dbt build: ${result.dbtSeconds.toFixed(1)} s; gold tables (${GOLD_TABLES.length}) exported to ${path.resolve(out)}:`);
    result.exported.forEach((f) => console.log(`  ${f}`));
    return 0;
  } catch (err) {
    console.error(err instanceof SourceDataError ? err.message : `make gold failed: ${(err as Error).message}`);
    return 1;
  }
}

main().then((code) => process.exit(code));
