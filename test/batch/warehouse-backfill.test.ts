/**
 * Any window can be re-run or back-filled, in any order, at any age: the warehouse is built hour by hour through the
 * load SQL (one window's rows per load) and dbt, some windows are skipped and back-filled later out of order (one
 * more than 48 h old), one loaded window is re-run; afterwards every gold table equals a `--full-refresh` build from
 * the same bronze (EXCEPT ALL both ways) and a following build without new data passes every dbt test.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { WAREHOUSE_TABLE_SPECS, type TableSpec } from '../../lambda/contracts/table-specs';
import { bronzeTableDdl, schemaDdl } from '../../lambda/contracts/bronze-ddl';
import { buildLoadBatch } from '../../lambda/warehouse/load-sql';
import { GOLD_TABLES, REPO_ROOT } from '../../scripts/local/warehouse/build';
import { generateFixture, toCsv } from '../../scripts/local/warehouse/fixture';

jest.setTimeout(900_000);

const SPECS = Object.values(WAREHOUSE_TABLE_SPECS) as TableSpec[];
const DAY = '2026-06-27';
const VARS = JSON.stringify({ as_of_date: '2026-06-30' });
/** Windows whose runs "failed" during the day and are back-filled afterwards, in this order (one is 64 h old). */
const BACKFILLS = ['2026-06-27T17', '2026-06-25T07', '2026-06-27T04'];
/** A window loaded during the day and re-run afterwards. */
const RERUN = '2026-06-27T10';

interface Step {
  readonly name: string;
  readonly sql: string[];
  readonly dbt: string[] | null;
}

type Row = Record<string, string | number | null>;

/** `YYYY-MM-DDTHH` of a row's version (the hour whose window loads it). */
const hourOf = (row: Row, spec: TableSpec) => String(row[spec.versionColumn]).replace(' ', 'T').slice(0, 13);

