/**
 * `make warehouse-test`: generate the deterministic fixture, load it into a fresh local DuckDB bronze and run
 * `dbt build --target local` (models, snapshot, data tests, unit tests) for the fixture's as-of date.
 */
import * as path from 'node:path';
import { buildGoldLocally, REPO_ROOT } from './warehouse-build';
import { writeFixture } from './warehouse-fixture';

async function main(): Promise<void> {
  const dir = path.join(REPO_ROOT, '.local', 'warehouse-fixture');
  const counts = writeFixture(dir);
  console.log(`fixture: ${Object.entries(counts).map(([t, n]) => `${t}=${n}`).join(' ')} → ${dir}`);
  const result = await buildGoldLocally({
    sourceDir: dir,
    asOfDate: '2026-06-30',
    duckdbPath: path.join(REPO_ROOT, '.local', 'warehouse-test.duckdb'),
  });
  console.log(`bronze rows (latest per key): ${JSON.stringify(result.bronzeRows)}`);
  console.log(`dbt build --target local: ${result.dbtSeconds.toFixed(1)} s`);
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
