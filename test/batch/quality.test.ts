import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { extractManifestKey, rawFolder } from '../../lambda/batch/extract';
import { FsLakeStore } from '../../lambda/shared/fs-lake-store';
import { NdjsonPartWriter, readParts } from '../../lambda/batch/ndjson-parts';
import {
  QualityGateFailed,
  qualityManifestKey,
  qualityMetrics,
  qualityReportKey,
  runQualityGate,
  type QualityThresholds,
} from '../../lambda/batch/quality';
import type { StageManifest } from '../../lambda/contracts/stage-manifest';
import { RowValidator } from '../../lambda/batch/row-schemas';
import type { OltpTableName } from '../../lambda/contracts/table-specs';

const W = { start: '2026-06-01T10:00:00.000Z', end: '2026-06-01T11:00:00.000Z' };
const THRESHOLDS: QualityThresholds = {
  completeness: 0.95,
  uniqueness: 0.99,
  validity: 0.9,
  referentialIntegrity: 0.95,
  minRowsPerWindow: 0,
  maxRowsPerWindow: 1_000,
};
const CURRENCIES = ['USD', 'EUR'];

const order = (i: number, extra: Record<string, unknown> = {}) => ({
  order_id: `O${String(i).padStart(10, '0')}`,
  customer_id: 'C00000001',
  order_ts: '2026-06-01T10:00:00.000000Z',
  status: 'paid',
  currency: 'EUR',
  updated_at: '2026-06-01T10:05:00.000000Z',
  ...extra,
});

let store: FsLakeStore;
let lakeDir: string;

async function landExtract(table: OltpTableName, rows: unknown[]) {
  const writer = new NdjsonPartWriter(store, 'raw', rawFolder(table, W), table, 3);
  for (const r of rows) await writer.write(r);
  const parts = await writer.close();
  const files = parts.map((p) => ({ zone: 'raw', ...p }));
  await store.put(
    'raw',
    extractManifestKey(table, W),
    JSON.stringify({ stage: 'extract', entity: table, table, window: W, range: { from: W.start, to: W.end }, rows: rows.length, files }),
  );
}

async function records(zone: 'staging' | 'quarantine', keys: readonly string[]) {
  const out: Record<string, unknown>[] = [];
  for await (const r of readParts(store, zone, keys)) out.push(r as Record<string, unknown>);
  return out;
}

beforeEach(() => {
  lakeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quality-'));
  store = new FsLakeStore(lakeDir);
});

describe('row schemas from the table specs', () => {
  const orders = new RowValidator('orders', { currencies: CURRENCIES });
  const items = new RowValidator('order_items', { currencies: CURRENCIES });
  const customers = new RowValidator('customers', { currencies: CURRENCIES });

  test.each([
    ['valid', order(1), undefined, []],
    ['null required', order(1, { customer_id: null }), 'missing_required', ['customer_id']],
    ['blank required', order(1, { status: '  ' }), 'missing_required', ['status']],
    ['timestamp without Z', order(1, { order_ts: '2026-06-01 10:00:00' }), 'invalid_type', ['order_ts']],
    ['currency of 4 chars (also outside the set)', order(1, { currency: 'EURO' }), 'invalid_type', ['currency', 'currency']],
    ['unknown column', { ...order(1), coupon: 'X' }, 'invalid_type', ['']],
    ['unknown status', order(1, { status: 'lost' }), 'invalid_value', ['status']],
    ['currency outside the configured set', order(1, { currency: 'JPY' }), 'invalid_value', ['currency']],
    ['order id format', order(1, { order_id: 'O12' }), 'invalid_value', ['order_id']],
    ['before the business range', order(1, { order_ts: '2019-12-31T23:59:59.000000Z' }), 'invalid_value', ['order_ts']],
    ['orphan customer', { ...order(1), _missing_refs: ['customers'] }, 'orphan_reference', ['customers']],
    ['missing beats orphan', { ...order(1, { status: null }), _missing_refs: ['customers'] }, 'missing_required', ['status', 'customers']],
  ])('orders: %s', (_label, row, reason, paths) => {
    const v = orders.validate(row);
    if (reason === undefined) {
      expect(v).toEqual({ ok: true });
      return;
    }
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.reason).toBe(reason);
      expect(v.issues.map((i) => i.path)).toEqual(paths);
    }
  });

  test('decimals must fit DECIMAL(12,2) exactly and money is non-negative; quantity ≥ 1', () => {
    const item = {
      order_id: 'O0000000001',
      line_no: 1,
      product_id: 'P000001',
      quantity: 1,
      unit_price: '9.99',
      updated_at: '2026-06-01T10:00:00Z',
    };
    expect(items.validate(item)).toEqual({ ok: true });
    expect(items.validate({ ...item, unit_price: '9.999' })).toMatchObject({ ok: false, reason: 'invalid_type' });
    expect(items.validate({ ...item, unit_price: '12345678901.00' })).toMatchObject({ ok: false, reason: 'invalid_type' });
    expect(items.validate({ ...item, unit_price: 9.99 })).toMatchObject({ ok: false, reason: 'invalid_type' });
    expect(items.validate({ ...item, unit_price: '-1.00' })).toMatchObject({ ok: false, reason: 'invalid_value' });
    expect(items.validate({ ...item, quantity: 0 })).toMatchObject({ ok: false, reason: 'invalid_value' });
    expect(items.validate({ ...item, line_no: 1.5 })).toMatchObject({ ok: false, reason: 'invalid_type' });
  });

  test('customers: empty segment allowed, unknown segment and login before registration are not; email is cleaned downstream', () => {
    const c = {
      customer_id: 'C00000001',
      email: '  Ada@Example.COM ',
      first_name: null,
      last_name: null,
      registration_date: '2025-02-28',
      last_login_date: '2025-03-01',
      customer_segment: '',
      updated_at: '2026-06-01T10:00:00Z',
    };
    expect(customers.validate(c)).toEqual({ ok: true });
    expect(customers.validate({ ...c, customer_segment: 'gold' })).toMatchObject({ ok: false, reason: 'invalid_value' });
    expect(customers.validate({ ...c, last_login_date: '2025-02-27' })).toMatchObject({
      ok: false,
      reason: 'invalid_value',
      issues: [{ path: 'last_login_date' }],
    });
    expect(customers.validate({ ...c, registration_date: '2025-02-30' })).toMatchObject({ ok: false, reason: 'invalid_type' });
  });
});

