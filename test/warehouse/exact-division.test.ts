import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import type { DuckDBConnection } from '@duckdb/node-api';
import { REPO_ROOT } from '../helpers/synth';
import { memoryDb, rows } from './duckdb-helpers';

/**
 * The `exact_division` macro as dbt renders it for DuckDB, evaluated on generated operands and compared with exact
 * rational arithmetic (BigInt): numerator / denominator rounded half away from zero to `scale` decimals. Operands
 * carry 0, 2, 4 or 6 decimals (counts, money, rates), so a denominator's cents can never be dropped unnoticed.
 */

const DBT = path.join(REPO_ROOT, 'dbt');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'exact-division-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const SCALES = [2, 4] as const;

/** Renders `exact_division(n, d, scale)` through dbt for the local (DuckDB) target, once per scale (one dbt run). */
function renderMacro(): Map<number, string> {
  const inline = `select ${SCALES.map((s) => `{{ exact_division('n', 'd', ${s}) }} as q${s}`).join(',\n')}`;
  const run = spawnSync(
    path.join(REPO_ROOT, '.venv', 'bin', 'dbt'),
    ['compile', '--inline', inline, '--target', 'local', '--profiles-dir', '.', '--quiet', '--no-partial-parse'],
    { cwd: DBT, encoding: 'utf8', env: { ...process.env, DATAFLOW_DUCKDB_PATH: path.join(tmp, 'render.duckdb') }, timeout: 180_000 },
  );
  if (run.status !== 0) throw new Error(`dbt compile failed:\n${run.stdout}\n${run.stderr}`);
  const sql = run.stdout.trim().replace(/^select /i, '');
  const parts = sql.split(/ as q\d+,?\n?/).filter((p) => p.trim() !== '');
  if (parts.length !== SCALES.length) throw new Error(`unexpected dbt output:\n${run.stdout}`);
  return new Map(SCALES.map((s, i) => [s, parts[i]]));
}

/** A decimal as an integer count of 10^-scale units. */
interface Dec {
  readonly units: bigint;
  readonly scale: number;
}
const text = ({ units, scale }: Dec): string => {
  const digits = (units < 0n ? -units : units).toString().padStart(scale + 1, '0');
  const whole = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return units < 0n ? `-${whole}` : whole;
};

/** round_half_away_from_zero(n / d, scale) with exact integers. */
function expected(n: Dec, d: Dec, scale: number): string {
  const num = n.units * 10n ** BigInt(d.scale + scale);
  const den = d.units * 10n ** BigInt(n.scale);
  const negative = num < 0n !== den < 0n && num !== 0n;
  const a = num < 0n ? -num : num;
  const b = den < 0n ? -den : den;
  const q = (2n * a + b) / (2n * b);
  return text({ units: negative ? -q : q, scale });
}

const decimal = (maxUnits: bigint, nonZero: boolean): fc.Arbitrary<Dec> =>
  fc
    .record({ units: fc.bigInt({ min: -maxUnits, max: maxUnits }), scale: fc.constantFrom(0, 2, 4, 6) })
    .filter((v) => !nonZero || v.units !== 0n);

/** Operand pairs whose quotient fits the result type decimal(18, scale). */
const operands = (scale: number) =>
  fc.tuple(decimal(10n ** 14n, false), decimal(10n ** 12n, true)).filter(([n, d]) => {
    const q = expected(n, d, scale).replace(/^-/, '').split('.')[0];
    return q.length <= 18 - scale;
  });

describe('exact_division on DuckDB equals exact decimal arithmetic', () => {
  let conn: DuckDBConnection;
  let rendered: Map<number, string>;
  beforeAll(async () => {
    conn = await memoryDb();
    rendered = renderMacro();
  });

  async function evaluate(cases: readonly (readonly [Dec, Dec])[], scale: number): Promise<string[]> {
    const values = cases.map(
      ([n, d], i) => `(${i}, cast('${text(n)}' as decimal(18, ${n.scale})), cast('${text(d)}' as decimal(18, ${d.scale})))`,
    );
    const sql = `select i, cast(${rendered.get(scale)} as varchar) as q from (values ${values.join(', ')}) as t(i, n, d) order by i`;
    return (await rows(conn, sql)).map((r) => String(r.q));
  }

  test('the documented examples: cents in the denominator are kept', async () => {
    const cents = (units: number): Dec => ({ units: BigInt(units), scale: 2 });
    expect(
      await evaluate(
        [
          [cents(270811), cents(438836)],
          [cents(13158 - 3304), cents(3304)],
        ],
        4,
      ),
    ).toEqual(['0.6171', '2.9824']);
  });

  test.each(SCALES)('generated operands, scale %i', async (scale) => {
    await fc.assert(
      fc.asyncProperty(fc.array(operands(scale), { minLength: 1, maxLength: 200 }), async (cases) => {
        const got = await evaluate(cases, scale);
        expect(got).toEqual(cases.map(([n, d]) => expected(n, d, scale)));
      }),
      { numRuns: 25 },
    );
  });

  test('a zero denominator gives NULL', async () => {
    const sql = `select cast(${rendered.get(4)} as varchar) as q from (values (cast(1.50 as decimal(18, 2)), cast(0 as decimal(18, 2)))) as t(n, d)`;
    expect(await rows(conn, sql)).toEqual([{ q: null }]);
  });
});
