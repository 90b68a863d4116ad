import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FsLakeStore } from '../../lambda/shared/fs-lake-store';
import { conformSummaryKey, copyManifestKey, loadWindowTable } from '../../lambda/batch/warehouse-load';
import type { StatementRunner } from '../../lambda/contracts/warehouse-statements';
import { DuckDbRunner } from '../../scripts/local/batch/duckdb-runner';

const W = { start: '2026-06-01T10:00:00.000Z', end: '2026-06-01T11:00:00.000Z' };

describe('loading a window table into the local warehouse with the same load SQL', () => {
  let dir: string;
  let store: FsLakeStore;
  let runner: DuckDbRunner;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'load-'));
    store = new FsLakeStore(path.join(dir, 'lake'));
    runner = await DuckDbRunner.open(path.join(dir, 'wh.duckdb'));
    await runner.conn.run('CREATE SCHEMA bronze; CREATE SCHEMA stage;');
  });
  afterEach(async () => runner.close());

  async function stageProducts(rows: string) {
    const file = path.join(dir, 'lake', 'staging', 'conformed', 'products', 'part-0.parquet');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await runner.conn.run(
      `COPY (SELECT * FROM (VALUES ${rows}) t(product_id, name, category, price, cost, updated_at)) TO '${file}' (FORMAT PARQUET)`,
    );
    const manifest = { entries: [{ url: `file:${file}`, mandatory: true, meta: { content_length: fs.statSync(file).size } }] };
    await store.put('staging', copyManifestKey('products', W), JSON.stringify(manifest));
    return file;
  }

  /** One staged product and a conform summary listing it. */
  async function stageOneProduct() {
    await stageProducts(
      `('P000009', 'n', 'books', CAST('1.00' AS DECIMAL(12,2)), CAST('1.00' AS DECIMAL(12,2)), TIMESTAMP '2026-06-01 10:00:00')`,
    );
    await store.put(
      'staging',
      conformSummaryKey(W),
      JSON.stringify({ stage: 'conform', window: W, datasets: { products: { rows: 1, files: 1 } }, inputs: {} }),
    );
  }

  const deps = () => ({
    store,
    runner,
    sourceFor: (_k: string, m: { entries: readonly { url: string }[] }) => ({
      kind: 'local-parquet' as const,
      files: m.entries.map((e) => e.url.replace(/^file:/, '')),
    }),
    poll: { intervalMs: 1, maxPolls: 100 },
  });

  test('loads, is idempotent on rerun, skips an empty table, and fails with DuckDB error text when a file is missing', async () => {
    const row = (id: string, price: string, ts: string) =>
      `('${id}', 'n', 'books', CAST('${price}' AS DECIMAL(12,2)), CAST('1.00' AS DECIMAL(12,2)), TIMESTAMP '${ts}')`;
    const file = await stageProducts(
      [
        row('P000001', '10.10', '2026-06-01 10:00:00'),
        row('P000001', '11.10', '2026-06-01 10:30:00'),
        row('P000002', '0.30', '2026-06-01 10:00:00'),
      ].join(', '),
    );
    await store.put(
      'staging',
      conformSummaryKey(W),
      JSON.stringify({
        stage: 'conform',
        window: W,
        datasets: { products: { rows: 3, files: 1 }, customers: { rows: 0, files: 0 } },
        inputs: {},
      }),
    );

    const first = await loadWindowTable(deps(), 'products', W);
    expect(first).toMatchObject({ table: 'products', rowsLoaded: 3, skipped: false });
    const read = async () =>
      (
        await runner.conn.runAndReadAll('SELECT product_id, CAST(price AS VARCHAR) AS price FROM bronze.products ORDER BY 1')
      ).getRowObjectsJson();
    expect(await read()).toEqual([
      { product_id: 'P000001', price: '11.10' },
      { product_id: 'P000002', price: '0.30' },
    ]);
    await loadWindowTable(deps(), 'products', W);
    expect(await read()).toEqual([
      { product_id: 'P000001', price: '11.10' },
      { product_id: 'P000002', price: '0.30' },
    ]);
    expect(runner.submitted).toEqual(['load-products-20260601t1000', 'load-products-20260601t1000']);

    await expect(loadWindowTable(deps(), 'customers', W)).resolves.toMatchObject({ rowsLoaded: 0, skipped: true });

    fs.rmSync(file);
    const err = await loadWindowTable(deps(), 'products', W).catch((e) => e);
    expect(err.name).toBe('LoadFailed');
    expect(err.message).toMatch(/load load-products-20260601t1000 failed in the warehouse: .*part-0\.parquet/);
    expect(await read()).toHaveLength(2);
  });

  test('a statement cancelled before it runs ends ABORTED and changes nothing', async () => {
    await stageOneProduct();
    runner.onSubmit = (id) => void runner.cancel(id);
    await expect(loadWindowTable(deps(), 'products', W)).rejects.toMatchObject({ name: 'LoadAborted' });
    const exists = (
      await runner.conn.runAndReadAll(`SELECT count(*)::INT AS n FROM information_schema.tables WHERE table_schema = 'bronze'`)
    ).getRowObjectsJson();
    expect(exists).toEqual([{ n: 0 }]);
  });

  test.each([
    ['FAILED', 'LoadFailed', 'load load-products-20260601t1000 failed in the warehouse: Check stl_load_errors (statement s-1)'],
    ['ABORTED', 'LoadAborted', 'load load-products-20260601t1000 was aborted: Check stl_load_errors (statement s-1)'],
    ['STARTED', 'LoadTimedOut', 'load load-products-20260601t1000 still running after 100 polls of 1 ms; cancelled (statement s-1)'],
  ] as const)('a statement ending %s is a %s for the state machine', async (status, name, message) => {
    await stageOneProduct();
    const scripted: StatementRunner = {
      submit: async () => 's-1',
      describe: async () => ({ status, error: 'Check stl_load_errors' }),
      cancel: async () => undefined,
    };
    const err = await loadWindowTable({ ...deps(), runner: scripted }, 'products', W).catch((e: Error) => e);
    expect(err).toMatchObject({ name, message });
  });

  test('a missing conform summary is an error naming the window', async () => {
    await expect(loadWindowTable(deps(), 'orders', W)).rejects.toThrow(/no conform summary for window 2026-06-01T10:00:00.000Z/);
  });
});
