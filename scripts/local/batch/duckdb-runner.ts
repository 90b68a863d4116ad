/**
 * The local warehouse as a StatementRunner: the Redshift Data API's semantics (asynchronous batch, one
 * transaction, SUBMITTED → STARTED → FINISHED | FAILED | ABORTED, per-statement affected rows, cancel) on the local
 * DuckDB file, so the loader's code and poll loop run unchanged. Batches run one at a time, like a transaction
 * queue. `cancel` before a batch starts aborts it, as a cancelled Redshift statement does.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { StatementDescription, StatementRunner } from '../../../lambda/contracts/warehouse-statements';

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

  private instance?: DuckDBInstance;
  private connection?: DuckDBConnection;

  private constructor(public readonly file: string) {}

  /** A runner on a DuckDB file; the file is opened on first use and can be released for other processes (dbt). */
  static async open(file: string): Promise<DuckDbRunner> {
    const runner = new DuckDbRunner(file);
    await runner.connect();
    return runner;
  }

  private async connect(): Promise<DuckDBConnection> {
    if (!this.connection) {
      this.instance = await DuckDBInstance.create(this.file);
      this.connection = await this.instance.connect();
    }
    return this.connection;
  }

  /** The open connection (tests). */
  get conn(): DuckDBConnection {
    if (!this.connection) throw new Error('DuckDbRunner: not connected');
    return this.connection;
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
    const conn = await this.connect();
    await conn.run('BEGIN TRANSACTION');
    try {
      for (const sql of statements) {
        const result = await conn.run(sql);
        rows.push(Number(result.rowsChanged));
      }
      await conn.run('COMMIT');
      entry.rows = rows;
      entry.status = 'FINISHED';
    } catch (err) {
      await conn.run('ROLLBACK');
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

  /** Waits for queued batches, then closes the database file (another process may open it; the next submit reopens). */
  async close(): Promise<void> {
    await this.queue;
    this.connection?.closeSync();
    this.instance?.closeSync();
    this.connection = undefined;
    this.instance = undefined;
  }
}
