import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { setUp } from '../../lambda/warehouse-setup/handler';
import { grantStatements, objectStatements } from '../../lambda/contracts/warehouse-roles';

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
  test('creates schemas, bronze tables and the roles; analysts get read-only gold access', async () => {
    rs.on(GetStatementResultCommand).resolves({ Records: [] });
    await setUp(new RedshiftDataClient({}), target, { sleep: noSleep });
    const [objects, role] = batches();
    expect(objects).toEqual(objectStatements());
    expect(objects?.slice(0, 4)).toEqual(['bronze', 'silver', 'gold', 'stage'].map((s) => `CREATE SCHEMA IF NOT EXISTS ${s}`));
    expect(objects?.every((s) => /IF NOT EXISTS/.test(s))).toBe(true);
    expect(role).toEqual(['CREATE ROLE analysts', 'CREATE ROLE dataflow_loader', 'CREATE ROLE dataflow_transformer', ...grantStatements()]);
    const analysts = (role ?? []).filter((s) => !s.startsWith('CREATE')).filter((s) => / ROLE analysts$/.test(s));
    expect(analysts).toEqual([
      'GRANT USAGE ON SCHEMA gold TO ROLE analysts',
      'GRANT SELECT ON ALL TABLES IN SCHEMA gold TO ROLE analysts',
      'ALTER DEFAULT PRIVILEGES IN SCHEMA gold GRANT SELECT ON TABLES TO ROLE analysts',
    ]);
    const transformer = (role ?? []).filter((s) => / ROLE dataflow_transformer$/.test(s)).join('\n');
    expect(transformer).not.toMatch(/INSERT|DELETE|stage/);
    const loader = (role ?? []).filter((s) => / ROLE dataflow_loader$/.test(s)).join('\n');
    expect(loader).not.toMatch(/silver|gold/);
  });

  test('re-running when the roles exist only re-applies the idempotent grants; a missing one is created', async () => {
    rs.on(GetStatementResultCommand).resolves({
      Records: [[{ stringValue: 'analysts' }], [{ stringValue: 'dataflow_loader' }], [{ stringValue: 'dataflow_transformer' }]],
    });
    await setUp(new RedshiftDataClient({}), target, { sleep: noSleep });
    expect(batches()[1]).toEqual(grantStatements());
    rs.on(GetStatementResultCommand).resolves({ Records: [[{ stringValue: 'analysts' }]] });
    await setUp(new RedshiftDataClient({}), target, { sleep: noSleep });
    expect(batches()[3]?.slice(0, 2)).toEqual(['CREATE ROLE dataflow_loader', 'CREATE ROLE dataflow_transformer']);
  });

  test('a FAILED batch fails the deployment', async () => {
    rs.on(DescribeStatementCommand).resolves({ Status: 'FAILED', Error: 'ERROR: syntax error' });
    await expect(setUp(new RedshiftDataClient({}), target, { sleep: noSleep })).rejects.toThrow(/FAILED: ERROR: syntax error/);
  });
});
