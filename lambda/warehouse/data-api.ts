import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';

/**
 * Runs SQL on Redshift Serverless through the Data API and waits for it with a bounded poll loop.
 * Statements are asynchronous: a submitted id is polled with DescribeStatement until FINISHED; FAILED and ABORTED
 * throw with Redshift's error; SUBMITTED/PICKED/STARTED keep polling (an allow-list: anything else throws); after
 * `maxPolls` the wait gives up and throws rather than spinning forever.
 */

export interface WarehouseTarget {
  readonly workgroupName: string;
  readonly database: string;
  /** Secrets Manager secret of a database user; omit to authenticate with the caller's IAM identity. */
  readonly secretArn?: string;
}

export interface PollOptions {
  /** @default 120 */
  readonly maxPolls?: number;
  /** @default 2000 */
  readonly intervalMs?: number;
  /** Injected in tests. @default setTimeout-based sleep */
  readonly sleep?: (ms: number) => Promise<void>;
}

const RUNNING = new Set(['SUBMITTED', 'PICKED', 'STARTED']);
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class StatementError extends Error {
  constructor(
    message: string,
    public readonly statementId: string,
    public readonly status: string,
  ) {
    super(message);
    this.name = 'StatementError';
  }
}

/** Polls one statement (or batch) until FINISHED; throws on FAILED/ABORTED/unknown status or when polls run out. */
export async function waitForStatement(client: RedshiftDataClient, id: string, options: PollOptions = {}): Promise<void> {
  const maxPolls = options.maxPolls ?? 120;
  const sleep = options.sleep ?? defaultSleep;
  for (let poll = 1; poll <= maxPolls; poll += 1) {
    const d = await client.send(new DescribeStatementCommand({ Id: id }));
    const status = d.Status ?? 'UNKNOWN';
    if (status === 'FINISHED') return;
    if (status === 'FAILED' || status === 'ABORTED') {
      const failed = d.SubStatements?.find((s) => s.Status === 'FAILED' || s.Status === 'ABORTED');
      const detail = failed ? ` in sub-statement ${failed.Id}: ${failed.Error ?? failed.Status}` : d.Error ? `: ${d.Error}` : '';
      throw new StatementError(`Redshift statement ${id} ${status}${detail}`, id, status);
    }
    if (!RUNNING.has(status)) throw new StatementError(`Redshift statement ${id} has unexpected status ${status}`, id, status);
    if (poll < maxPolls) await sleep(options.intervalMs ?? 2000);
  }
  throw new StatementError(`Redshift statement ${id} did not finish after ${maxPolls} polls`, id, 'TIMEOUT');
}

function base(target: WarehouseTarget) {
  return { WorkgroupName: target.workgroupName, Database: target.database, ...(target.secretArn ? { SecretArn: target.secretArn } : {}) };
}

/**
 * Runs statements as ONE transaction (BatchExecuteStatement: all succeed or all roll back) and waits for it.
 * Returns the batch id. At most 40 statements per batch (Data API limit).
 */
export async function runTransaction(
  client: RedshiftDataClient,
  target: WarehouseTarget,
  statements: readonly string[],
  options: PollOptions & { readonly statementName?: string } = {},
): Promise<string> {
  if (statements.length === 0 || statements.length > 40) throw new Error(`a batch needs 1–40 statements (got ${statements.length})`);
  const out = await client.send(new BatchExecuteStatementCommand({ ...base(target), Sqls: [...statements], StatementName: options.statementName }));
  if (!out.Id) throw new Error('BatchExecuteStatement returned no statement id');
  await waitForStatement(client, out.Id, options);
  return out.Id;
}

/** Runs one query and returns its rows as arrays of string | number | boolean | null. */
export async function query(
  client: RedshiftDataClient,
  target: WarehouseTarget,
  sql: string,
  options: PollOptions = {},
): Promise<(string | number | boolean | null)[][]> {
  const out = await client.send(new ExecuteStatementCommand({ ...base(target), Sql: sql }));
  if (!out.Id) throw new Error('ExecuteStatement returned no statement id');
  await waitForStatement(client, out.Id, options);
  const result = await client.send(new GetStatementResultCommand({ Id: out.Id }));
  return (result.Records ?? []).map((row) =>
    row.map((f) => (f.isNull ? null : (f.stringValue ?? f.longValue ?? f.doubleValue ?? f.booleanValue ?? null))),
  );
}
