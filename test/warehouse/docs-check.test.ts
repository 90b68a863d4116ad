import { buildInfoProblems, goldModelDocs, missingGoldComments } from '../../scripts/local/warehouse/docs-check';
import { memoryDb, rows } from './duckdb-helpers';

/** The analyst-facing checks of `make warehouse-test`, fed tables with and without their documentation. */
describe('gold documentation and build info checks', () => {
  const models = [
    { name: 'orders_x', description: 'One row per order.', columns: [{ name: 'order_id', description: 'Order identifier.' }] },
  ];

  async function db(tableComment: string | null, columnComment: string | null) {
    const conn = await memoryDb();
    await conn.run('CREATE SCHEMA gold');
    await conn.run('CREATE TABLE gold.orders_x (order_id VARCHAR)');
    if (tableComment !== null) await conn.run(`COMMENT ON TABLE gold.orders_x IS '${tableComment}'`);
    if (columnComment !== null) await conn.run(`COMMENT ON COLUMN gold.orders_x.order_id IS '${columnComment}'`);
    return (sql: string) => rows(conn, sql);
  }

  test('documented table and column pass', async () => {
    expect(await missingGoldComments(await db('One row per order.', 'Order identifier.'), models)).toEqual([]);
  });

  test('a table or column without its description is reported by name', async () => {
    expect(await missingGoldComments(await db(null, 'Order identifier.'), models)).toEqual([
      'gold.orders_x: table comment is not its description',
    ]);
    expect(await missingGoldComments(await db('One row per order.', 'stale text'), models)).toEqual([
      'gold.orders_x.order_id: column comment is not its description',
    ]);
  });

  test('build_info: one row for the as_of_date with freshness set, else named problems', async () => {
    const conn = await memoryDb();
    await conn.run('CREATE SCHEMA gold');
    await conn.run(
      'CREATE TABLE gold.build_info (built_at TIMESTAMP, as_of_date DATE, orders_updated_through TIMESTAMP, events_arrived_through TIMESTAMP)',
    );
    const select = (sql: string) => rows(conn, sql);
    expect(await buildInfoProblems(select, '2026-06-30')).toEqual(['gold.build_info should have 1 row (has 0)']);
    await conn.run(
      "INSERT INTO gold.build_info VALUES (TIMESTAMP '2026-06-30 10:00:00', DATE '2026-06-29', NULL, TIMESTAMP '2026-06-30 09:59:00')",
    );
    expect(await buildInfoProblems(select, '2026-06-30')).toEqual([
      'gold.build_info.as_of_date is 2026-06-29, expected 2026-06-30',
      'gold.build_info.orders_updated_through is NULL',
    ]);
  });

  test('every gold model in the project has a description to persist', () => {
    const docs = goldModelDocs();
    expect(docs.map((m) => m.name)).toContain('build_info');
    for (const m of docs) expect({ model: m.name, described: m.description.length > 10 }).toEqual({ model: m.name, described: true });
  });
});
