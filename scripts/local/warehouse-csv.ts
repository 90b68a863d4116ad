/**
 * Reads and validates the source CSV folder of `make gold` (one CSV per table, header row of table-spec column
 * names, versions allowed). Every problem is reported with file, row and column; nothing is loaded unless the
 * whole folder is valid.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ColumnSpec, TableSpec } from '../../lambda/contracts/table-specs';

/** A bad-input error listing every problem found (file, row, column, value, rule). */
export class SourceDataError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(`Invalid source data (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SourceDataError';
  }
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. Returns rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  while (i < body.length) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
    i += 1;
  }
  if (quoted) throw new Error('unterminated quoted field at end of file');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
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

/** Validates one CSV against its spec; returns problems (capped), naming file, row (1 = first data row) and column. */
export function validateCsv(file: string, text: string, spec: TableSpec, maxProblems = 20): string[] {
  const name = path.basename(file);
  let rows: string[][];
  try {
    rows = parseCsv(text);
  } catch (err) {
    return [`${name}: ${(err as Error).message}`];
  }
  if (rows.length === 0) return [`${name}: empty file (expected a header row: ${spec.columns.map((c) => c.name).join(',')})`];
  const header = rows[0].map((h) => h.trim());
  const missing = spec.columns.filter((c) => !header.includes(c.name)).map((c) => c.name);
  if (missing.length > 0) return [`${name}: header lacks column(s) ${missing.join(', ')} (header: ${header.join(',')})`];
  const index = new Map(header.map((h, i) => [h, i]));
  const problems: string[] = [];
  for (let r = 1; r < rows.length && problems.length < maxProblems; r += 1) {
    if (rows[r].length !== header.length) {
      problems.push(`${name} row ${r}: has ${rows[r].length} fields, the header has ${header.length}`);
      continue;
    }
    for (const column of spec.columns) {
      const value = rows[r][index.get(column.name) as number];
      const where = `${name} row ${r}, column ${column.name}`;
      if (value === '') {
        if (!column.nullable) problems.push(`${where}: is required but empty`);
        continue;
      }
      const problem = valueProblem(column, value);
      if (problem) problems.push(`${where}: ${JSON.stringify(value)} ${problem}`);
    }
  }
  return problems;
}

/** Validates the folder: required tables must exist, optional ones are validated when present. */
export function validateSourceDir(dir: string, required: readonly TableSpec[], optional: readonly TableSpec[]): Map<string, string> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new SourceDataError([`${dir}: source folder does not exist`]);
  const problems: string[] = [];
  const files = new Map<string, string>();
  for (const spec of [...required, ...optional]) {
    const file = path.join(dir, `${spec.name}.csv`);
    if (!fs.existsSync(file)) {
      if (required.includes(spec)) problems.push(`${spec.name}.csv: missing from ${dir} (one CSV per OLTP table: ${required.map((s) => `${s.name}.csv`).join(', ')})`);
      continue;
    }
    problems.push(...validateCsv(file, fs.readFileSync(file, 'utf8'), spec));
    files.set(spec.name, file);
  }
  if (problems.length > 0) throw new SourceDataError(problems);
  return files;
}
