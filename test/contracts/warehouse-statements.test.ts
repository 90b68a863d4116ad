/** The one warehouse statement runner: the bounded poll loop, and its Redshift Data API engine. */
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { RedshiftDataRunner } from '../../lambda/contracts/redshift-data';
import {
  runStatements,
  StatementError,
  type StatementDescription,
  type StatementRunner,
} from '../../lambda/contracts/warehouse-statements';

const noSleep = async () => undefined;

/** A runner whose describe() walks through a scripted list of states. */
function scripted(states: StatementDescription[]): StatementRunner & { cancelled: string[]; calls: number } {
  const r = {
    cancelled: [] as string[],
    calls: 0,
    submit: async () => 'stmt-1',
    describe: async () => states[Math.min(r.calls++, states.length - 1)],
    cancel: async (id: string) => void r.cancelled.push(id),
  };
  return r;
}

const failure = (p: Promise<unknown>) => p.then(() => undefined).catch((e: unknown) => e as StatementError);

describe('the bounded poll loop', () => {
  test('keeps polling while SUBMITTED/PICKED/STARTED, waiting before each poll, and returns rows per statement', async () => {
    const r = scripted([
      { status: 'SUBMITTED' },
      { status: 'PICKED' },
      { status: 'STARTED' },
      { status: 'FINISHED', rowsPerStatement: [0, 0, 42, 40] },
    ]);
    const sleeps: number[] = [];
    await expect(runStatements(r, ['a'], 'load-x', { intervalMs: 7, sleep: async (ms) => void sleeps.push(ms) })).resolves.toEqual({
      statementId: 'stmt-1',
      rowsPerStatement: [0, 0, 42, 40],
      polls: 4,
    });
    expect(sleeps).toEqual([7, 7, 7, 7]);
  });

  test.each(['FAILED', 'ABORTED'] as const)('%s fails with the engine error text', async (status) => {
    const err = await failure(
      runStatements(scripted([{ status: 'STARTED' }, { status, error: 'S3 file not found' }]), ['a'], 'load-orders', { sleep: noSleep }),
    );
    expect(err).toBeInstanceOf(StatementError);
    expect(err).toMatchObject({ end: status, statementId: 'stmt-1', statementName: 'load-orders', detail: 'S3 file not found' });
    expect(err?.message).toBe(`statement load-orders (stmt-1) ${status}: S3 file not found`);
  });

  test('an unknown status fails instead of looping', async () => {
    const err = await failure(runStatements(scripted([{ status: 'WEIRD' as never }]), ['a'], 'x', { sleep: noSleep }));
    expect(err).toMatchObject({ end: 'UNEXPECTED', detail: 'unexpected statement status WEIRD' });
  });

  test('gives up after maxPolls, cancelling the statement', async () => {
    const r = scripted([{ status: 'STARTED' }]);
    const err = await failure(runStatements(r, ['a'], 'x', { maxPolls: 3, intervalMs: 250, sleep: noSleep }));
    expect(err).toMatchObject({ end: 'TIMEOUT', detail: 'still running after 3 polls of 250 ms; cancelled' });
    expect(r.calls).toBe(3);
    expect(r.cancelled).toEqual(['stmt-1']);
  });
});

describe('RedshiftDataRunner', () => {
  const rs = mockClient(RedshiftDataClient);
  const client = new RedshiftDataClient({ region: 'eu-west-1' });
  const secretArn = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:x';
  beforeEach(() => rs.reset());

  test('one BatchExecuteStatement per transaction, with the secret only when there is one; rows per sub-statement', async () => {
    rs.on(BatchExecuteStatementCommand).resolves({ Id: 'abc' });
    rs.on(DescribeStatementCommand)
      .resolvesOnce({ Status: 'STARTED' })
      .resolvesOnce({
        Status: 'FINISHED',
        SubStatements: [
          { Id: 'abc:1', ResultRows: 0 },
          { Id: 'abc:2', ResultRows: 7 },
        ],
      });
    const iam = new RedshiftDataRunner(client, { workgroupName: 'wg', database: 'dataflow' });
    await expect(runStatements(iam, ['CREATE TABLE x (a int)', 'COPY x FROM ...'], 'load-x', { sleep: noSleep })).resolves.toEqual({
      statementId: 'abc',
      rowsPerStatement: [0, 7],
      polls: 2,
    });
    expect(rs.commandCalls(BatchExecuteStatementCommand)[0].args[0].input).toEqual({
      WorkgroupName: 'wg',
      Database: 'dataflow',
      Sqls: ['CREATE TABLE x (a int)', 'COPY x FROM ...'],
      StatementName: 'load-x',
      WithEvent: false,
    });
    await new RedshiftDataRunner(client, { workgroupName: 'wg', database: 'dataflow', secretArn }).submit(['SELECT 1'], 's');
    expect(rs.commandCalls(BatchExecuteStatementCommand)[1].args[0].input).toMatchObject({ SecretArn: secretArn });
    await expect(iam.submit([], 'empty')).rejects.toThrow(/1–40 statements \(got 0\)/);
    await expect(
      iam.submit(
        Array.from({ length: 41 }, () => 'SELECT 1'),
        'big',
      ),
    ).rejects.toThrow(/got 41/);
  });

  test('the error text is the statement’s, else the failing sub-statement’s', async () => {
    const runner = new RedshiftDataRunner(client, { workgroupName: 'wg', database: 'dataflow' });
    rs.on(DescribeStatementCommand)
      .resolvesOnce({ Status: 'FAILED', Error: 'ERROR: Load into table failed. Check stl_load_errors' })
      .resolvesOnce({
        Status: 'FAILED',
        SubStatements: [
          { Id: 'a:1', Status: 'FINISHED' },
          { Id: 'a:2', Status: 'FAILED', Error: 'ERROR: permission denied' },
        ],
      });
    await expect(runner.describe('a')).resolves.toMatchObject({
      status: 'FAILED',
      error: 'ERROR: Load into table failed. Check stl_load_errors',
    });
    await expect(runner.describe('a')).resolves.toMatchObject({ error: 'sub-statement a:2: ERROR: permission denied' });
  });

  test('cancel sends CancelStatement', async () => {
    rs.on(CancelStatementCommand).resolves({ Status: true });
    await new RedshiftDataRunner(client, { workgroupName: 'wg', database: 'd' }).cancel('abc');
    expect(rs.commandCalls(CancelStatementCommand)[0].args[0].input).toEqual({ Id: 'abc' });
  });

  test('query waits for the statement and returns typed rows', async () => {
    rs.on(ExecuteStatementCommand).resolves({ Id: 'q-1' });
    rs.on(DescribeStatementCommand).resolves({ Status: 'FINISHED' });
    rs.on(GetStatementResultCommand).resolves({ Records: [[{ longValue: 1 }, { isNull: true }, { stringValue: 'x' }]] });
    const runner = new RedshiftDataRunner(client, { workgroupName: 'wg', database: 'd' });
    await expect(runner.query('SELECT 1', 'q', { sleep: noSleep })).resolves.toEqual([[1, null, 'x']]);
    expect(rs.commandCalls(ExecuteStatementCommand)[0].args[0].input).toEqual({
      WorkgroupName: 'wg',
      Database: 'd',
      Sql: 'SELECT 1',
      StatementName: 'q',
      WithEvent: false,
    });
    expect(rs.commandCalls(GetStatementResultCommand)[0].args[0].input).toEqual({ Id: 'q-1' });
  });
});
