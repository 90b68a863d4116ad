/**
 * `make warehouse-test`: generate the deterministic fixture, load it into a fresh local DuckDB bronze and run
 * `dbt build --target local` (models, snapshot, data tests, unit tests) for the fixture's as-of date.
 */
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { buildGoldLocally, REPO_ROOT } from './warehouse-build';
import { writeFixture } from './warehouse-fixture';
import { compareRows, referenceCustomer360, type Row } from './warehouse-reference';

const AS_OF = '2026-06-30';

/** customer_360 as DuckDB returns it (decimals and dates as strings). */
async function goldCustomer360(duckdbPath: string): Promise<Row[]> {
  const instance = await DuckDBInstance.create(duckdbPath, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    return (await conn.runAndReadAll('SELECT * FROM gold.customer_360 ORDER BY customer_id')).getRowObjectsJson() as Row[];
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

async function main(): Promise<void> {
  const dir = path.join(REPO_ROOT, '.local', 'warehouse-fixture');
  const counts = writeFixture(dir);
  console.log(`fixture: ${Object.entries(counts).map(([t, n]) => `${t}=${n}`).join(' ')} → ${dir}`);
  const result = await buildGoldLocally({
    sourceDir: dir,
    asOfDate: AS_OF,
    duckdbPath: path.join(REPO_ROOT, '.local', 'warehouse-test.duckdb'),
  });
  console.log(`bronze rows (latest per key): ${JSON.stringify(result.bronzeRows)}`);
  console.log(`dbt build --target local: ${result.dbtSeconds.toFixed(1)} s`);

  const expected = referenceCustomer360(dir, AS_OF, path.join(REPO_ROOT, 'dbt', 'customer_rules.yml'));
  const problems = compareRows(expected, await goldCustomer360(result.duckdbPath));
  if (problems.length > 0) throw new Error(`gold.customer_360 differs from the reference implementation:\n  ${problems.join('\n  ')}`);
  console.log(`customer_360 matches the independent reference implementation: ${expected.length} rows × ${Object.keys(expected[0]).length} columns`);
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
