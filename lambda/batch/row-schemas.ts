/**
 * Row schemas of the OLTP extract, built once per table from the shared table specs (types, lengths, nullability,
 * exact decimal precision) plus the domain rules of the platform and the event contracts (id formats, order status,
 * ISO-4217 currency, quantity ≥ 1, non-negative money, business date range, last login ≥ registration).
 *
 * Every rejected row gets exactly one machine-readable reason (the most severe) and every issue with its path:
 *   missing_required  a non-nullable column is null or blank
 *   invalid_type      wrong type or format (text in a number, 3 decimals in DECIMAL(12,2), a bad date, unknown column)
 *   invalid_value     well-typed but outside the domain (status, id format, quantity 0, negative price…)
 *   orphan_reference  a foreign key that does not exist in the source (flagged by the extract)
 *   parent_quarantined  a valid row whose referenced row is quarantined in the same window (quality.ts), so no
 *                     child is loaded without its parent; it is staged again when the parent's fix is extracted
 */
import { z } from 'zod';
import { BUSINESS_DATES, CUSTOMER_SEGMENTS, ID_FORMATS, type IdFormat } from '../contracts/domain';
import { TABLE_SPECS, type ColumnSpec, type OltpTableName, type TableSpec } from '../contracts/table-specs';

export const REASONS = ['missing_required', 'invalid_type', 'invalid_value', 'orphan_reference', 'parent_quarantined'] as const;
export type Reason = (typeof REASONS)[number];

export interface RowIssue {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

export type RowVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: Reason; readonly issues: readonly RowIssue[] };

/** Identifier columns and their formats, shared with the event contracts (lambda/contracts/domain.ts). */
const ID_COLUMNS: Readonly<Record<string, IdFormat>> = {
  customer_id: ID_FORMATS.customer,
  product_id: ID_FORMATS.product,
  order_id: ID_FORMATS.order,
};
export const ORDER_STATUSES = ['placed', 'paid', 'shipped', 'delivered', 'returned', 'cancelled'] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const validDate = (s: string) =>
  !Number.isNaN(Date.parse(s.slice(0, 10))) && new Date(s.slice(0, 10)).toISOString().startsWith(s.slice(0, 10));

function typeSchema(column: ColumnSpec): z.ZodType {
  const t = column.type;
  switch (t.kind) {
    case 'varchar':
      return z.string().max(t.length, `longer than varchar(${t.length})`);
    case 'char':
      return z.string().length(t.length, `must be exactly ${t.length} characters`);
    case 'integer':
      return z
        .number()
        .int()
        .min(-(2 ** 31))
        .max(2 ** 31 - 1);
    case 'bigint':
      return z.string().regex(/^-?\d{1,19}$/, 'must be a 64-bit integer');
    case 'decimal': {
      const whole = t.precision - t.scale;
      return z.string().regex(new RegExp(`^-?\\d{1,${whole}}(\\.\\d{1,${t.scale}})?$`), `must be DECIMAL(${t.precision},${t.scale})`);
    }
    case 'date':
      return z
        .string()
        .regex(DATE, 'must be YYYY-MM-DD')
        .refine(validDate, { message: 'not a calendar date', params: { type: true } });
    case 'timestamp':
      return z
        .string()
        .regex(TIMESTAMP, 'must be ISO-8601 UTC')
        .refine(validDate, { message: 'not a calendar date', params: { type: true } });
    case 'boolean':
      return z.boolean();
  }
}

export interface RowRuleOptions {
  /** ISO-4217 codes an order may carry (the streaming contract's configured set). */
  readonly currencies: readonly string[];
}

