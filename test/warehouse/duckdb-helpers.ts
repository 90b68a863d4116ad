import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** An in-memory DuckDB connection for semantic SQL tests. */
export async function memoryDb(): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:');
  return instance.connect();
}

/** Runs statements in one transaction (what BatchExecuteStatement does on Redshift); rolls back on failure. */
export async function inTransaction(conn: DuckDBConnection, statements: readonly string[]): Promise<void> {
  await conn.run('BEGIN TRANSACTION');
  try {
    for (const sql of statements) await conn.run(sql);
    await conn.run('COMMIT');
  } catch (err) {
    await conn.run('ROLLBACK');
    throw err;
  }
}

/** Rows as JSON-safe objects (decimals, dates and timestamps as strings). */
export async function rows(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await conn.runAndReadAll(sql);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}
