/** StatementRunner on the Redshift Data API (Serverless workgroup; IAM or secret authentication). */
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import type { StatementDescription, StatementRunner, StatementStatus } from './load';

export interface RedshiftTarget {
  readonly workgroupName: string;
  readonly database: string;
  /** Secrets Manager secret with the database credentials; omit to use the caller's IAM identity. */
  readonly secretArn?: string;
}

export class RedshiftDataRunner implements StatementRunner {
  constructor(
    private readonly client: RedshiftDataClient,
    private readonly target: RedshiftTarget,
  ) {}

  async submit(statements: readonly string[], name: string): Promise<string> {
    const res = await this.client.send(
      new BatchExecuteStatementCommand({
        WorkgroupName: this.target.workgroupName,
        Database: this.target.database,
        SecretArn: this.target.secretArn,
        Sqls: [...statements],
        StatementName: name,
        WithEvent: false,
      }),
    );
    if (!res.Id) throw new Error(`BatchExecuteStatement for ${name} returned no statement id`);
    return res.Id;
  }

  async describe(id: string): Promise<StatementDescription> {
    const res = await this.client.send(new DescribeStatementCommand({ Id: id }));
    return {
      status: (res.Status ?? 'SUBMITTED') as StatementStatus,
      error: res.Error,
      rowsPerStatement: res.SubStatements?.map((s) => Number(s.ResultRows ?? 0)),
    };
  }

  async cancel(id: string): Promise<void> {
    await this.client.send(new CancelStatementCommand({ Id: id }));
  }
}
