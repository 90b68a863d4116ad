import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { TABLE_SPECS, type TableSpec } from '../../lambda/contracts/table-specs';
import { buildLoadBatch } from '../../lambda/warehouse/load-sql';
import { columnDefinition } from '../../lambda/contracts/sql-types';
import { inTransaction, memoryDb, rows } from './duckdb-helpers';

/**
 * Runs the generated merge on a real engine (DuckDB), fed from Parquet files like COPY: duplicates within a load,
 * late (older) updates, the same-version tie-break, order lines replaced with their order, and repeated loads.
 */

type Row = Record<string, string | number | null>;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'load-semantics-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let fileNo = 0;
async function parquet(conn: DuckDBConnection, spec: TableSpec, data: readonly Row[], folder = ''): Promise<string> {
  fs.mkdirSync(path.join(tmp, folder), { recursive: true });
  const file = path.join(tmp, folder, `part-${++fileNo}.parquet`);
  const lit = (v: string | number | null) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v}'`);
  await conn.run(`CREATE TEMP TABLE pq (${spec.columns.map(columnDefinition).join(', ')})`);
  await conn.run(`INSERT INTO pq VALUES ${data.map((r) => `(${spec.columns.map((c) => lit(r[c.name] ?? null)).join(', ')})`).join(', ')}`);
  await conn.run(`COPY pq TO '${file}' (FORMAT parquet)`);
  await conn.run('DROP TABLE pq');
  return file;
}

async function load(conn: DuckDBConnection, spec: TableSpec, loadId: string, ...files: string[]): Promise<void> {
  await inTransaction(conn, buildLoadBatch({ spec, loadId, source: { kind: 'local-parquet', files } }).statements);
}

async function freshDb(): Promise<DuckDBConnection> {
  const conn = await memoryDb();
  for (const s of ['bronze', 'stage']) await conn.run(`CREATE SCHEMA ${s}`);
  return conn;
}

const customer = (id: string, email: string, updated: string, segment: string | null = 'standard'): Row => ({
  customer_id: id,
  email,
  first_name: 'Ada',
  last_name: 'L',
  registration_date: '2025-01-01',
  last_login_date: null,
  customer_segment: segment,
  updated_at: updated,
});
const bronzeCustomers = (conn: DuckDBConnection) =>
  rows(conn, 'SELECT customer_id, email, customer_segment, CAST(updated_at AS VARCHAR) AS updated_at FROM bronze.customers ORDER BY 1');

