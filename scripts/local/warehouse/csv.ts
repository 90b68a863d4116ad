/**
 * Reads and validates the source CSV folder of `make gold` (one CSV per table, header row of table-spec column
 * names, versions allowed). Every problem is reported with file, row and column; nothing is loaded unless the
 * whole folder is valid.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ColumnSpec, TableSpec } from '../../../lambda/contracts/table-specs';

/** A bad-input error listing every problem found (file, row, column, value, rule). */
export class SourceDataError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(
      `Invalid source data (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'SourceDataError';
  }
}

/** A quoting problem: data row (0 = the header row), field position and what is wrong. */
export interface CsvIssue {
  readonly row: number;
  readonly field: number;
  readonly message: string;
}

/**
 * Strict RFC 4180 CSV: a quoted field may hold commas, doubled quotes ("") and newlines, and must end at its closing
 * quote; a quote anywhere else is an error (`"Ann"e`, `An"n`). Blank lines are skipped. Returns the rows and every
 * quoting issue (parsing goes on after one, so all are reported).
 */
export function readCsv(text: string): { rows: string[][]; issues: CsvIssue[] } {
  const rows: string[][] = [];
  const issues: CsvIssue[] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const endField = () => {
    row.push(field);
    field = '';
    wasQuoted = false;
  };
  const endRow = () => {
    const blank = row.length === 0 && field === '' && !wasQuoted;
    endField();
    if (!blank) rows.push(row);
    row = [];
  };
  const issue = (message: string) => issues.push({ row: rows.length, field: row.length, message });
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (body[i + 1] === '"') {
        field += '"';
        i++;
      } else {
        quoted = false;
        const next = body[i + 1];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r')
          issue('text after the closing quote (a quote inside a quoted field must be doubled: "")');
      }
    } else if (ch === '"') {
      if (field === '' && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
      } else {
        issue('a quote inside an unquoted field (quote the whole field and double the quote: "An""n")');
        field += ch;
      }
    } else if (ch === ',') endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      endRow();
    } else field += ch;
  }
  if (quoted) issue('quoted field not closed before the end of the file');
  if (field !== '' || row.length > 0 || wasQuoted) endRow();
  return { rows, issues };
}

/** `readCsv` for callers that want rows or an error (the first issue). */
export function parseCsv(text: string): string[][] {
  const { rows, issues } = readCsv(text);
  if (issues.length > 0) throw new Error(`row ${issues[0].row}, field ${issues[0].field + 1}: ${issues[0].message}`);
  return rows;
}

/** One CSV field as the loader reads it: always quoted (quotes doubled), empty = NULL unquoted. */
function canonicalField(value: string): string {
  return value === '' ? '' : `"${value.replace(/"/g, '""')}"`;
}

/** The parsed rows as canonical CSV in spec column order: what the loader reads, so it loads what was validated. */
export function canonicalCsv(table: SourceTable): string {
  const lines = [table.spec.columns.map((c) => canonicalField(c.name)).join(',')];
  for (const r of table.rows) lines.push(r.map(canonicalField).join(','));
  return `${lines.join('\n')}\n`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|[+-]00:?00)?$/;

function validDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Why a non-empty value does not fit the column, or undefined when it does. */
export function valueProblem(column: ColumnSpec, value: string): string | undefined {
  const t = column.type;
  switch (t.kind) {
    case 'varchar':
      return value.length > t.length ? `is longer than ${t.length} characters` : undefined;
    case 'char':
      return value.length !== t.length ? `must be exactly ${t.length} characters` : undefined;
    case 'integer':
    case 'bigint': {
      if (!/^-?\d+$/.test(value)) return 'is not a whole number';
      const limit = t.kind === 'integer' ? 2 ** 31 : 2 ** 63;
      return Math.abs(Number(value)) >= limit ? `is out of range for ${t.kind}` : undefined;
    }
    case 'decimal': {
      const m = /^-?(\d+)(?:\.(\d+))?$/.exec(value);
      if (!m) return 'is not a decimal number (digits, optional "." and decimals)';
      if ((m[2] ?? '').length > t.scale) return `has more than ${t.scale} decimals`;
      return m[1].replace(/^0+(?=\d)/, '').length > t.precision - t.scale ? `does not fit DECIMAL(${t.precision},${t.scale})` : undefined;
    }
    case 'date':
      return validDate(value) ? undefined : 'is not a valid date (YYYY-MM-DD)';
    case 'timestamp': {
      const m = TIMESTAMP.exec(value);
      const ok = m !== null && validDate(m[1]) && Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4] ?? 0) < 60;
      return ok ? undefined : 'is not a valid UTC timestamp (YYYY-MM-DD HH:MM:SS, optional T and Z)';
    }
    case 'boolean':
      return /^(true|false)$/i.test(value) ? undefined : 'is not true or false';
  }
}

/** One validated source table: its rows (every version) as strings in spec column order. */
export interface SourceTable {
  readonly spec: TableSpec;
  readonly file: string;
  readonly rows: readonly string[][];
}

