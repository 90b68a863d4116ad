/**
 * Integration test of a dev-like environment, for a sandbox account (`make integ` compares its committed snapshot
 * offline; README "Integration test" shows the deploy run). It deploys every stack of the dev configuration under
 * the `dfinteg` prefix plus a throwaway OLTP Postgres, then asserts on AWS:
 *   1. a valid and an invalid transaction put on the transactions stream land in staging and quarantine;
 *   2. one batch execution for a fixed window over the seeded OLTP source succeeds;
 *   3. gold has rows (Redshift Data API: ExecuteStatement → DescribeStatement → GetStatementResult).
 */
import { App, Duration } from 'aws-cdk-lib';
import { ExpectedResult, IntegTest, Match, type AwsApiCall, type IApiCall } from '@aws-cdk/integ-tests-alpha';
import { parseEnvironmentConfig, loadEnvironmentConfig } from '../../lib/config';
import { addPlatformStacks } from '../../lib/data-platform-stage';
import { cdkJsonContext } from '../helpers/synth';
import { IntegOltpSource, seedStatements } from './oltp-source';

const WINDOW = { start: '2026-06-01T10:00:00.000Z', end: '2026-06-01T11:00:00.000Z' };

async function main(): Promise<void> {
  // cdk.json's feature flags win over the runner's defaults: the test deploys what `cdk deploy` would.
  const app = new App({ postCliContext: cdkJsonContext() });
  const config = parseEnvironmentConfig({ ...loadEnvironmentConfig('dev'), prefix: 'dfinteg' }, 'integ');
  const platform = addPlatformStacks(app, config);
  const { batch, storage, streaming, warehouse } = platform;
  const oltp = new IntegOltpSource(app, 'IntegOltpSource', {
    vpc: warehouse.target.vpc,
    subnets: warehouse.target.subnets,
    secret: batch.oltpSecret,
    databaseName: 'shop',
  });

  const integ = new IntegTest(app, 'PlatformInteg', {
    testCases: [...Object.values(platform), oltp],
    // No deploy of a previous snapshot first, and no Lambda bundles in the committed snapshot.
    stackUpdateWorkflow: false,
    cdkCommandOptions: { destroy: { args: { force: true } } },
  });
  const a = integ.assertions;
  /** Extra permissions for a call: on the function that makes it (the waiter's, once it waits). */
  const allow = (call: IApiCall, actions: string[], resources: string[]) =>
    ((call as AwsApiCall).waiterProvider ?? call.provider).addToRolePolicy({ Effect: 'Allow', Action: actions, Resource: resources });

  // 1. Stream: one valid order and one unparseable record → staging and quarantine.
  const stream = streaming.ingest.streams.transactions;
  const order = {
    event_id: '0b8e2a4c-1f3d-4e5a-9b6c-7d8e9f0a1b2c',
    event_type: 'order_placed',
    event_version: 1,
    occurred_at: '2026-06-01T10:15:00.000Z',
    source: 'web',
    order_id: 'O9000000001',
    customer_id: 'C90000001',
    items: [{ product_id: 'P900001', quantity: 1, unit_price: 10 }],
    amount: 10,
    currency: 'EUR',
    payment_method: 'card',
    status: 'placed',
  };
  const put = a.awsApiCall('Kinesis', 'PutRecords', {
    StreamName: stream.streamName,
    Records: [
      { Data: JSON.stringify(order), PartitionKey: order.order_id },
      { Data: '{not json', PartitionKey: 'broken' },
    ],
  });
  // Every assertion waits: a waiter that never sees its expectation fails the deployment (also under plain `cdk deploy`).
  put.expect(ExpectedResult.objectLike({ FailedRecordCount: 0 })).waitForAssertions({ totalTimeout: Duration.minutes(2) });
  allow(put, ['kms:GenerateDataKey'], [streaming.ingest.key.keyArn]);
  const listed = (bucket: string, prefix: string, key: string) => {
    const call = a
      .awsApiCall('S3', 'ListObjectsV2', { Bucket: bucket, Prefix: prefix })
      .expect(ExpectedResult.objectLike({ Contents: Match.arrayWith([Match.objectLike({ Key: Match.stringLikeRegexp(key) })]) }))
      .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(20) });
    allow(call, ['s3:ListBucket'], [`arn:aws:s3:::${bucket}`]);
    return call;
  };
  put.next(listed(storage.lake.staging.bucketName, 'stream/order_placed/', '^stream/order_placed/dt=2026-06-01/hr=10/'));
  put.next(listed(storage.lake.quarantine.bucketName, 'stream/', 'reason=invalid_json/'));

  // 2. Batch: seed the OLTP source through the Data API, run one window, wait for SUCCEEDED.
  let previous: ReturnType<typeof a.awsApiCall> | undefined;
  for (const sql of await seedStatements(new Date(WINDOW.start))) {
    const call = a.awsApiCall('@aws-sdk/client-rds-data', 'ExecuteStatement', {
      resourceArn: oltp.cluster.clusterArn,
      secretArn: batch.oltpSecret.secretArn,
      database: 'shop',
      sql,
    });
    allow(call, ['secretsmanager:GetSecretValue'], [batch.oltpSecret.secretArn]);
    allow(call, ['kms:Decrypt'], [batch.key.keyArn]);
    if (previous) previous.next(call);
    previous = call;
  }
  const start = a.awsApiCall('SFN', 'StartExecution', {
    stateMachineArn: batch.workflow.stateMachine.stateMachineArn,
    input: JSON.stringify({ window: WINDOW }),
  });
  previous?.next(start);
  const execution = a
    .awsApiCall('SFN', 'DescribeExecution', { executionArn: start.getAttString('executionArn') })
    .expect(ExpectedResult.objectLike({ status: 'SUCCEEDED' }))
    .waitForAssertions({ totalTimeout: Duration.minutes(55), interval: Duration.minutes(1) });
  start.next(execution);

  // 3. Gold has rows, read with the warehouse's admin secret. The three Data API calls run in the same function (the
  // waiters'): a statement is described and read by the identity that ran it.
  const target = {
    WorkgroupName: warehouse.target.workgroupName,
    Database: warehouse.target.databaseName,
    SecretArn: warehouse.setup.adminSecretArn,
  };
  const query = a
    .awsApiCall('RedshiftData', 'ExecuteStatement', {
      ...target,
      Sql: "select case when count(*) > 0 then 'has-rows' else 'empty' end as gold_state from gold.fct_orders",
    })
    .expect(ExpectedResult.objectLike({ WorkgroupName: warehouse.target.workgroupName }))
    .waitForAssertions({ totalTimeout: Duration.minutes(2) });
  allow(query, ['secretsmanager:GetSecretValue'], [warehouse.setup.adminSecretArn]);
  allow(query, ['kms:Decrypt'], [warehouse.warehouse.key.keyArn]);
  const finished = a
    .awsApiCall('RedshiftData', 'DescribeStatement', { Id: query.getAttString('Id') })
    .expect(ExpectedResult.objectLike({ Status: 'FINISHED' }))
    .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(10) });
  const result = a
    .awsApiCall('RedshiftData', 'GetStatementResult', { Id: query.getAttString('Id') })
    .assertAtPath('Records.0.0.stringValue', ExpectedResult.exact('has-rows'))
    .waitForAssertions({ totalTimeout: Duration.minutes(2) });
  execution.next(query).next(finished).next(result);
  app.synth();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
