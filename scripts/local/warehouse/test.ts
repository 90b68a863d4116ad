/**
 * `make warehouse-test`: generate the deterministic fixture, load it into a fresh local DuckDB bronze through the
 * load SQL and run `dbt build --target local` (models, snapshot, data tests, unit tests) for the fixture's as-of
 * date; compare customer_360 with an independent implementation. Then load a later delta (customer changes, a
 * cancellation, an order losing a line, a new order) and build again: the incremental fct_orders, the SCD2
 * dim_customers and customer_360 must all reflect it.
 */
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { STREAM_TABLE_SPECS, TABLE_SPECS, type TableSpec } from '../../../lambda/contracts/table-specs';
import { buildGoldLocally, loadBronze, REPO_ROOT, runDbt } from './build';
import { validateSourceDir } from './csv';
import { buildInfoProblems, missingGoldComments } from './docs-check';
import { BUILD_PARAMETER_COLUMNS } from '../lineage/graph';
import { generateLineage, lineageSummary } from '../lineage';
import { DELTA_UPDATED_AT, writeDelta } from './delta';
import { writeFixture } from './fixture';
import { compareRows, referenceCustomer360, type Row } from './reference';

const AS_OF = '2026-06-30';

const RULES = path.join(REPO_ROOT, 'dbt', 'customer_rules.yml');

/** Query results as DuckDB returns them (decimals, dates and timestamps as strings). */
async function select(duckdbPath: string, sql: string): Promise<Row[]> {
  const instance = await DuckDBInstance.create(duckdbPath, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Row[];
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

async function checkCustomer360(duckdbPath: string, sourceDirs: string[]): Promise<void> {
  const expected = referenceCustomer360(sourceDirs, AS_OF, RULES);
  const problems = compareRows(expected, await select(duckdbPath, 'SELECT * FROM gold.customer_360 ORDER BY customer_id'));
  if (problems.length > 0) throw new Error(`gold.customer_360 differs from the reference implementation:\n  ${problems.join('\n  ')}`);
  console.log(
    `customer_360 matches the independent reference implementation: ${expected.length} rows × ${Object.keys(expected[0]).length} columns`,
  );
}

function expect(condition: boolean, message: string): void {
  if (!condition) throw new Error(`incremental build: ${message}`);
}

async function main(): Promise<void> {
  const dir = path.join(REPO_ROOT, '.local', 'warehouse-fixture');
  const counts = writeFixture(dir);
  console.log(
    `fixture: ${Object.entries(counts)
      .map(([t, n]) => `${t}=${n}`)
      .join(' ')} → ${dir}`,
  );
  const result = await buildGoldLocally({
    sourceDir: dir,
    asOfDate: AS_OF,
    duckdbPath: path.join(REPO_ROOT, '.local', 'warehouse-test.duckdb'),
  });
  console.log(`bronze rows (latest per key): ${JSON.stringify(result.bronzeRows)}`);
  console.log(`dbt build --target local: ${result.dbtSeconds.toFixed(1)} s`);

  await checkCustomer360(result.duckdbPath, [dir]);
  const docProblems = [
    ...(await missingGoldComments((sql) => select(result.duckdbPath, sql))),
    ...(await buildInfoProblems((sql) => select(result.duckdbPath, sql), AS_OF)),
  ];
  if (docProblems.length > 0) throw new Error(`gold documentation and build info:\n  ${docProblems.join('\n  ')}`);
  console.log('gold: every table and column carries its description; gold.build_info is set');
  const before = await select(result.duckdbPath, 'SELECT order_id, line_count FROM gold.fct_orders');
  const lineCount = new Map(before.map((r) => [String(r.order_id), Number(r.line_count)]));

  // The next hour: a delta of newer versions, loaded with the same merge, then an incremental dbt build.
  const deltaDir = path.join(REPO_ROOT, '.local', 'warehouse-fixture-delta');
  const delta = writeDelta(dir, deltaDir);
  const specs = [...Object.values(TABLE_SPECS), ...Object.values(STREAM_TABLE_SPECS)] as TableSpec[];
  const files = validateSourceDir(
    deltaDir,
    specs.filter((s) => s.name in TABLE_SPECS),
    specs.filter((s) => s.name in STREAM_TABLE_SPECS),
    {
      // A delta holds only the newer versions: its orders may belong to customers loaded an hour earlier.
      checkReferences: false,
    },
  );
  await loadBronze(result.duckdbPath, files);
  const started = process.hrtime.bigint();
  runDbt(['build', '--target', 'local', '--vars', JSON.stringify({ as_of_date: AS_OF })], result.duckdbPath, false);
  console.log(`second (incremental) dbt build: ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`);

  await checkCustomer360(result.duckdbPath, [dir, deltaDir]);
  const orders = await select(result.duckdbPath, 'SELECT order_id, is_cancelled, line_count, order_amount FROM gold.fct_orders');
  const byId = new Map(orders.map((r) => [String(r.order_id), r]));
  expect(byId.size === orders.length, 'fct_orders has duplicate order_ids');
  expect(orders.length === before.length + 1, `fct_orders should gain exactly the new order (${before.length} → ${orders.length})`);
  for (const id of delta.cancelledOrders) expect(byId.get(id)?.is_cancelled === true, `${id} should be cancelled`);
  for (const id of delta.shortenedOrders)
    expect(Number(byId.get(id)?.line_count) === (lineCount.get(id) ?? 0) - 1, `${id} should have lost a line`);
  expect(byId.get(delta.newOrder)?.order_amount === '0.03', `${delta.newOrder} should be worth 0.03`);

  const history = await select(
    result.duckdbPath,
    `SELECT customer_id, customer_segment, CAST(valid_from AS VARCHAR) AS valid_from, CAST(valid_to AS VARCHAR) AS valid_to, is_current
     FROM gold.dim_customers WHERE customer_id IN (${delta.changedCustomers.map((c) => `'${c}'`).join(', ')}) ORDER BY customer_id, valid_from`,
  );
  expect(history.length === 2 * delta.changedCustomers.length, `each changed customer should have 2 versions (got ${history.length} rows)`);
  for (let i = 0; i < history.length; i += 2) {
    const [old, cur] = [history[i], history[i + 1]];
    expect(old.is_current === false && cur.is_current === true, `${old.customer_id}: exactly the newer version is current`);
    expect(
      old.valid_to === DELTA_UPDATED_AT && cur.valid_from === DELTA_UPDATED_AT && cur.valid_to === null,
      `${old.customer_id}: versions must chain at ${DELTA_UPDATED_AT}`,
    );
  }
  console.log(
    `incremental build verified: ${delta.cancelledOrders.length} cancelled, ${delta.shortenedOrders.length} shortened, 1 new order; ` +
      `${delta.changedCustomers.length} customers with a second SCD2 version`,
  );

  // Lineage of the build just made: every gold column must reach a source column, or be a listed build parameter.
  const lineage = generateLineage({
    duckdbPath: result.duckdbPath,
    outDir: path.join(REPO_ROOT, '.local', 'warehouse-test-lineage'),
    lakeDir: path.join(REPO_ROOT, '.local', 'warehouse-test-lake'),
  });
  const stale = Object.keys(BUILD_PARAMETER_COLUMNS).filter((c) => !lineage.trace.parameters.includes(c));
  if (lineage.trace.untraced.length > 0 || stale.length > 0) {
    throw new Error(
      `lineage: untraced gold columns:\n  ${[...lineage.trace.untraced, ...stale.map((c) => `${c} is listed as a build parameter but is not one`)].join('\n  ')}`,
    );
  }
  console.log(lineageSummary(lineage));
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