interface CheckedCsv {
  readonly problems: string[];
  readonly table?: SourceTable;
}

/** Parses and validates one CSV against its spec: every problem names file, row (1 = first data row) and column. */
export function checkCsv(file: string, text: string, spec: TableSpec): CheckedCsv {
  const name = path.basename(file);
  const { rows, issues } = readCsv(text);
  const problems: string[] = [];
  if (rows.length === 0) return { problems: [`${name}: empty file (expected a header row: ${spec.columns.map((c) => c.name).join(',')})`] };
  const header = rows[0].map((h) => h.trim());
  const fieldName = (i: number) => header[i] ?? `#${i + 1}`;
  for (const q of issues)
    problems.push(
      q.row === 0
        ? `${name} header, field ${q.field + 1}: ${q.message}`
        : `${name} row ${q.row}, column ${fieldName(q.field)}: ${q.message}`,
    );
  const missing = spec.columns.filter((c) => !header.includes(c.name)).map((c) => c.name);
  if (missing.length > 0)
    return { problems: [...problems, `${name}: header lacks column(s) ${missing.join(', ')} (header: ${header.join(',')})`] };
  const index = spec.columns.map((c) => header.indexOf(c.name));
  const out: string[][] = [];
  for (let r = 1; r < rows.length; r += 1) {
    if (rows[r].length !== header.length) {
      problems.push(`${name} row ${r}: has ${rows[r].length} fields, the header has ${header.length}`);
      continue;
    }
    const values = index.map((i) => rows[r][i]);
    spec.columns.forEach((column, c) => {
      const value = values[c];
      const where = `${name} row ${r}, column ${column.name}`;
      if (value === '') {
        if (!column.nullable) problems.push(`${where}: is required but empty`);
        return;
      }
      const problem = valueProblem(column, value);
      if (problem) problems.push(`${where}: ${JSON.stringify(value)} ${problem}`);
    });
    out.push(values);
  }
  return { problems, table: { spec, file, rows: out } };
}

/** Validates one CSV against its spec; returns every problem. */
export function validateCsv(file: string, text: string, spec: TableSpec): string[] {
  return checkCsv(file, text, spec).problems;
}

/** Rows whose foreign keys name no row of the referenced table in the same folder (any version counts). */
export function orphanProblems(tables: ReadonlyMap<string, SourceTable>): string[] {
  const problems: string[] = [];
  for (const table of tables.values()) {
    for (const ref of table.spec.references) {
      const parent = tables.get(ref.table);
      if (!parent) continue;
      const keyOf = (spec: TableSpec, row: readonly string[], cols: readonly string[]) =>
        JSON.stringify(cols.map((c) => row[spec.columns.findIndex((x) => x.name === c)]));
      const keys = new Set(parent.rows.map((row) => keyOf(parent.spec, row, ref.refColumns)));
      const parentFile = path.basename(parent.file);
      table.rows.forEach((row, i) => {
        const values = ref.columns.map((c) => row[table.spec.columns.findIndex((x) => x.name === c)]);
        if (values.some((v) => v === '')) return;
        if (!keys.has(keyOf(table.spec, row, ref.columns))) {
          problems.push(
            `${path.basename(table.file)} row ${i + 1}, column ${ref.columns.join('+')}: ${values.map((v) => JSON.stringify(v)).join('+')} has no row in ${parentFile} (references ${ref.table}.${ref.refColumns.join('+')})`,
          );
        }
      });
    }
  }
  return problems;
}

export interface ReadSourceOptions {
  /** Check foreign keys against the other files of the folder (off for a delta of newer versions). @default true */
  readonly checkReferences?: boolean;
}

/**
 * Reads and validates the folder: required tables must exist, optional ones are validated when present, foreign keys
 * must resolve within the folder. Throws a SourceDataError listing every problem; nothing is loaded otherwise.
 */
export function validateSourceDir(
  dir: string,
  required: readonly TableSpec[],
  optional: readonly TableSpec[],
  options: ReadSourceOptions = {},
): Map<string, SourceTable> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new SourceDataError([`${dir}: source folder does not exist`]);
  const problems: string[] = [];
  const tables = new Map<string, SourceTable>();
  for (const spec of [...required, ...optional]) {
    const file = path.join(dir, `${spec.name}.csv`);
    if (!fs.existsSync(file)) {
      if (required.includes(spec))
        problems.push(`${spec.name}.csv: missing from ${dir} (one CSV per OLTP table: ${required.map((s) => `${s.name}.csv`).join(', ')})`);
      continue;
    }
    const checked = checkCsv(file, fs.readFileSync(file, 'utf8'), spec);
    problems.push(...checked.problems);
    if (checked.table) tables.set(spec.name, checked.table);
  }
  if (options.checkReferences ?? true) problems.push(...orphanProblems(tables));
  if (problems.length > 0) throw new SourceDataError(problems);
  return tables;
}