function runSteps(dir: string, name: string, steps: Step[], duckdbPath: string): { name: string; dbt_ok: boolean; seconds: number }[] {
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(steps));
  const res = spawnSync(
    path.join(REPO_ROOT, '.venv', 'bin', 'python'),
    [path.join(REPO_ROOT, 'scripts', 'local', 'warehouse', 'dbt_steps.py'), file, duckdbPath],
    {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const lines = res.stdout.split('\n').filter((l) => l.startsWith('{"name"'));
  if (res.status !== 0 && lines.length === 0) throw new Error(`dbt_steps.py failed: ${res.stderr.slice(-2000)}`);
  return lines.map((l) => JSON.parse(l));
}

/** One window's load: the rows of the given hours, through the load SQL (stage → latest per key → merge). */
function loadStep(
  dir: string,
  name: string,
  rowsBySpec: Map<TableSpec, Row[]>,
  keep: (hour: string) => boolean,
  dbt: string[] | null,
): Step {
  const sql: string[] = [];
  for (const spec of SPECS) {
    const rows = (rowsBySpec.get(spec) ?? []).filter((r) => keep(hourOf(r, spec)));
    if (rows.length === 0) continue;
    const file = path.join(dir, `${name.replace(/[^a-z0-9]/gi, '_')}-${spec.name}.csv`);
    fs.writeFileSync(file, toCsv(spec, rows));
    sql.push(
      ...buildLoadBatch({ spec, loadId: name.replace(/[^a-z0-9]/gi, '').toLowerCase(), source: { kind: 'local-csv', file } }).statements,
    );
  }
  return { name, sql, dbt };
}

async function exceptAll(main: string, reference: string): Promise<Record<string, [number, number]>> {
  const instance = await DuckDBInstance.create(main, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    await conn.run(`ATTACH '${reference}' AS ref (READ_ONLY)`);
    const out: Record<string, [number, number]> = {};
    for (const t of GOLD_TABLES) {
      const n = async (a: string, b: string) =>
        Number(
          (
            await conn.runAndReadAll(`SELECT count(*)::INT AS n FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b})`)
          ).getRowObjectsJson()[0].n,
        );
      out[t] = [await n(`gold.${t}`, `ref.gold.${t}`), await n(`ref.gold.${t}`, `gold.${t}`)];
    }
    return out;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

describe('hour-by-hour build, then back-fills out of order and a re-run', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warehouse-backfill-'));
  const duckdbPath = path.join(dir, 'warehouse.duckdb');
  const referencePath = path.join(dir, 'full-refresh.duckdb');
  let results: { name: string; dbt_ok: boolean; seconds: number }[];
  let backfilledOrders: string[];

  beforeAll(() => {
    const data = generateFixture();
    const rowsBySpec = new Map(SPECS.map((s) => [s, data.tables[s.name] as Row[]]));
    const held = new Set(BACKFILLS);
    const hours = Array.from({ length: 24 }, (_, h) => `${DAY}T${String(h).padStart(2, '0')}`);
    const hourly = ['run', '--target', 'local', '--select', 'fct_orders', '--vars', VARS];
    const build = ['build', '--target', 'local', '--vars', VARS];
    backfilledOrders = (rowsBySpec.get(WAREHOUSE_TABLE_SPECS.orders as TableSpec) ?? [])
      .filter((r) => held.has(hourOf(r, WAREHOUSE_TABLE_SPECS.orders as TableSpec)))
      .map((r) => String(r.order_id));
    const steps: Step[] = [
      { name: 'bronze', sql: [...schemaDdl(), ...SPECS.map((s) => bronzeTableDdl(s, 'duckdb'))], dbt: null },
      // Everything before the day (except the window back-filled later), then a first full build.
      loadStep(dir, 'history', rowsBySpec, (h) => h < DAY && !held.has(h), build),
      // The hourly runs of the day; the windows in BACKFILLS fail (nothing loaded).
      ...hours.map((h) => loadStep(dir, h, rowsBySpec, (x) => x === h && !held.has(x), hourly)),
      // Back-fills out of order, and a re-run of a window that was already loaded.
      ...BACKFILLS.map((h) => loadStep(dir, `backfill ${h}`, rowsBySpec, (x) => x === h, hourly)),
      loadStep(dir, `rerun ${RERUN}`, rowsBySpec, (x) => x === RERUN, hourly),
      // The next scheduled build has no new data: every test must still pass.
      { name: 'no new data', sql: [], dbt: build },
    ];
    results = runSteps(dir, 'hourly', steps, duckdbPath);
    fs.copyFileSync(duckdbPath, referencePath);
    runSteps(dir, 'reference', [{ name: 'full refresh', sql: [], dbt: [...build, '--full-refresh'] }], referencePath);
  });

  test('every hourly, back-fill and re-run step succeeded, and so did the following build without new data', () => {
    expect(backfilledOrders.length).toBeGreaterThanOrEqual(3);
    expect(results.map((r) => r.name)).toContain('no new data');
    expect(results.filter((r) => !r.dbt_ok)).toEqual([]);
  });

  test('every gold table equals a --full-refresh build from the same bronze (EXCEPT ALL both ways)', async () => {
    const diff = await exceptAll(duckdbPath, referencePath);
    expect(diff).toEqual(Object.fromEntries(GOLD_TABLES.map((t) => [t, [0, 0]])));
  });

  test('the back-filled orders reached gold.fct_orders', async () => {
    const instance = await DuckDBInstance.create(duckdbPath, { access_mode: 'READ_ONLY' });
    const conn = await instance.connect();
    try {
      const ids = backfilledOrders.map((o) => `'${o}'`).join(', ');
      const n = Number(
        (
          await conn.runAndReadAll(`SELECT count(DISTINCT order_id)::INT AS n FROM gold.fct_orders WHERE order_id IN (${ids})`)
        ).getRowObjectsJson()[0].n,
      );
      expect(n).toBe(new Set(backfilledOrders).size);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});
