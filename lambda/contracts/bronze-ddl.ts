import type { TableSpec } from './table-specs';
import { columnDefinition, identifier, qualified, WAREHOUSE_SCHEMAS, type SqlDialect } from './sql-types';

/**
 * Bronze DDL generated from the table specs. Bronze keeps the latest version of each business key (the load
 * merges into it), so the primary key is the natural distribution/sort key on Redshift.
 */

/** `CREATE SCHEMA IF NOT EXISTS` for every warehouse schema. */
export function schemaDdl(): string[] {
  return WAREHOUSE_SCHEMAS.map((s) => `CREATE SCHEMA IF NOT EXISTS ${s}`);
}

/**
 * `CREATE TABLE IF NOT EXISTS bronze.<table> (...)` in spec column order. On Redshift the primary key is declared
 * (informational: the merge guarantees it), its first column is the DISTKEY and the key the compound SORTKEY
 * (merges join on it). DuckDB enforces primary keys eagerly inside a transaction, which a delete-then-insert
 * merge trips over, so there the table is plain.
 */
export function bronzeTableDdl(spec: TableSpec, dialect: SqlDialect): string {
  const pk = spec.primaryKey.map(identifier);
  const lines = spec.columns.map((c) => `  ${columnDefinition(c)}`);
  if (dialect === 'redshift') lines.push(`  PRIMARY KEY (${pk.join(', ')})`);
  const physical = dialect === 'redshift' ? `\nDISTKEY (${pk[0]})\nCOMPOUND SORTKEY (${pk.join(', ')})` : '';
  return `CREATE TABLE IF NOT EXISTS ${qualified('bronze', spec.name)} (\n${lines.join(',\n')}\n)${physical}`;
}