function domainSchema(table: OltpTableName, column: ColumnSpec, base: z.ZodType, options: RowRuleOptions): z.ZodType {
  const id = ID_COLUMNS[column.name];
  if (id) return base.refine((v) => id.pattern.test(v as string), `must match ${id.pattern}`);
  const money = column.type.kind === 'decimal';
  if (money) return base.refine((v) => !(v as string).startsWith('-'), 'must be ≥ 0');
  if (table === 'orders' && column.name === 'status')
    return base.refine((v) => (ORDER_STATUSES as readonly string[]).includes(v as string), `must be one of ${ORDER_STATUSES.join(', ')}`);
  if (table === 'orders' && column.name === 'currency')
    return base.refine((v) => options.currencies.includes(v as string), `must be one of ${options.currencies.join(', ')}`);
  if (table === 'orders' && column.name === 'order_ts')
    return base.refine(
      (v) => (v as string).slice(0, 10) >= BUSINESS_DATES.min && (v as string).slice(0, 10) <= BUSINESS_DATES.max,
      `must be within ${BUSINESS_DATES.min} – ${BUSINESS_DATES.max}`,
    );
  if (table === 'order_items' && column.name === 'quantity') return base.refine((v) => (v as number) >= 1, 'must be ≥ 1');
  if (table === 'customers' && column.name === 'customer_segment')
    return base.refine(
      (v) => (v as string).trim() === '' || (CUSTOMER_SEGMENTS as readonly string[]).includes(v as string),
      `must be empty or one of ${CUSTOMER_SEGMENTS.join(', ')}`,
    );
  return base;
}

function rowSchema(table: OltpTableName, options: RowRuleOptions): z.ZodType {
  const spec = TABLE_SPECS[table] as TableSpec;
  const shape: Record<string, z.ZodType> = {};
  for (const column of spec.columns) {
    const s = domainSchema(table, column, typeSchema(column), options);
    shape[column.name] = column.nullable ? s.nullable() : s;
  }
  let schema: z.ZodType = z.strictObject(shape);
  if (table === 'customers') {
    schema = schema.refine(
      (r) => {
        const row = r as { last_login_date: string | null; registration_date: string };
        return row.last_login_date === null || row.last_login_date >= row.registration_date;
      },
      { message: 'last_login_date must not be before registration_date', path: ['last_login_date'] },
    );
  }
  return schema;
}

const RANK: Record<Reason, number> = { missing_required: 0, invalid_type: 1, invalid_value: 2, orphan_reference: 3, parent_quarantined: 4 };

/** A compiled validator for one table. */
export class RowValidator {
  private readonly schema: z.ZodType;
  private readonly required: readonly string[];

  constructor(
    public readonly table: OltpTableName,
    options: RowRuleOptions,
  ) {
    this.schema = rowSchema(table, options);
    this.required = (TABLE_SPECS[table] as TableSpec).columns.filter((c) => !c.nullable).map((c) => c.name);
  }

  /** Names of required columns that are null, missing or blank in a row. */
  missingRequired(row: Record<string, unknown>): string[] {
    return this.required.filter((c) => {
      const v = row[c];
      return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
    });
  }

  validate(record: unknown): RowVerdict {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      return { ok: false, reason: 'invalid_type', issues: [{ path: '', code: 'invalid_type', message: 'row is not an object' }] };
    }
    const { _missing_refs: missingRefs, ...row } = record as Record<string, unknown>;
    const issues: (RowIssue & { reason: Reason })[] = [];
    const missing = new Set(this.missingRequired(row));
    for (const c of missing)
      issues.push({ path: c, code: 'missing_required', message: 'required value is null or blank', reason: 'missing_required' });
    const result = this.schema.safeParse(row);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const path = issue.path.map(String).join('.');
        if (missing.has(path)) continue;
        const isType = issue.code !== 'custom' || (issue as { params?: { type?: boolean } }).params?.type === true;
        const reason: Reason = isType ? 'invalid_type' : 'invalid_value';
        issues.push({ path, code: issue.code, message: issue.message, reason });
      }
    }
    if (Array.isArray(missingRefs)) {
      for (const t of missingRefs)
        issues.push({
          path: String(t),
          code: 'orphan_reference',
          message: `referenced ${String(t)} row does not exist`,
          reason: 'orphan_reference',
        });
    }
    if (issues.length === 0) return { ok: true };
    const reason = issues.reduce((a, b) => (RANK[b.reason] < RANK[a.reason] ? b : a)).reason;
    return { ok: false, reason, issues: issues.map(({ path, code, message }) => ({ path, code, message })) };
  }
}
