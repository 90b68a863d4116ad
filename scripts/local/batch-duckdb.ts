/**
 * The local warehouse as a StatementRunner: the Redshift Data API's semantics (asynchronous batch, one
 * transaction, SUBMITTED → STARTED → FINISHED | FAILED | ABORTED, per-statement affected rows, cancel) on the local
 * DuckDB file, so the loader's code and poll loop run unchanged. Batches run one at a time, like a transaction
 * queue. `cancel` before a batch starts aborts it, as a cancelled Redshift statement does.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { StatementDescription, StatementRunner } from '../../lambda/batch/load';

interface Entry {
  status: StatementDescription['status'];
  error?: string;
  rows?: number[];
  cancelled?: boolean;
}

export class DuckDbRunner implements StatementRunner {
  private readonly entries = new Map<string, Entry>();
  private queue: Promise<void> = Promise.resolve();
  private next = 0;
  /** Statement names submitted, in order (tests and the demo timeline). */
  public readonly submitted: string[] = [];
  /** Called on submit; may cancel the statement (fault injection: ABORTED). */
  public onSubmit?: (id: string, name: string) => void;

  private constructor(
    private readonly instance: DuckDBInstance,
    public readonly conn: DuckDBConnection,
  ) {}

  static async open(file: string): Promise<DuckDbRunner> {
    const instance = await DuckDBInstance.create(file);
    return new DuckDbRunner(instance, await instance.connect());
  }

  async submit(statements: readonly string[], name: string): Promise<string> {
    const id = `local-${++this.next}`;
    const entry: Entry = { status: 'SUBMITTED' };
    this.entries.set(id, entry);
    this.submitted.push(name);
    this.onSubmit?.(id, name);
    this.queue = this.queue.then(() => this.execute(entry, statements));
    return id;
  }

  private async execute(entry: Entry, statements: readonly string[]): Promise<void> {
    if (entry.cancelled) {
      entry.status = 'ABORTED';
      entry.error = 'Query (statement) cancelled on user request';
      return;
    }
    entry.status = 'STARTED';
    const rows: number[] = [];
    await this.conn.run('BEGIN TRANSACTION');
    try {
      for (const sql of statements) {
        const result = await this.conn.run(sql);
        rows.push(Number(result.rowsChanged));
      }
      await this.conn.run('COMMIT');
      entry.rows = rows;
      entry.status = 'FINISHED';
    } catch (err) {
      await this.conn.run('ROLLBACK');
      entry.status = 'FAILED';
      entry.error = (err as Error).message;
    }
  }

  async describe(id: string): Promise<StatementDescription> {
    const e = this.entries.get(id);
    if (!e) throw new Error(`unknown statement ${id}`);
    return { status: e.status, error: e.error, rowsPerStatement: e.rows };
  }

  async cancel(id: string): Promise<void> {
    const e = this.entries.get(id);
    if (e && e.status === 'SUBMITTED') e.cancelled = true;
  }

  /** Waits for queued batches, then closes the database. */
  async close(): Promise<void> {
    await this.queue;
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