describe('bronze merge on DuckDB', () => {
  test("files in the lake's dt=/hr= folders load their own columns only (no partition columns, like COPY)", async () => {
    const conn = await freshDb();
    const spec = TABLE_SPECS.customers;
    const file = await parquet(conn, spec, [customer('C00000001', 'a@x.io', '2026-06-30 10:00:00')], 'oltp/customers/dt=2026-06-30/hr=10');
    await load(conn, spec, 'hive', file);
    expect(await bronzeCustomers(conn)).toEqual([
      { customer_id: 'C00000001', email: 'a@x.io', customer_segment: 'standard', updated_at: '2026-06-30 10:00:00' },
    ]);
  });

  test('duplicates within a load keep the latest version; ties break deterministically, whatever the row order', async () => {
    const data = [
      customer('C00000001', 'old@x.io', '2026-06-30 10:00:00'),
      customer('C00000001', 'new@x.io', '2026-06-30 12:00:00'),
      customer('C00000002', 'tie-a@x.io', '2026-06-30 09:00:00'),
      customer('C00000002', 'tie-b@x.io', '2026-06-30 09:00:00'),
      customer('C00000003', 'same@x.io', '2026-06-30 08:00:00'),
      customer('C00000003', 'same@x.io', '2026-06-30 08:00:00'),
    ];
    const a = await freshDb();
    await load(a, TABLE_SPECS.customers, 'l1', await parquet(a, TABLE_SPECS.customers, data));
    const b = await freshDb();
    await load(b, TABLE_SPECS.customers, 'l1', await parquet(b, TABLE_SPECS.customers, [...data].reverse()));

    const result = await bronzeCustomers(a);
    expect(result).toEqual(await bronzeCustomers(b));
    expect(result.map((r) => r.customer_id)).toEqual(['C00000001', 'C00000002', 'C00000003']);
    expect(result[0]).toMatchObject({ email: 'new@x.io', updated_at: '2026-06-30 12:00:00' });
    expect(['tie-a@x.io', 'tie-b@x.io']).toContain(result[1].email);
  });

  test('a late older version is ignored, a newer one replaces, and repeating a load changes nothing', async () => {
    const conn = await freshDb();
    const spec = TABLE_SPECS.customers;
    await load(
      conn,
      spec,
      'h1',
      await parquet(conn, spec, [customer('C1', 'v2@x.io', '2026-06-30 12:00:00'), customer('C2', 'a@x.io', '2026-06-30 12:00:00')]),
    );
    const second = await parquet(conn, spec, [
      customer('C1', 'v1-late@x.io', '2026-06-30 11:00:00'), // older than bronze: ignored
      customer('C2', 'b@x.io', '2026-06-30 13:00:00', ''), // newer: replaces
      customer('C3', 'c@x.io', '2026-06-30 13:00:00'), // new key: inserted
    ]);
    await load(conn, spec, 'h2', second);
    const after = await bronzeCustomers(conn);
    expect(after).toEqual([
      { customer_id: 'C1', email: 'v2@x.io', customer_segment: 'standard', updated_at: '2026-06-30 12:00:00' },
      { customer_id: 'C2', email: 'b@x.io', customer_segment: '', updated_at: '2026-06-30 13:00:00' },
      { customer_id: 'C3', email: 'c@x.io', customer_segment: 'standard', updated_at: '2026-06-30 13:00:00' },
    ]);

    await load(conn, spec, 'h2', second); // the same load again (same stage names: the first run dropped them)
    await load(conn, spec, 'h2b', second);
    expect(await bronzeCustomers(conn)).toEqual(after);
    expect(await rows(conn, "SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_schema = 'stage'")).toEqual([
      { n: 0 },
    ]);
  });

  test('order lines are replaced with their order: dropped lines disappear, an older order version never comes back', async () => {
    const conn = await freshDb();
    const spec = TABLE_SPECS.order_items;
    const line = (n: number, qty: number, updated: string): Row => ({
      order_id: 'O0000000001',
      line_no: n,
      product_id: 'P000001',
      quantity: qty,
      unit_price: 9.99,
      updated_at: updated,
    });
    const v1 = await parquet(conn, spec, [
      line(1, 1, '2026-06-30 10:00:00'),
      line(2, 1, '2026-06-30 10:00:00'),
      line(3, 1, '2026-06-30 10:00:00'),
    ]);
    const v2 = await parquet(conn, spec, [line(1, 5, '2026-06-30 11:00:00'), line(2, 1, '2026-06-30 11:00:00')]);
    await load(conn, spec, 'a', v1);
    await load(conn, spec, 'b', v2);
    const lines = () =>
      rows(conn, 'SELECT line_no, quantity, CAST(unit_price AS VARCHAR) AS unit_price FROM bronze.order_items ORDER BY 1');
    const expected = [
      { line_no: 1, quantity: 5, unit_price: '9.99' },
      { line_no: 2, quantity: 1, unit_price: '9.99' },
    ];
    expect(await lines()).toEqual(expected);
    await load(conn, spec, 'c', v1); // the old version replayed late
    await load(conn, spec, 'd', v1, v2); // both versions in one load
    await load(conn, spec, 'e', v2);
    expect(await lines()).toEqual(expected);
  });

  test('a failing statement rolls the whole load back (no partial merge, no stage left)', async () => {
    const conn = await freshDb();
    const spec = TABLE_SPECS.customers;
    await load(conn, spec, 'ok', await parquet(conn, spec, [customer('C1', 'a@x.io', '2026-06-30 12:00:00')]));
    const missing = path.join(tmp, 'missing.parquet');
    await expect(load(conn, spec, 'bad', missing)).rejects.toThrow();
    expect((await bronzeCustomers(conn)).map((r) => r.email)).toEqual(['a@x.io']);
    expect(await rows(conn, "SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_schema = 'stage'")).toEqual([
      { n: 0 },
    ]);
  });
});
