import type { ColumnSpec, ColumnType, TableSpec } from './table-specs';

/**
 * SQL rendering shared by the bronze DDL and the load statements. Both engines the project runs on (Redshift and
 * DuckDB) accept the same type names, so one rendering serves both.
 */

/** Where generated SQL runs: Redshift in AWS, DuckDB locally and in the semantic tests. */
export type SqlDialect = 'redshift' | 'duckdb';

/** The warehouse's schemas: loaded tables (bronze), dbt silver/gold, and per-load stage tables. */
export const WAREHOUSE_SCHEMAS = ['bronze', 'silver', 'gold', 'stage'] as const;
export type WarehouseSchema = (typeof WAREHOUSE_SCHEMAS)[number];

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,126}$/;

/** Checks an unquoted lower-case identifier (table, column, schema); refuses anything that would need quoting. */
export function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`SQL identifier "${name}" must match ${IDENTIFIER}`);
  return name;
}

/** A single-quoted SQL string literal. */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The column type as SQL (identical on Redshift and DuckDB). */
export function sqlType(type: ColumnType): string {
  switch (type.kind) {
    case 'varchar':
      return `VARCHAR(${type.length})`;
    case 'char':
      return `CHAR(${type.length})`;
    case 'integer':
      return 'INTEGER';
    case 'bigint':
      return 'BIGINT';
    case 'decimal':
      return `DECIMAL(${type.precision},${type.scale})`;
    case 'date':
      return 'DATE';
    case 'timestamp':
      return 'TIMESTAMP';
    case 'boolean':
      return 'BOOLEAN';
  }
}

/** `name TYPE [NOT NULL]` for a column definition list. */
export function columnDefinition(column: ColumnSpec): string {
  return `${identifier(column.name)} ${sqlType(column.type)}${column.nullable ? '' : ' NOT NULL'}`;
}

/** The columns in spec order: the bronze layout and the Parquet COPY order (COPY maps Parquet columns by position). */
export function columnOrder(spec: TableSpec): string[] {
  return spec.columns.map((c) => identifier(c.name));
}

/** Qualified `schema.table`. */
export function qualified(schema: WarehouseSchema, table: string): string {
  return `${schema}.${identifier(table)}`;
}