describe('the quality gate', () => {
  test('routes every row exactly once, quarantines with reasons, writes the report, and passes above thresholds', async () => {
    const rows = [
      ...Array.from({ length: 95 }, (_, i) => order(i + 1)),
      order(96, { status: 'lost' }),
      order(97, { currency: null }),
      { ...order(98), _missing_refs: ['customers'] },
      order(99, { order_ts: 'yesterday' }),
      order(100, { status: 'lost' }),
    ];
    await landExtract('orders', rows);
    const report = await runQualityGate(store, {
      table: 'orders',
      window: W,
      thresholds: THRESHOLDS,
      currencies: CURRENCIES,
      partRows: 40,
    });
    expect(report.rows).toEqual({ extracted: 100, staged: 95, quarantined: 5 });
    expect(report.quarantinedByReason).toEqual({ invalid_value: 2, missing_required: 1, orphan_reference: 1, invalid_type: 1 });
    expect(report.expectations.map((e) => [e.name, e.observed, e.passed])).toEqual([
      ['completeness', 0.99, true],
      ['uniqueness', 1, true],
      ['validity', 0.97, true],
      ['referential_integrity', 0.99, true],
      ['row_count', 100, true],
    ]);
    expect(report.passed).toBe(true);
    expect(report.score).toBeCloseTo((100 * (0.99 + 1 + 0.97 + 0.99)) / 4, 6);
    expect(report.columnCompleteness.currency).toBe(0.99);

    expect(report.outputs.staging).toEqual([
      'oltp/orders/dt=2026-06-01/hr=10/orders-00000.ndjson.gz',
      'oltp/orders/dt=2026-06-01/hr=10/orders-00001.ndjson.gz',
      'oltp/orders/dt=2026-06-01/hr=10/orders-00002.ndjson.gz',
    ]);
    const staged = await records('staging', report.outputs.staging);
    expect(staged.map((r) => r.order_id)).toEqual(rows.slice(0, 95).map((r) => r.order_id));
    const quarantined = await records('quarantine', report.outputs.quarantine);
    expect(quarantined).toHaveLength(5);
    expect(report.outputs.quarantine).toContain('oltp/orders/reason=invalid_value/dt=2026-06-01/hr=10/orders-00000.ndjson.gz');
    const lost = quarantined.find((q) => (q.row as { order_id: string }).order_id === 'O0000000096')!;
    expect(lost).toMatchObject({ reason: 'invalid_value', table: 'orders', issues: [{ path: 'status', code: 'custom' }] });

    const onDisk = JSON.parse(fs.readFileSync(path.join(lakeDir, 'staging', qualityReportKey('orders', W)), 'utf8'));
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(report)));
    expect(qualityMetrics(report)).toMatchObject({
      dimensions: { Dataset: 'orders' },
      values: { QualityScore: report.score, RowsQuarantined: 5 },
    });
  });

  test('fails below a threshold and names the failed expectations', async () => {
    await landExtract('orders', [
      ...Array.from({ length: 8 }, (_, i) => order(i + 1)),
      order(9, { status: 'x' }),
      order(10, { status: 'y' }),
    ]);
    const report = await runQualityGate(store, { table: 'orders', window: W, thresholds: THRESHOLDS, currencies: CURRENCIES });
    expect(report.passed).toBe(false);
    expect(report.expectations.filter((e) => !e.passed).map((e) => e.name)).toEqual(['validity']);
    const err = new QualityGateFailed(report);
    expect(err.name).toBe('QualityGateFailed');
    expect(err.message).toBe(
      'quality gate failed for orders window 2026-06-01T10:00:00.000Z: validity 0.8 (min 0.9); report quality/orders/dt=2026-06-01/hr=10/report.json',
    );
  });

  test('duplicate keys lower uniqueness; row-count bounds apply; an empty window passes vacuously', async () => {
    await landExtract('orders', [order(1), order(1), order(2)]);
    const dup = await runQualityGate(store, {
      table: 'orders',
      window: W,
      thresholds: { ...THRESHOLDS, maxRowsPerWindow: 2 },
      currencies: CURRENCIES,
    });
    expect(dup.expectations.find((e) => e.name === 'uniqueness')).toMatchObject({ observed: 0.666667, passed: false });
    expect(dup.expectations.find((e) => e.name === 'row_count')).toMatchObject({ observed: 3, min: 0, max: 2, passed: false });
    expect(dup.rows).toEqual({ extracted: 3, staged: 3, quarantined: 0 });

    await landExtract('products', []);
    const empty = await runQualityGate(store, { table: 'products', window: W, thresholds: THRESHOLDS, currencies: CURRENCIES });
    expect(empty.passed).toBe(true);
    expect(empty.rows).toEqual({ extracted: 0, staged: 0, quarantined: 0 });
    const strict = await runQualityGate(store, {
      table: 'products',
      window: W,
      thresholds: { ...THRESHOLDS, minRowsPerWindow: 1 },
      currencies: CURRENCIES,
    });
    expect(strict.passed).toBe(false);
  });

  test('a rerun after the source was fixed leaves no stale quarantine behind', async () => {
    await landExtract('orders', [order(1), order(2, { status: 'x' })]);
    const first = await runQualityGate(store, {
      table: 'orders',
      window: W,
      thresholds: { ...THRESHOLDS, validity: 0 },
      currencies: CURRENCIES,
    });
    expect(first.outputs.quarantine).toHaveLength(1);
    await landExtract('orders', [order(1), order(2)]);
    const second = await runQualityGate(store, { table: 'orders', window: W, thresholds: THRESHOLDS, currencies: CURRENCIES });
    expect(second.outputs.quarantine).toEqual([]);
    expect(fs.existsSync(path.join(lakeDir, 'quarantine', first.outputs.quarantine[0]))).toBe(false);
    expect(await records('staging', second.outputs.staging)).toHaveLength(2);
  });

  test('the gate publishes its manifest last, listing exactly its parts and rows; a failed gate publishes none', async () => {
    await landExtract('orders', [order(1), order(2), order(3), order(4, { status: 'x' })]);
    const report = await runQualityGate(store, {
      table: 'orders',
      window: W,
      thresholds: { ...THRESHOLDS, validity: 0 },
      currencies: CURRENCIES,
      partRows: 2,
    });
    const manifest = JSON.parse((await store.get('staging', qualityManifestKey('orders', W)))!.toString('utf8')) as StageManifest;
    expect(manifest).toMatchObject({ stage: 'quality', entity: 'orders', window: W, rows: 3 });
    expect(manifest.files.map((f) => [f.zone, f.key, f.rows])).toEqual([
      ['staging', report.outputs.staging[0], 2],
      ['staging', report.outputs.staging[1], 1],
      ['quarantine', report.outputs.quarantine[0], 1],
    ]);
    const failed = await runQualityGate(store, {
      table: 'orders',
      window: W,
      thresholds: { ...THRESHOLDS, validity: 0.99 },
      currencies: CURRENCIES,
    });
    expect(failed.passed).toBe(false);
    expect(await store.get('staging', qualityManifestKey('orders', W))).toBeUndefined();
  });

  test('an attempt that crashes after its parts leaves no manifest; the next attempt deletes the parts it does not list', async () => {
    await landExtract('orders', [order(1), order(2), order(3)]);
    await runQualityGate(store, { table: 'orders', window: W, thresholds: THRESHOLDS, currencies: CURRENCIES, partRows: 1 });
    // the source shrinks, and the next attempt dies after writing its part, before its report and manifest
    await landExtract('orders', [order(1)]);
    const crashing = Object.create(store) as FsLakeStore;
    crashing.put = async (zone, key, body) => {
      if (key.endsWith('.json')) throw new Error('Lambda timed out');
      return store.put(zone, key, body);
    };
    await expect(
      runQualityGate(crashing, { table: 'orders', window: W, thresholds: THRESHOLDS, currencies: CURRENCIES, partRows: 1 }),
    ).rejects.toThrow('timed out');
    expect(await store.get('staging', qualityManifestKey('orders', W))).toBeUndefined();
    const folder = path.join(lakeDir, 'staging', 'oltp/orders/dt=2026-06-01/hr=10');
    expect(fs.readdirSync(folder).filter((f) => f.endsWith('.gz'))).toHaveLength(3);

    const report = await runQualityGate(store, { table: 'orders', window: W, thresholds: THRESHOLDS, currencies: CURRENCIES, partRows: 1 });
    expect(report.outputs.staging).toEqual(['oltp/orders/dt=2026-06-01/hr=10/orders-00000.ndjson.gz']);
    expect(fs.readdirSync(folder).sort()).toEqual(['orders-00000.ndjson.gz', 'orders.manifest.json']);
  });

  test('quarantine cascades within the window: children of a quarantined parent are quarantined, transitively', async () => {
    const customer = (i: number, extra: Record<string, unknown> = {}) => ({
      customer_id: `C${String(i).padStart(8, '0')}`,
      email: `c${i}@example.com`,
      first_name: null,
      last_name: null,
      registration_date: '2025-01-01',
      last_login_date: null,
      customer_segment: 'standard',
      updated_at: '2026-06-01T10:01:00.000000Z',
      ...extra,
    });
    const line = (orderNo: number, lineNo: number) => ({
      order_id: `O${String(orderNo).padStart(10, '0')}`,
      line_no: lineNo,
      product_id: 'P000001',
      quantity: 1,
      unit_price: '9.99',
      updated_at: '2026-06-01T10:05:00.000000Z',
    });
    // Customer 2 is invalid; order 3 is invalid itself; order 4 belongs to customer 3, who is not in this window.
    await landExtract('customers', [customer(1), customer(2, { customer_segment: 'gold' })]);
    await landExtract('orders', [
      order(1),
      order(2, { customer_id: 'C00000002' }),
      order(3, { status: 'lost' }),
      order(4, { customer_id: 'C00000003' }),
    ]);
    await landExtract('order_items', [line(1, 1), line(2, 1), line(2, 2), line(3, 1), line(4, 1)]);
    const gate = (table: OltpTableName) =>
      runQualityGate(store, { table, window: W, thresholds: { ...THRESHOLDS, referentialIntegrity: 0 }, currencies: CURRENCIES });

    const orders = await gate('orders');
    expect(orders.rows).toEqual({ extracted: 4, staged: 2, quarantined: 2 });
    expect(orders.quarantinedByReason).toEqual({ parent_quarantined: 1, invalid_value: 1 });
    expect(orders.samples.parent_quarantined).toEqual([
      { key: 'O0000000002', issues: [{ path: 'customer_id', message: 'customers row C00000002 is quarantined in this window' }] },
    ]);
    expect(orders.expectations.find((e) => e.name === 'referential_integrity')?.observed).toBe(0.75);
    expect(orders.expectations.find((e) => e.name === 'validity')?.observed).toBe(0.75);

    const items = await gate('order_items');
    expect(items.rows).toEqual({ extracted: 5, staged: 2, quarantined: 3 });
    expect(items.quarantinedByReason).toEqual({ parent_quarantined: 3 });
    const staged = await records('staging', items.outputs.staging);
    expect(staged.map((r) => r.order_id)).toEqual(['O0000000001', 'O0000000004']);
    const quarantined = await records('quarantine', items.outputs.quarantine);
    expect(quarantined.map((q) => [(q.row as { order_id: string }).order_id, q.reason])).toEqual([
      ['O0000000002', 'parent_quarantined'],
      ['O0000000002', 'parent_quarantined'],
      ['O0000000003', 'parent_quarantined'],
    ]);
    expect(items.outputs.quarantine).toEqual([
      'oltp/order_items/reason=parent_quarantined/dt=2026-06-01/hr=10/order_items-00000.ndjson.gz',
    ]);
  });

  test('a missing extract is an error, not an empty pass', async () => {
    await expect(runQualityGate(store, { table: 'customers', window: W, thresholds: THRESHOLDS, currencies: CURRENCIES })).rejects.toThrow(
      /no extract manifest for customers/,
    );
  });
});
