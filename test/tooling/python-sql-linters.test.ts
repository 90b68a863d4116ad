/**
 * The Python and SQL linters of `make test` with the repository's configuration (ruff.toml, dbt/.sqlfluff), fed a
 * snippet with a defect each must find, and a clean snippet each must pass. The SQL snippets go through the same
 * rendering as the models (dbt builtins, the project's macros, dbt's cross-database macros for Redshift).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(REPO_ROOT, '.venv', 'bin');

function ruff(file: string, source: string) {
  const res = spawnSync(path.join(BIN, 'ruff'), ['check', '--no-cache', '--output-format', 'concise', '--stdin-filename', file, '-'], {
    cwd: REPO_ROOT,
    input: source,
    encoding: 'utf8',
  });
  return { status: res.status, codes: [...res.stdout.matchAll(/:\d+:\d+: ([A-Z]+\d+) /g)].map((m) => m[1]) };
}

function sqlfluff(file: string, source: string) {
  const res = spawnSync(path.join(BIN, 'sqlfluff'), ['lint', '--stdin-filename', file, '--format', 'json', '-'], {
    cwd: path.join(REPO_ROOT, 'dbt'),
    input: source,
    encoding: 'utf8',
  });
  const [result] = JSON.parse(res.stdout) as { violations: { code: string }[] }[];
  return { status: res.status, codes: result.violations.map((v) => v.code) };
}

describe('ruff (ruff.toml)', () => {
  test('finds an unused import, an unsorted import block and a zip() that silently truncates', () => {
    const found = ruff(
      'glue-scripts/dataflow_glue/snippet.py',
      'import os\nimport json\n\n\ndef pairs(a, b):\n    return list(zip(a, b))\n',
    );
    expect(found.status).toBe(1);
    expect(found.codes).toEqual(expect.arrayContaining(['F401', 'I001', 'B905']));
  });

  test('passes clean code, PySpark functions imported as F included', () => {
    const found = ruff(
      'glue-scripts/dataflow_glue/snippet.py',
      'from pyspark.sql import functions as F\n\n\ndef total(df):\n    return df.agg(F.sum("amount"))\n',
    );
    expect(found).toEqual({ status: 0, codes: [] });
  });
});

describe('sqlfluff (dbt/.sqlfluff)', () => {
  test('finds a CTE named after a Redshift keyword', () => {
    const found = sqlfluff(
      'models/snippet.sql',
      "with top as (\n    select order_id from {{ ref('stg_orders') }}\n)\n\nselect order_id from top\n",
    );
    expect(found.status).toBe(1);
    expect(found.codes).toContain('PRS');
  });

  test('finds an order by with directions on some columns only', () => {
    const sql =
      "select\n    order_id,\n    row_number() over (partition by customer_id order by updated_at desc, order_id) as version_rank\nfrom {{ ref('stg_orders') }}\n";
    expect(sqlfluff('models/snippet.sql', sql).codes).toEqual(['AM03']);
  });

  test("passes clean SQL that calls the project's macros and dbt's cross-database macros", () => {
    const sql =
      "select\n    order_id,\n    {{ exact_division('order_amount', 'line_count') }} as per_line,\n" +
      "    {{ dbt.datediff('order_date', as_of_date(), 'day') }} as age_days\nfrom {{ ref('stg_orders') }}\n";
    expect(sqlfluff('models/snippet.sql', sql)).toEqual({ status: 0, codes: [] });
  });
});
