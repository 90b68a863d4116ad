import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { extractManifestKey, extractSql, extractTable } from '../../lambda/batch/extract';
import { FsLakeStore } from '../../lambda/shared/fs-lake-store';
import { readParts } from '../../lambda/batch/ndjson-parts';
import { TABLE_SPECS } from '../../lambda/contracts/table-specs';
import { createOltpSchema, insertRows, type SourceRow } from '../../scripts/local/batch/oltp';
import { freshDatabase } from '../../scripts/local/batch/postgres';

const W = { start: '2026-06-01T10:00:00.000Z', end: '2026-06-01T11:00:00.000Z' };
let url: string;
let client: Client;
let lakeDir: string;
let store: FsLakeStore;

const customer = (id: string, updatedAt: string, extra: Partial<SourceRow> = {}): SourceRow => ({
  customer_id: id,
  email: `${id.toLowerCase()}@example.com`,
  first_name: 'Ada',
  last_name: 'Ng',
  registration_date: '2025-01-02',
  last_login_date: null,
  customer_segment: 'basic',
  updated_at: updatedAt,
  ...extra,
});

async function extracted(table: 'customers' | 'orders' | 'order_items' | 'products', overlapMinutes = 10) {
  const manifest = await extractTable(client, store, { table, window: W, overlapMinutes, partRows: 2 });
  const rows: Record<string, unknown>[] = [];
  for await (const r of readParts(
    store,
    'raw',
    manifest.files.map((p) => p.key),
  ))
    rows.push(r as Record<string, unknown>);
  return { manifest, rows };
}

beforeAll(async () => {
  url = await freshDatabase('batch_extract_test');
  client = new Client({ connectionString: url });
  await client.connect();
});

beforeEach(async () => {
  await createOltpSchema(client);
  lakeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'extract-'));
  store = new FsLakeStore(lakeDir);
});

afterAll(async () => {
  await client.end();
});

test('window edges: [start − overlap, end) is read, both bounds to the microsecond', async () => {
  await insertRows(client, 'customers', [
    customer('C00000001', '2026-06-01 09:49:59.999999'), // before the overlap
    customer('C00000002', '2026-06-01 09:50:00'), // first instant of the overlap
    customer('C00000003', '2026-06-01 10:00:00'), // window start
    customer('C00000004', '2026-06-01 10:59:59.999999'), // last instant
    customer('C00000005', '2026-06-01 11:00:00'), // window end: next window's
  ]);
  const { manifest, rows } = await extracted('customers');
  expect(rows.map((r) => r.customer_id)).toEqual(['C00000002', 'C00000003', 'C00000004']);
  expect(manifest.range).toEqual({ from: '2026-06-01T09:50:00.000Z', to: W.end });
  expect(manifest.rows).toBe(3);

  const noOverlap = await extracted('customers', 0);
  expect(noOverlap.rows.map((r) => r.customer_id)).toEqual(['C00000003', 'C00000004']);
});

test('values are exact text: decimals, ISO-8601 UTC timestamps with microseconds, dates, nulls', async () => {
  await insertRows(client, 'customers', [customer('C00000001', '2026-06-01 10:15:30.123456', { customer_segment: null })]);
  await insertRows(client, 'products', [
    { product_id: 'P000001', name: 'Kettle', category: 'home', price: '1234567890.10', cost: '0.05', updated_at: '2026-06-01 10:00:00' },
  ]);
  const { rows } = await extracted('customers');
  expect(rows[0]).toEqual({
    customer_id: 'C00000001',
    email: 'c00000001@example.com',
    first_name: 'Ada',
    last_name: 'Ng',
    registration_date: '2025-01-02',
    last_login_date: null,
    customer_segment: null,
    updated_at: '2026-06-01T10:15:30.123456Z',
  });
  const products = await extracted('products');
  expect(products.rows[0]).toMatchObject({ price: '1234567890.10', cost: '0.05', updated_at: '2026-06-01T10:00:00.000000Z' });
});

test('order lines take their version from the parent order; missing references are flagged from the source', async () => {
  await insertRows(client, 'customers', [customer('C00000001', '2026-01-01 00:00:00')]);
  await insertRows(client, 'products', [
    { product_id: 'P000001', name: 'Kettle', category: 'home', price: '10.00', cost: '5.00', updated_at: '2026-01-01 00:00:00' },
  ]);
  await insertRows(client, 'orders', [
    // an old order changed inside the window: a late update, extracted with its lines
    {
      order_id: 'O0000000001',
      customer_id: 'C00000001',
      order_ts: '2025-03-01 08:00:00',
      status: 'returned',
      currency: 'EUR',
      updated_at: '2026-06-01 10:30:00',
    },
    {
      order_id: 'O0000000002',
      customer_id: 'C99999999',
      order_ts: '2026-06-01 10:01:00',
      status: 'paid',
      currency: 'EUR',
      updated_at: '2026-06-01 10:01:00',
    },
    {
      order_id: 'O0000000003',
      customer_id: 'C00000001',
      order_ts: '2026-05-01 10:01:00',
      status: 'paid',
      currency: 'EUR',
      updated_at: '2026-05-01 10:01:00',
    },
  ]);
  await insertRows(client, 'order_items', [
    { order_id: 'O0000000001', line_no: '1', product_id: 'P000001', quantity: '2', unit_price: '9.99' },
    { order_id: 'O0000000001', line_no: '2', product_id: 'P000404', quantity: '1', unit_price: '1.00' },
    { order_id: 'O0000000003', line_no: '1', product_id: 'P000001', quantity: '1', unit_price: '10.00' },
  ]);
  const orders = await extracted('orders');
  expect(orders.rows.map((r) => [r.order_id, r._missing_refs])).toEqual([
    ['O0000000002', ['customers']],
    ['O0000000001', undefined],
  ]);
  const items = await extracted('order_items');
  expect(items.rows).toEqual([
    {
      order_id: 'O0000000001',
      line_no: 1,
      product_id: 'P000001',
      quantity: 2,
      unit_price: '9.99',
      updated_at: '2026-06-01T10:30:00.000000Z',
    },
    {
      order_id: 'O0000000001',
      line_no: 2,
      product_id: 'P000404',
      quantity: 1,
      unit_price: '1.00',
      updated_at: '2026-06-01T10:30:00.000000Z',
      _missing_refs: ['products'],
    },
  ]);
  expect(extractSql(TABLE_SPECS.order_items)).toContain('JOIN orders p ON p.order_id = t.order_id');
});

