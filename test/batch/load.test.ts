import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { FsLakeStore } from '../../lambda/shared/fs-lake-store';
import { LoadAborted, LoadFailed, LoadTimedOut, runLoad, type StatementDescription, type StatementRunner } from '../../lambda/batch/load';
import { conformSummaryKey, copyManifestKey, loadWindowTable } from '../../lambda/batch/loader';
import { RedshiftDataRunner } from '../../lambda/batch/redshift-data-runner';
import { DuckDbRunner } from '../../scripts/local/batch/duckdb-runner';

const W = { start: '2026-06-01T10:00:00.000Z', end: '2026-06-01T11:00:00.000Z' };
const noSleep = async () => undefined;

/** A runner whose describe() walks through a scripted list of states. */
function scripted(states: StatementDescription[]): StatementRunner & { cancelled: string[]; calls: number } {
  const r = {
    cancelled: [] as string[],
    calls: 0,
    submit: async () => 'stmt-1',
    describe: async () => states[Math.min(r.calls++, states.length - 1)],
    cancel: async (id: string) => {
      r.cancelled.push(id);
    },
  };
  return r;
}

describe('the bounded poll loop', () => {
  test('keeps polling while SUBMITTED/PICKED/STARTED and returns the COPY row count on FINISHED', async () => {
    const r = scripted([{ status: 'SUBMITTED' }, { status: 'PICKED' }, { status: 'STARTED' }, { status: 'FINISHED', rowsPerStatement: [0, 0, 42, 40] }]);
    await expect(runLoad(r, ['a'], 'load-x', 2, { sleep: noSleep })).resolves.toEqual({ statementId: 'stmt-1', rowsCopied: 42, polls: 4 });
  });

  test('FAILED fails with the warehouse error text, ABORTED fails as aborted', async () => {
    const failed = scripted([{ status: 'STARTED' }, { status: 'FAILED', error: 'Spectrum Scan Error: S3 file not found' }]);
    const err = await runLoad(failed, ['a'], 'load-orders', 0, { sleep: noSleep }).catch((e) => e);
    expect(err).toBeInstanceOf(LoadFailed);
    expect(err.name).toBe('LoadFailed');
    expect(err.message).toBe('load load-orders failed in the warehouse: Spectrum Scan Error: S3 file not found (statement stmt-1)');
    const aborted = scripted([{ status: 'ABORTED', error: 'cancelled' }]);
    await expect(runLoad(aborted, ['a'], 'load-orders', 0, { sleep: noSleep })).rejects.toThrow(LoadAborted);
  });

  test('gives up after maxPolls, cancelling the statement', async () => {
    const r = scripted([{ status: 'STARTED' }]);
    const sleeps: number[] = [];
    const err = await runLoad(r, ['a'], 'load-x', 0, { maxPolls: 3, intervalMs: 250, sleep: async (ms) => void sleeps.push(ms) }).catch((e) => e);
    expect(err).toBeInstanceOf(LoadTimedOut);
    expect(r.calls).toBe(3);
    expect(sleeps).toEqual([250, 250, 250]);
    expect(r.cancelled).toEqual(['stmt-1']);
  });

  test('an unknown status is not treated as running', async () => {
    const r = scripted([{ status: 'WEIRD' as never }]);
    await expect(runLoad(r, ['a'], 'load-x', 0, { sleep: noSleep })).rejects.toThrow(/unexpected statement status WEIRD/);
  });
});

