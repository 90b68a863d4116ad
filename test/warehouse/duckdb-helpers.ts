import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export { inTransaction } from '../../scripts/local/warehouse/build';

/** An in-memory DuckDB connection for semantic SQL tests. */
export async function memoryDb(): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:');
  return instance.connect();
}

/** Rows as JSON-safe objects (decimals, dates and timestamps as strings). */
export async function rows(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await conn.runAndReadAll(sql);
  return reader.getRowObjectsJson();
}