test('a late commit inside the overlap is picked up by the next window', async () => {
  const previous = { start: '2026-06-01T09:00:00.000Z', end: W.start };
  await insertRows(client, 'customers', [customer('C00000001', '2026-06-01 09:20:00')]);
  const first = await extractTable(client, store, { table: 'customers', window: previous, overlapMinutes: 10 });
  expect(first.rows).toBe(1);
  // committed after the 09:00 window ran, stamped 09:58 by the application
  await insertRows(client, 'customers', [customer('C00000002', '2026-06-01 09:58:00')]);
  const { rows } = await extracted('customers');
  expect(rows.map((r) => r.customer_id)).toEqual(['C00000002']);
});

test('rerunning a window rewrites the same keys and bytes and removes parts the rerun no longer produces', async () => {
  const rows = Array.from({ length: 5 }, (_, i) => customer(`C0000000${i + 1}`, `2026-06-01 10:0${i}:00`));
  await insertRows(client, 'customers', rows);
  const first = await extracted('customers');
  expect(first.manifest.files.map((p) => path.basename(p.key))).toEqual([
    'customers-00000.ndjson.gz',
    'customers-00001.ndjson.gz',
    'customers-00002.ndjson.gz',
  ]);
  expect(first.manifest.files[0].key).toBe('oltp/customers/dt=2026-06-01/hr=10/customers-00000.ndjson.gz');
  const bytes = first.manifest.files.map((p) => fs.readFileSync(path.join(lakeDir, 'raw', p.key)));
  const again = await extracted('customers');
  expect(again.manifest).toEqual(first.manifest);
  expect(again.manifest.files.map((p) => fs.readFileSync(path.join(lakeDir, 'raw', p.key)))).toEqual(bytes);

  await client.query(`DELETE FROM customers WHERE customer_id IN ('C00000004', 'C00000005')`);
  const shrunk = await extracted('customers');
  expect(shrunk.rows).toHaveLength(3);
  const onDisk = fs.readdirSync(path.join(lakeDir, 'raw', 'oltp/customers/dt=2026-06-01/hr=10')).sort();
  expect(onDisk).toEqual(['customers-00000.ndjson.gz', 'customers-00001.ndjson.gz', 'customers.manifest.json']);
  expect(JSON.parse(fs.readFileSync(path.join(lakeDir, 'raw', extractManifestKey('customers', W)), 'utf8')).rows).toBe(3);
});

test('an attempt that dies before its manifest leaves none behind, and the next attempt deletes the parts it does not list', async () => {
  await insertRows(client, 'customers', [customer('C00000001', '2026-06-01 10:01:00')]);
  await extracted('customers');
  const folder = path.join(lakeDir, 'raw', 'oltp/customers/dt=2026-06-01/hr=10');
  // what a crashed attempt leaves: a part no manifest lists, and (the attempt deleted it first) no manifest
  fs.writeFileSync(path.join(folder, 'customers-00007.ndjson.gz'), 'leftover');
  const crashing = Object.create(store) as FsLakeStore;
  crashing.put = async (zone, key, body) => {
    if (key.endsWith('.json')) throw new Error('Lambda timed out');
    return store.put(zone, key, body);
  };
  await expect(extractTable(client, crashing, { table: 'customers', window: W, overlapMinutes: 10 })).rejects.toThrow('timed out');
  expect(fs.existsSync(path.join(lakeDir, 'raw', extractManifestKey('customers', W)))).toBe(false);
  await extracted('customers');
  expect(fs.readdirSync(folder).sort()).toEqual(['customers-00000.ndjson.gz', 'customers.manifest.json']);
});

test('a table larger than the heap allows is streamed: 600k rows under a 96 MB heap cap', async () => {
  await client.query(`
    INSERT INTO customers
    SELECT 'C' || lpad(g::text, 8, '0'), 'customer.number.' || g || '@example.com', 'Firstname' || g, 'Lastname' || g,
           DATE '2024-01-01' + (g % 500), DATE '2025-01-01' + (g % 300), 'standard',
           TIMESTAMP '2026-06-01 10:00:00' + (g % 3600) * INTERVAL '1 second'
    FROM generate_series(1, 600000) g`);
  // The whole table as JSON text alone is > 120 MB; the child's V8 heap may not exceed 96 MB.
  const out = execFileSync(
    process.execPath,
    [
      '--max-old-space-size=96',
      '--require',
      'ts-node/register/transpile-only',
      path.join(__dirname, 'fixtures', 'extract-child.ts'),
      url,
      lakeDir,
    ],
    { cwd: path.resolve(__dirname, '..', '..'), encoding: 'utf8', env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' } },
  );
  const result = JSON.parse(out.trim().split('\n').pop()!);
  expect(result.rows).toBe(600_000);
  expect(result.parts).toBeGreaterThanOrEqual(12);
  const rawBytes = result.parts_bytes as number;
  expect(rawBytes).toBeGreaterThan(1_000_000);
  expect(result.peak_heap_mb).toBeLessThan(96);
});
