/**
 * Builds gold locally from a folder of source CSVs and exports every gold table to CSV.
 *
 *   make gold SOURCE=dir AS_OF=2026-06-30 OUT=dir
 *   node --require ts-node/register/transpile-only scripts/gold.ts --source dir --as-of 2026-06-30 --out dir
 *
 * SOURCE holds one CSV per OLTP table (customers.csv, products.csv, orders.csv, order_items.csv; optional
 * clickstream_events.csv) with a header row of table-spec column names; several versions of a row are allowed
 * (the latest updated_at wins). Every file is parsed once by a strict RFC 4180 parser; every problem (quoting,
 * types, required values, rows whose customer/order/product is missing) is listed with file, row and column before
 * anything is built, and the loader loads exactly the rows that were validated.
 */
import * as path from 'node:path';
import { buildGoldLocally, checkAsOfDate, DEFAULT_DUCKDB_PATH, GOLD_TABLES } from './local/warehouse/build';
import { SourceDataError } from './local/warehouse/csv';
import { parseCli, runCli, UsageError } from './cli';

export const USAGE = `usage: make gold SOURCE=<folder of CSVs> AS_OF=<YYYY-MM-DD> OUT=<output folder>
       scripts/gold.ts --source <folder> --as-of <YYYY-MM-DD> --out <folder> [--duckdb <file>]

Builds gold on a local DuckDB from one CSV per OLTP table and exports every gold table to OUT.

  --source <folder>          customers.csv, products.csv, orders.csv, order_items.csv [, clickstream_events.csv]
  --as-of <YYYY-MM-DD>       the date metrics are computed for
  --out <folder>             where the gold CSVs are written
  --duckdb <file>            the DuckDB file (recreated; default .local/warehouse.duckdb)
  -h, --help                 print this help`;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  source: { type: 'string' },
  'as-of': { type: 'string' },
  out: { type: 'string' },
  duckdb: { type: 'string' },
} as const;

async function main(): Promise<number> {
  const v = parseCli(process.argv.slice(2), OPTIONS);
  if (v.help) {
    console.log(USAGE);
    return 0;
  }
  for (const flag of ['source', 'as-of', 'out'] as const) if (!v[flag]) throw new UsageError(`--${flag} is required`);
  try {
    checkAsOfDate(v['as-of'] as string);
  } catch (err) {
    throw new UsageError(`--as-of: ${(err as Error).message}`);
  }
  const out = v.out as string;
  try {
    const result = await buildGoldLocally({
      sourceDir: v.source as string,
      asOfDate: v['as-of'] as string,
      outDir: out,
      duckdbPath: v.duckdb ?? DEFAULT_DUCKDB_PATH,
    });
    console.log(
      `\nbronze (latest version per key): ${Object.entries(result.bronzeRows)
        .map(([t, n]) => `${t}=${n}`)
        .join(', ')}`,
    );
    console.log(`dbt build: ${result.dbtSeconds.toFixed(1)} s; gold tables (${GOLD_TABLES.length}) exported to ${path.resolve(out)}:`);
    result.exported.forEach((f) => console.log(`  ${f}`));
    return 0;
  } catch (err) {
    if (err instanceof SourceDataError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
}

if (require.main === module) runCli('make gold', USAGE, main);
