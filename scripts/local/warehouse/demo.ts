/**
 * The warehouse part of `make demo`: generate the deterministic source data, build gold locally (same load SQL,
 * same dbt project as in AWS, on DuckDB) and print what an analyst would see.
 */
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { buildGoldLocally, DEFAULT_DUCKDB_PATH, REPO_ROOT } from './build';
import { writeFixture } from './fixture';

export interface WarehouseDemoOptions {
  /** @default '2026-06-30' */
  readonly asOfDate?: string;
  /** @default DEFAULT_DUCKDB_PATH (.local/warehouse.duckdb) */
  readonly duckdbPath?: string;
  /** Where gold CSVs are written. @default .local/demo/gold */
  readonly outDir?: string;
}

/** Analyst questions answered from gold, each a plain query on the gold schema (see docs/analyst-guide.md). */
export const DEMO_QUERIES: readonly { readonly title: string; readonly sql: string }[] = [
  {
    title: 'Customers by value tier and lifecycle stage',
    sql: `SELECT value_tier, lifecycle_stage, count(*) AS customers, sum(total_spent) AS revenue
          FROM gold.customer_360 GROUP BY ALL ORDER BY revenue DESC LIMIT 6`,
  },
  {
    title: 'RFM segments',
    sql: `SELECT rfm_segment, count(*) AS customers, round(avg(rfm_score), 1) AS avg_rfm_score, sum(total_spent) AS revenue
          FROM gold.customer_360 GROUP BY ALL ORDER BY revenue DESC`,
  },
  {
    title: 'Top product per category (revenue, margin, month-over-month)',
    sql: `SELECT category, product_id, revenue, gross_margin_pct, revenue_mom_change_pct
          FROM gold.product_performance WHERE category_revenue_rank = 1 ORDER BY revenue DESC LIMIT 5`,
  },
  {
    title: 'Funnel, last 7 days',
    sql: `SELECT funnel_date, sessions, product_view_sessions, add_to_cart_sessions, checkout_sessions, session_conversion_rate
          FROM gold.fct_daily_funnel ORDER BY funnel_date DESC LIMIT 7`,
  },
];

/** Builds gold from generated data and prints the demo queries; returns the dbt build time in seconds. */
export async function runWarehouseDemo(options: WarehouseDemoOptions = {}): Promise<number> {
  console.log('\n== Warehouse: generated OLTP + clickstream → bronze (load SQL) → dbt build (DuckDB) → gold ==');
  const sourceDir = path.join(REPO_ROOT, '.local', 'demo', 'warehouse-source');
  const counts = writeFixture(sourceDir);
  console.log(
    `source CSVs: ${Object.entries(counts)
      .map(([t, n]) => `${t}=${n}`)
      .join(', ')}`,
  );
  const duckdbPath = options.duckdbPath ?? DEFAULT_DUCKDB_PATH;
  const result = await buildGoldLocally({
    sourceDir,
    asOfDate: options.asOfDate ?? '2026-06-30',
    duckdbPath,
    outDir: options.outDir ?? path.join(REPO_ROOT, '.local', 'demo', 'gold'),
    echo: false,
  });
  console.log(
    `bronze (latest per key): ${Object.entries(result.bronzeRows)
      .map(([t, n]) => `${t}=${n}`)
      .join(', ')}`,
  );
  console.log(`dbt build --target local: ${result.dbtSeconds.toFixed(1)} s; gold CSVs in ${path.dirname(result.exported[0] ?? '')}`);

  const instance = await DuckDBInstance.create(duckdbPath, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    for (const q of DEMO_QUERIES) {
      const rows = (await conn.runAndReadAll(q.sql)).getRowObjectsJson();
      console.log(`\n-- ${q.title}`);
      console.table(rows);
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  return result.dbtSeconds;
}
