/**
 * Checks on a built local warehouse that matter to analysts: every gold table and column carries its dbt
 * description as a comment (persist_docs), and gold.build_info says when gold was built and how fresh it is.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './build';

type Row = Record<string, unknown>;
type Select = (sql: string) => Promise<Row[]>;

/** A DuckDB comment: text, or NULL when none was set. */
const commentOf = (row: Row): string => (typeof row.comment === 'string' ? row.comment : '');

interface ModelDocs {
  readonly name: string;
  readonly description: string;
  readonly columns: readonly { readonly name: string; readonly description: string }[];
}

/** The gold models' descriptions as dbt persists them (folded YAML text, trailing newline trimmed). */
export function goldModelDocs(): ModelDocs[] {
  const yml = parse(fs.readFileSync(path.join(REPO_ROOT, 'dbt', 'models', 'marts', '_marts.yml'), 'utf8')) as { models: ModelDocs[] };
  return yml.models.map((m) => ({
    name: m.name,
    description: m.description.trim(),
    columns: (m.columns ?? []).map((c) => ({ name: c.name, description: c.description.trim() })),
  }));
}

/** Every gold table and column comment equals its documented description; returns the problems found. */
export async function missingGoldComments(select: Select, models: readonly ModelDocs[] = goldModelDocs()): Promise<string[]> {
  const tables = new Map(
    (await select("SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'gold'")).map((r) => [
      String(r.table_name),
      commentOf(r),
    ]),
  );
  const columns = new Map(
    (await select("SELECT table_name, column_name, comment FROM duckdb_columns() WHERE schema_name = 'gold'")).map((r) => [
      `${String(r.table_name)}.${String(r.column_name)}`,
      commentOf(r),
    ]),
  );
  const problems: string[] = [];
  for (const m of models) {
    if ((tables.get(m.name) ?? '').trim() !== m.description) problems.push(`gold.${m.name}: table comment is not its description`);
    for (const c of m.columns) {
      if ((columns.get(`${m.name}.${c.name}`) ?? '').trim() !== c.description)
        problems.push(`gold.${m.name}.${c.name}: column comment is not its description`);
    }
  }
  return problems;
}

/** gold.build_info has exactly one row for the expected as_of_date with both freshness columns set. */
export async function buildInfoProblems(select: Select, asOfDate: string): Promise<string[]> {
  const rows = await select(
    'SELECT CAST(as_of_date AS VARCHAR) AS as_of_date, built_at, orders_updated_through, events_arrived_through FROM gold.build_info',
  );
  if (rows.length !== 1) return [`gold.build_info should have 1 row (has ${rows.length})`];
  const [row] = rows;
  const problems: string[] = [];
  if (row.as_of_date !== asOfDate) problems.push(`gold.build_info.as_of_date is ${String(row.as_of_date)}, expected ${asOfDate}`);
  for (const column of ['built_at', 'orders_updated_through', 'events_arrived_through']) {
    if (row[column] === null || row[column] === undefined) problems.push(`gold.build_info.${column} is NULL`);
  }
  return problems;
}