describe('RedshiftDataRunner', () => {
  const mock = mockClient(RedshiftDataClient);
  beforeEach(() => mock.reset());

  test('submits one BatchExecuteStatement to the workgroup and maps DescribeStatement', async () => {
    mock.on(BatchExecuteStatementCommand).resolves({ Id: 'abc' });
    mock
      .on(DescribeStatementCommand)
      .resolvesOnce({ Status: 'STARTED' })
      .resolvesOnce({ Status: 'FINISHED', SubStatements: [{ Id: 'abc:1', ResultRows: 0 }, { Id: 'abc:2', ResultRows: 7 }] });
    mock.on(CancelStatementCommand).resolves({ Status: true });
    const runner = new RedshiftDataRunner(new RedshiftDataClient({ region: 'eu-west-1' }), { workgroupName: 'wg', database: 'dataflow' });
    const out = await runLoad(runner, ['CREATE TABLE x (a int)', 'COPY x FROM ...'], 'load-x', 1, { sleep: noSleep });
    expect(out).toEqual({ statementId: 'abc', rowsCopied: 7, polls: 2 });
    expect(mock.commandCalls(BatchExecuteStatementCommand)[0].args[0].input).toEqual({
      WorkgroupName: 'wg',
      Database: 'dataflow',
      SecretArn: undefined,
      Sqls: ['CREATE TABLE x (a int)', 'COPY x FROM ...'],
      StatementName: 'load-x',
      WithEvent: false,
    });
  });

  test('FAILED carries Redshift error text through', async () => {
    mock.on(BatchExecuteStatementCommand).resolves({ Id: 'abc' });
    mock.on(DescribeStatementCommand).resolves({ Status: 'FAILED', Error: 'ERROR: Load into table failed. Check stl_load_errors' });
    const runner = new RedshiftDataRunner(new RedshiftDataClient({ region: 'eu-west-1' }), { workgroupName: 'wg', database: 'dataflow' });
    await expect(runLoad(runner, ['x'], 'load-x', 0, { sleep: noSleep })).rejects.toThrow(/Check stl_load_errors/);
  });
});

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

  const deps = () => ({
    store,
    runner,
    sourceFor: (_k: string, m: { entries: readonly { url: string }[] }) => ({ kind: 'local-parquet' as const, files: m.entries.map((e) => e.url.replace(/^file:/, '')) }),
    poll: { intervalMs: 1, maxPolls: 100 },
  });

  test('loads, is idempotent on rerun, skips an empty table, and fails with DuckDB error text when a file is missing', async () => {
    const row = (id: string, price: string, ts: string) =>
      `('${id}', 'n', 'books', CAST('${price}' AS DECIMAL(12,2)), CAST('1.00' AS DECIMAL(12,2)), TIMESTAMP '${ts}')`;
    const file = await stageProducts([row('P000001', '10.10', '2026-06-01 10:00:00'), row('P000001', '11.10', '2026-06-01 10:30:00'), row('P000002', '0.30', '2026-06-01 10:00:00')].join(', '));
    await store.put('staging', conformSummaryKey(W), JSON.stringify({ stage: 'conform', window: W, datasets: { products: { rows: 3, files: 1 }, customers: { rows: 0, files: 0 } }, inputs: {} }));

    const first = await loadWindowTable(deps(), 'products', W);
    expect(first).toMatchObject({ table: 'products', rowsLoaded: 3, skipped: false });
    const read = async () => (await runner.conn.runAndReadAll('SELECT product_id, CAST(price AS VARCHAR) AS price FROM bronze.products ORDER BY 1')).getRowObjectsJson();
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
    await stageProducts(`('P000009', 'n', 'books', CAST('1.00' AS DECIMAL(12,2)), CAST('1.00' AS DECIMAL(12,2)), TIMESTAMP '2026-06-01 10:00:00')`);
    await store.put('staging', conformSummaryKey(W), JSON.stringify({ stage: 'conform', window: W, datasets: { products: { rows: 1, files: 1 } }, inputs: {} }));
    runner.onSubmit = (id) => void runner.cancel(id);
    await expect(loadWindowTable(deps(), 'products', W)).rejects.toMatchObject({ name: 'LoadAborted' });
    const exists = (await runner.conn.runAndReadAll(`SELECT count(*)::INT AS n FROM information_schema.tables WHERE table_schema = 'bronze'`)).getRowObjectsJson();
    expect(exists).toEqual([{ n: 0 }]);
  });

  test('a missing conform summary is an error naming the window', async () => {
    await expect(loadWindowTable(deps(), 'orders', W)).rejects.toThrow(/no conform summary for window 2026-06-01T10:00:00.000Z/);
  });
});
