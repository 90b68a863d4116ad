import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { setUp } from '../../lambda/warehouse-setup/handler';
import { grantStatements, objectStatements } from '../../lambda/warehouse-setup/setup-sql';

const rs = mockClient(RedshiftDataClient);
const target = { workgroupName: 'wg', database: 'dataflow', secretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:x' };
const noSleep = async () => undefined;

beforeEach(() => {
  rs.reset();
  rs.on(BatchExecuteStatementCommand).resolves({ Id: 'b' });
  rs.on(ExecuteStatementCommand).resolves({ Id: 'q' });
  rs.on(DescribeStatementCommand).resolves({ Status: 'FINISHED' });
});

const batches = () => rs.commandCalls(BatchExecuteStatementCommand).map((c) => c.args[0].input.Sqls);

describe('warehouse setup custom resource', () => {
  test('creates schemas, bronze tables and the analysts role with read-only gold access', async () => {
    rs.on(GetStatementResultCommand).resolves({ Records: [[{ longValue: 0 }]] });
    await setUp(new RedshiftDataClient({}), target, { sleep: noSleep });
    const [objects, role] = batches();
    expect(objects).toEqual(objectStatements());
    expect(objects?.slice(0, 4)).toEqual(['bronze', 'silver', 'gold', 'stage'].map((s) => `CREATE SCHEMA IF NOT EXISTS ${s}`));
    expect(objects?.every((s) => /IF NOT EXISTS/.test(s))).toBe(true);
    expect(role).toEqual(['CREATE ROLE analysts', ...grantStatements()]);
    expect(role?.join('\n')).not.toMatch(/INSERT|UPDATE|DELETE|ALL PRIVILEGES|bronze|silver/);
  });

  test('re-running when the role exists only re-applies the idempotent grants', async () => {
    rs.on(GetStatementResultCommand).resolves({ Records: [[{ longValue: 1 }]] });
    await setUp(new RedshiftDataClient({}), target, { sleep: noSleep });
    expect(batches()[1]).toEqual(grantStatements());
  });

  test('a FAILED batch fails the deployment', async () => {
    rs.on(DescribeStatementCommand).resolves({ Status: 'FAILED', Error: 'ERROR: syntax error' });
    await expect(setUp(new RedshiftDataClient({}), target, { sleep: noSleep })).rejects.toThrow(/FAILED: ERROR: syntax error/);
  });
});
