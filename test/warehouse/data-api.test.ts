import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { query, runTransaction, StatementError, waitForStatement } from '../../lambda/warehouse/data-api';

const rs = mockClient(RedshiftDataClient);
const client = new RedshiftDataClient({});
const target = { workgroupName: 'wg', database: 'dataflow', secretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:x' };
const noSleep = async () => undefined;

beforeEach(() => rs.reset());

describe('Data API poll loop', () => {
  test('polls through SUBMITTED/PICKED/STARTED until FINISHED', async () => {
    rs.on(DescribeStatementCommand)
      .resolvesOnce({ Status: 'SUBMITTED' })
      .resolvesOnce({ Status: 'PICKED' })
      .resolvesOnce({ Status: 'STARTED' })
      .resolvesOnce({ Status: 'FINISHED' });
    const sleeps: number[] = [];
    await waitForStatement(client, 'id-1', { intervalMs: 7, sleep: async (ms) => void sleeps.push(ms) });
    expect(rs.commandCalls(DescribeStatementCommand)).toHaveLength(4);
    expect(sleeps).toEqual([7, 7, 7]);
  });

  test.each(['FAILED', 'ABORTED'])('%s fails with the failing sub-statement error', async (status) => {
    rs.on(DescribeStatementCommand).resolves({ Status: status as 'FAILED', SubStatements: [{ Id: 'id-1:2', Status: status as 'FAILED', Error: 'ERROR: permission denied' }] });
    await expect(waitForStatement(client, 'id-1', { sleep: noSleep })).rejects.toThrow(`Redshift statement id-1 ${status} in sub-statement id-1:2: ERROR: permission denied`);
  });

  test('an unknown status fails instead of looping', async () => {
    rs.on(DescribeStatementCommand).resolves({ Status: 'ALL' });
    await expect(waitForStatement(client, 'id-1', { sleep: noSleep })).rejects.toThrow(/unexpected status ALL/);
  });

  test('the loop is bounded', async () => {
    rs.on(DescribeStatementCommand).resolves({ Status: 'STARTED' });
    const err = await waitForStatement(client, 'id-1', { maxPolls: 5, sleep: noSleep }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatementError);
    expect((err as StatementError).status).toBe('TIMEOUT');
    expect(rs.commandCalls(DescribeStatementCommand)).toHaveLength(5);
  });

  test('runTransaction sends one BatchExecuteStatement with the target and the statements in order', async () => {
    rs.on(BatchExecuteStatementCommand).resolves({ Id: 'b-1' });
    rs.on(DescribeStatementCommand).resolves({ Status: 'FINISHED' });
    await expect(runTransaction(client, target, ['SELECT 1', 'SELECT 2'], { sleep: noSleep })).resolves.toBe('b-1');
    expect(rs.commandCalls(BatchExecuteStatementCommand)[0].args[0].input).toEqual({
      WorkgroupName: 'wg',
      Database: 'dataflow',
      SecretArn: target.secretArn,
      Sqls: ['SELECT 1', 'SELECT 2'],
      StatementName: undefined,
    });
    await expect(runTransaction(client, target, [], { sleep: noSleep })).rejects.toThrow(/1–40 statements/);
  });

  test('query returns typed rows', async () => {
    rs.on(ExecuteStatementCommand).resolves({ Id: 'q-1' });
    rs.on(DescribeStatementCommand).resolves({ Status: 'FINISHED' });
    rs.on(GetStatementResultCommand).resolves({ Records: [[{ longValue: 1 }, { isNull: true }, { stringValue: 'x' }]] });
    await expect(query(client, { workgroupName: 'wg', database: 'd' }, 'SELECT 1', { sleep: noSleep })).resolves.toEqual([[1, null, 'x']]);
    expect(rs.commandCalls(ExecuteStatementCommand)[0].args[0].input).not.toHaveProperty('SecretArn');
  });
});
