/**
 * The statement runner on the Redshift Data API (Serverless workgroup; the caller's IAM identity or a secret), used by
 * the warehouse load and the deploy-time setup, and the IAM actions each of its operations calls — the policies in
 * lib/ are built from this list, so a role can do exactly what the runner it hosts does.
 */
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import {
  waitForStatement,
  type PollOptions,
  type StatementDescription,
  type StatementRunner,
  type StatementStatus,
} from './warehouse-statements';

export interface WarehouseTarget {
  readonly workgroupName: string;
  readonly database: string;
  /** Secrets Manager secret of a database user; omit to authenticate with the caller's IAM identity. */
  readonly secretArn?: string;
}

/** A runner operation a function uses. */
export type DataApiOperation = 'transaction' | 'query' | 'cancel';

/**
 * IAM actions per operation: `onWorkgroup` are scoped to the workgroup, `onOwnStatements` to statements the caller
 * submitted (the Data API offers no resource-level permission for them). Every operation follows its statement.
 */
export const DATA_API_ACTIONS: Readonly<
  Record<DataApiOperation | 'follow' | 'iamAuth', { readonly onWorkgroup: readonly string[]; readonly onOwnStatements: readonly string[] }>
> = {
  transaction: { onWorkgroup: ['redshift-data:BatchExecuteStatement'], onOwnStatements: [] },
  query: { onWorkgroup: ['redshift-data:ExecuteStatement'], onOwnStatements: ['redshift-data:GetStatementResult'] },
  follow: { onWorkgroup: [], onOwnStatements: ['redshift-data:DescribeStatement'] },
  cancel: { onWorkgroup: [], onOwnStatements: ['redshift-data:CancelStatement'] },
  /** Connecting as the caller's IAM identity (no secret) to a Serverless workgroup. */
  iamAuth: { onWorkgroup: ['redshift-serverless:GetCredentials'], onOwnStatements: [] },
};

/** At most 40 statements per BatchExecuteStatement (Data API limit). */
const MAX_BATCH = 40;

export class RedshiftDataRunner implements StatementRunner {
  constructor(
    private readonly client: RedshiftDataClient,
    private readonly target: WarehouseTarget,
  ) {}

  async submit(statements: readonly string[], name: string): Promise<string> {
    if (statements.length === 0 || statements.length > MAX_BATCH)
      throw new Error(`a batch needs 1–${MAX_BATCH} statements (got ${statements.length})`);
    const res = await this.client.send(
      new BatchExecuteStatementCommand({ ...this.base(), Sqls: [...statements], StatementName: name, WithEvent: false }),
    );
    if (!res.Id) throw new Error(`BatchExecuteStatement for ${name} returned no statement id`);
    return res.Id;
  }

  async describe(id: string): Promise<StatementDescription> {
    const res = await this.client.send(new DescribeStatementCommand({ Id: id }));
    const failed = res.SubStatements?.find((s) => s.Status === 'FAILED' || s.Status === 'ABORTED');
    return {
      status: (res.Status ?? 'SUBMITTED') as StatementStatus,
      error: res.Error ?? (failed ? `sub-statement ${failed.Id}: ${failed.Error ?? failed.Status}` : undefined),
      rowsPerStatement: res.SubStatements?.map((s) => Number(s.ResultRows ?? 0)),
    };
  }

  async cancel(id: string): Promise<void> {
    await this.client.send(new CancelStatementCommand({ Id: id }));
  }

  /** Runs one query and returns its rows as arrays of string | number | boolean | null. */
  async query(sql: string, name: string, options: PollOptions = {}): Promise<(string | number | boolean | null)[][]> {
    const out = await this.client.send(new ExecuteStatementCommand({ ...this.base(), Sql: sql, StatementName: name, WithEvent: false }));
    if (!out.Id) throw new Error(`ExecuteStatement for ${name} returned no statement id`);
    await waitForStatement(this, out.Id, name, options);
    const result = await this.client.send(new GetStatementResultCommand({ Id: out.Id }));
    return (result.Records ?? []).map((row) =>
      row.map((f) => (f.isNull ? null : (f.stringValue ?? f.longValue ?? f.doubleValue ?? f.booleanValue ?? null))),
    );
  }

  private base() {
    return {
      WorkgroupName: this.target.workgroupName,
      Database: this.target.database,
      ...(this.target.secretArn ? { SecretArn: this.target.secretArn } : {}),
    };
  }
}
